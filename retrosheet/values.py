"""Cell values as people type them: dates, serials, numbers with spaces or commas."""

from __future__ import annotations

import datetime as dt
import re

EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)


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


def to_serial(day: dt.date, date1904: bool = False) -> int:
    return (day - (EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH)).days


def from_serial(serial: float, date1904: bool = False) -> dt.date:
    base = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
    return base + dt.timedelta(days=int(serial))


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d")


def parse_date(value: object, date1904: bool = False) -> dt.date:
    """A date from a date cell, an Excel serial, or text dd/mm/yyyy or yyyy-mm-dd.

    Raises ValueError with the value in the message.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time | dt.timedelta):
        # What a spreadsheet reader makes of 0 or a negative number in a date cell.
        raise ValueError("a time or a negative number is not a date (write dd/mm/yyyy)")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            shown = int(value) if float(value).is_integer() else value
            raise ValueError(f"{shown} is not a date serial between 1 and 2958465")
        return from_serial(value, date1904)
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return parse_date(float(text), date1904)
    raise ValueError(f"{text!r} is not a date (write dd/mm/yyyy or yyyy-mm-dd)")


def parse_number(value: object) -> float:
    """A number from a cell: 1200, '1 200', '1 200,50 €', '300€'. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    text = text.rstrip("€$£").lstrip("€$£")
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{str(value).strip()!r} is not a number") from None


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
        raise ValueError(f"{value!r} is not a whole number")
    return int(n)
