"""The workbook's look as Sheets CellFormats: the same colours and number formats as the
.xlsx writer (retrosheet/xlsx/create.py), so both kinds of plan look alike."""

from __future__ import annotations

from .. import layout as L
from ..xlsx.create import HEADER_FILL, INPUT_FILL
from .cells import Json, number_format, rgb

HELP_FONT = "#595959"
PX_PER_CHAR = 7  # an Excel width unit (one "0" of Calibri 11) is about 7 pixels
PX_PADDING = 5
TITLE_ROW_PX = 32
HEADER_ROW_PX = 40  # the xlsx header row is 30 points


def px(width_chars: float) -> int:
    """An Excel column width (characters) as Sheets pixels."""
    return round(width_chars * PX_PER_CHAR + PX_PADDING)


def _border() -> Json:
    side = {"style": "SOLID", "color": rgb("#000000")}
    return {"top": side, "bottom": side, "left": side, "right": side}


def header() -> Json:
    return {"backgroundColor": rgb(HEADER_FILL), "wrapStrategy": "WRAP",
            "verticalAlignment": "MIDDLE", "borders": _border(),
            "textFormat": {"bold": True, "foregroundColor": rgb("#FFFFFF")}}


def week_header(lang: str) -> Json:
    return {**number_format(L.week_format(lang), "DATE"), "textRotation": {"angle": 90},
            "horizontalAlignment": "CENTER", "backgroundColor": rgb(HEADER_FILL),
            "textFormat": {"bold": True, "fontSize": 8, "foregroundColor": rgb("#FFFFFF")}}


def date(lang: str) -> Json:
    return number_format(L.date_format(lang), "DATE")


def centered_date(lang: str) -> Json:
    return {**date(lang), "horizontalAlignment": "CENTER"}


def offset() -> Json:
    return {**number_format(L.OFFSET_FORMAT), "horizontalAlignment": "CENTER"}


def money(lang: str) -> Json:
    return number_format('#,##0" €"' if lang == "fr" else '"€"#,##0', "CURRENCY")


def integer() -> Json:
    return number_format("#,##0")


def percent() -> Json:
    return number_format("0%", "PERCENT")


def center() -> Json:
    return {"horizontalAlignment": "CENTER"}


def bold() -> Json:
    return {"textFormat": {"bold": True}}


def title() -> Json:
    return {"textFormat": {"bold": True, "fontSize": 16, "foregroundColor": rgb(HEADER_FILL)}}


def note() -> Json:
    return {"textFormat": {"italic": True, "foregroundColor": rgb(HELP_FONT)}}


def input_cell() -> Json:
    return {"backgroundColor": rgb(INPUT_FILL), "borders": _border()}


def input_date(lang: str) -> Json:
    return {**date(lang), "backgroundColor": rgb(INPUT_FILL), "borders": _border(),
            "horizontalAlignment": "CENTER", "textFormat": {"bold": True}}


def fill(color: str) -> Json:
    return {"backgroundColor": rgb(color)}


def font(color: str) -> Json:
    return {"textFormat": {"foregroundColor": rgb(color)}}


def report_styles(lang: str) -> dict[str, Json]:
    """CellFormats for the style names the Report sheet's rows carry."""
    return {"date": date(lang), "int": integer(), "money": money(lang), "pct": percent(),
            "bold": bold(), "title": title(), "header": header(), "note": note()}
