"""The style roles of a plan's workbook: one name per look, one look per language."""

from __future__ import annotations

from typing import Final

from .. import layout as L
from ..words import catalogue
from ..words.formats import sheet_date_format, sheet_money_format
from .model import Look

HEADER_FILL: Final = "#1F3864"
INPUT_FILL: Final = "#FFF2CC"
LATE_FILL: Final = "#F8CBAD"
DUE_FILL: Final = "#FFE699"
DONE_FONT: Final = "#7F7F7F"
SPAN_FILL: Final = "#5B9BD5"
MILESTONE_FILL: Final = "#C00000"
TODAY_FILL: Final = "#E2EFDA"
WORKED_FILL: Final = "#C6EFCE"
HELP_FONT: Final = "#595959"
WHITE: Final = "#FFFFFF"


def task_offset_format(lang: str) -> str:
    """An offset from another task reads "+7 j", not "J+7": J is the release day."""
    day = catalogue(lang)["fmt.day_letter"]
    return f'+0" {day}";-0" {day}";0" {day}"'


def looks(lang: str) -> dict[str, Look]:
    dfmt = sheet_date_format(lang)
    return {
        "header": Look(bold=True, color=WHITE, fill=HEADER_FILL, border=True, wrap=True,
                       middle=True),
        "header_num": Look(bold=True, color=WHITE, fill=HEADER_FILL, border=True, wrap=True,
                           middle=True, align="right"),
        "week": Look(bold=True, size=8, color=WHITE, fill=HEADER_FILL, align="center",
                     rotation=90, number_format=sheet_date_format(lang, short=True),
                     number_kind="DATE"),
        "title": Look(bold=True, size=16, color=HEADER_FILL),
        "bold": Look(bold=True),
        "section": Look(bold=True, size=12, color=HEADER_FILL),
        "note": Look(italic=True, color=HELP_FONT),
        "note_wrap": Look(italic=True, color=HELP_FONT, wrap=True, top=True),
        "text": Look(top=True),
        "wrap": Look(wrap=True, top=True),
        "center": Look(align="center", top=True),
        "date": Look(align="center", top=True, number_format=dfmt, number_kind="DATE"),
        "offset": Look(align="center", top=True, number_format=L.OFFSET_FORMAT),
        "task_offset": Look(number_format=task_offset_format(lang)),
        "int": Look(top=True, number_format="#,##0"),
        # a change since the week before: +56, −3 (a minus sign), 0, as the report writes it
        "change": Look(top=True, number_format='+#,##0;"\u2212"#,##0;0'),
        # `1 500 €` in French, `€1,500` in English (separators follow the reader's locale).
        "money": Look(top=True, number_format=sheet_money_format(lang),
                      number_kind="CURRENCY"),
        "pct": Look(top=True, number_format="0%", number_kind="PERCENT"),
        # the Dashboard's due list: boxed, so its rows empty today read as free slots
        "slot": Look(top=True, border=True),
        "slot_wrap": Look(wrap=True, top=True, border=True),
        "slot_date": Look(align="center", top=True, border=True, number_format=dfmt,
                          number_kind="DATE"),
        "input": Look(fill=INPUT_FILL, border=True),
        "input_date": Look(bold=True, fill=INPUT_FILL, border=True, align="center",
                           number_format=dfmt, number_kind="DATE"),
        # conditional formats
        "late": Look(fill=LATE_FILL),
        "due": Look(fill=DUE_FILL),
        "done": Look(color=DONE_FONT),
        "span": Look(fill=SPAN_FILL),
        "milestone": Look(fill=MILESTONE_FILL),
        "today": Look(fill=TODAY_FILL),
        "worked": Look(fill=WORKED_FILL),
    }
