"""Cell values as people type them: dates, serials, numbers with spaces or commas."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .errors import Msg, msg

EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
# Dates given for a whole plan (release, report day): a year inside the dates a
# spreadsheet stores (1900-03-01 to 9999-12-31), so the tasks before and after J stay dates.
DAY_RANGE = (dt.date(1901, 1, 1), dt.date(9998, 12, 31))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class BadValue(ValueError):
    """A value that is not what its cell needs; `said` is the catalogue message, put into
    the plan's language by whoever names the cell (str() is the reference language's)."""

    def __init__(self, key: str, /, **params: Any) -> None:
        self.said: Msg = msg(key, **params)
        super().__init__(str(self.said))


def said(exc: ValueError) -> Msg | str:
    """What a ValueError of a value says: its catalogue message, or its own text."""
    return exc.said if isinstance(exc, BadValue) else str(exc)


def check_day(day: dt.date) -> dt.date:
    """`day` when it is in DAY_RANGE; else ValueError naming the accepted range."""
    first, last = DAY_RANGE
    if not first <= day <= last:
        raise BadValue("err.read.day_range", day=day.isoformat(), first=first.isoformat(),
                       last=last.isoformat())
    return day


_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """A cell's text on one line (line breaks and control characters become a space),
    for mail headers and calendar names, where a line break would start a new field."""
    return re.sub(r" {2,}", " ", _LINE_BREAKS.sub(" ", text)).strip()


def to_serial(day: dt.date, date1904: bool = False) -> int:
    return (day - (EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH)).days


def from_serial(serial: float, date1904: bool = False) -> dt.date:
    base = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
    return base + dt.timedelta(days=int(serial))


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d")


def parse_date(value: object, date1904: bool = False) -> dt.date:
    """A date from a date cell, an Excel serial, or text dd/mm/yyyy or yyyy-mm-dd.

    Raises BadValue (a ValueError) with the value in the message.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time | dt.timedelta):
        # What a spreadsheet reader makes of 0 or a negative number in a date cell.
        raise BadValue("err.read.time_not_date")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            shown = int(value) if float(value).is_integer() else value
            raise BadValue("err.read.bad_serial", value=shown)
        return from_serial(value, date1904)
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return parse_date(float(text), date1904)
    raise BadValue("err.read.not_date", value=repr(text))


def parse_number(value: object) -> float:
    """A number from a cell: 1200, '1 200', '1 200,50 €', '300€'. Raises ValueError."""
    if isinstance(value, bool):
        raise BadValue("err.read.not_number", value=repr(value))
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    text = text.rstrip("€$£").lstrip("€$£")
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise BadValue("err.read.not_number", value=repr(str(value).strip())) from None


def parse_whole(value: object) -> int:
    """A whole number; `J-28`, `J+7` and `J` are offsets. Raises ValueError."""
    if isinstance(value, str):
        text = value.strip().replace("\u2212", "-").replace(" ", "")
        m = re.fullmatch(r"[JjDd]([+-]\d+)?", text)
        if m:
            return int(m.group(1) or 0)
        value = text
    n = parse_number(value)
    if n != int(n):
        raise BadValue("err.read.not_whole", value=repr(value))
    return int(n)
