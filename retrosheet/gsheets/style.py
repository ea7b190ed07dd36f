"""The design's looks (retrosheet/design/looks.py) as Sheets CellFormats, and Excel widths
and heights as pixels, so a Google Sheet looks like the .xlsx of the same plan."""

from __future__ import annotations

from ..design import Look
from ..design.looks import looks
from .cells import Json, number_format, rgb

PX_PER_CHAR = 7  # an Excel width unit (one "0" of Calibri 11) is about 7 pixels
PX_PADDING = 5


def px(width_chars: float) -> int:
    """An Excel column width (characters) as Sheets pixels."""
    return round(width_chars * PX_PER_CHAR + PX_PADDING)


def row_px(points: float) -> int:
    return round(points * 4 / 3)


def _border() -> Json:
    side = {"style": "SOLID", "color": rgb("#000000")}
    return {"top": side, "bottom": side, "left": side, "right": side}


def cell_format(look: Look) -> Json:
    """A Look as a Sheets CellFormat (userEnteredFormat)."""
    out: Json = {}
    if look.number_format:
        out |= number_format(look.number_format, look.number_kind)
    if look.fill:
        out["backgroundColor"] = rgb(look.fill)
    if look.border:
        out["borders"] = _border()
    if look.wrap:
        out["wrapStrategy"] = "WRAP"
    if look.align:
        out["horizontalAlignment"] = look.align.upper()
    if look.top:
        out["verticalAlignment"] = "TOP"
    elif look.middle:
        out["verticalAlignment"] = "MIDDLE"
    if look.rotation:
        out["textRotation"] = {"angle": look.rotation}
    text = rule_format(look).get("textFormat")
    if text:
        out["textFormat"] = text
    return out


def rule_format(look: Look) -> Json:
    """What a conditional format can carry: colours and font style (no number format)."""
    text: Json = {}
    if look.bold:
        text["bold"] = True
    if look.italic:
        text["italic"] = True
    if look.size:
        text["fontSize"] = look.size
    if look.color:
        text["foregroundColor"] = rgb(look.color)
    out: Json = {"textFormat": text} if text else {}
    if look.fill:
        out["backgroundColor"] = rgb(look.fill)
    return out


def report_styles(lang: str) -> dict[str, Json]:
    """CellFormats for the style names the Report sheet's rows carry."""
    return {name: cell_format(look) for name, look in looks(lang).items()}


def role(name: str, lang: str) -> Json:
    """The CellFormat of one design look."""
    return cell_format(looks(lang)[name])


def number(name: str, lang: str) -> Json:
    """Only the number format of one design look (the rest of a cell's look untouched)."""
    look = looks(lang)[name]
    return number_format(look.number_format or "General", look.number_kind)
