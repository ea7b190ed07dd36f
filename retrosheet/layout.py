"""Where things sit in a generated workbook: columns, cells, formats, formulas.

Shared by every backend that writes a new plan, so an .xlsx and a Google Sheet have
the same layout and the same live formulas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Final

from .labels import PLANNING_KEYS, SETTINGS_FIELDS, Axis, Reply, Status, TaskType, Unit
from .model import RELEASE, Scheduled, Settings
from .values import column_letter
from .words import t

# Planning: one column per key, in the contract's order, then the week strip.
COL: Final[dict[str, int]] = {k: i for i, k in enumerate(PLANNING_KEYS)}
LETTER: Final[dict[str, str]] = {k: column_letter(i) for k, i in COL.items()}
# A narrow column whose cells hold ="" stops long notes from spilling over the strip.
SPACER_COL: Final = len(PLANNING_KEYS)
STRIP_FIRST_COL: Final = SPACER_COL + 1  # first week column, 0-based

# Narrow, wrapped text columns: ID → Statut prints one landscape page wide at ≥ 8 points.
WIDTHS: Final[dict[str, float]] = {
    "id": 6.5, "type": 8, "axis": 13.5, "action": 41.5, "owner": 14, "anchor": 8,
    "offset": 8, "unit": 8, "duration": 5, "start": 10.5, "deadline": 10.5, "status": 9,
    "followup": 7, "platform": 12, "kpi": 11, "objective": 9, "result": 9,
    "budget": 8, "spent": 8, "notes": 120,
}
STRIP_WIDTH: Final = 3.2

# Settings: values in column B from row 3, in SETTINGS_FIELDS order.
SETTINGS_FIRST_ROW: Final = 3
SETTINGS_ROW: Final[dict[str, int]] = {
    k: SETTINGS_FIRST_ROW + i for i, k in enumerate(SETTINGS_FIELDS)
}
TEAM_HEADER_ROW: Final = SETTINGS_FIRST_ROW + len(SETTINGS_FIELDS) + 2  # 1-based
DAYS_OFF_COL: Final = 4  # column E: dates; F: labels
DAYS_OFF_FIRST_ROW: Final = 3
DAYS_OFF_LAST_ROW: Final = 400
LISTS_FIRST_COL: Final = 7  # column H onwards: the lists behind dropdowns
LISTS: Final = ("status", "axis", "unit", "type", "reply")


OFFSET_FORMAT: Final = '"J+"0;"J-"0;"J"'


def list_values(name: str, lang: str) -> list[str]:
    enum = {"status": Status, "axis": Axis, "unit": Unit, "type": TaskType, "reply": Reply}[name]
    return enum.labels(lang)


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


_E = column_letter(DAYS_OFF_COL)
RELEASE_CELL: Final = f"$B${SETTINGS_ROW['release']}"
DAYS_OFF_RANGE: Final = f"${_E}${DAYS_OFF_FIRST_ROW}:${_E}${DAYS_OFF_LAST_ROW}"


class Refs:
    """Absolute references to the Settings cells the Planning formulas read.

    A new plan has them where layout puts them; a plan read back passes where they were
    found, so a user who moved things on Settings keeps working formulas.
    """

    def __init__(self, settings_sheet: str, release: str = RELEASE_CELL,
                 days_off: str = DAYS_OFF_RANGE) -> None:
        s = quote_sheet(settings_sheet)
        self.release = f"{s}!{release}"
        self.days_off = f"{s}!{days_off}"
        self.settings = s

    def list_range(self, name: str, count: int) -> str:
        col = column_letter(LISTS_FIRST_COL + LISTS.index(name))
        return f"{self.settings}!${col}$2:${col}${1 + count}"


def _lookup(anchor_id_expr: str, cols: Mapping[str, str]) -> str:
    """The deadline of the task whose ID is `anchor_id_expr`, without a circular range.

    OFFSET from the header cell keeps the formula's only static range outside the
    deadline column's data (Google Sheets rejects a range that contains the cell itself).
    """
    k, a = cols["deadline"], cols["id"]
    return f"OFFSET(${k}$1,MATCH({anchor_id_expr},${a}:${a},0)-1,0)"


EVENT_TYPES: Final = (TaskType.MILESTONE, TaskType.RELEASE)


def is_event_formula(type_cell: str) -> str:
    """TRUE when the Type cell names an event (milestone, release): no duration, kept day."""
    return "OR(" + ",".join(
        f'{type_cell}="{label}"' for e in EVENT_TYPES for label in e.every()) + ")"


def deadline_formula(row: int, anchors: tuple[str, ...], refs: Refs,
                     cols: Mapping[str, str] = LETTER) -> str:
    """Live deadline for a Planning row (docs/dates.md), the same rule as the engine.

    A single anchor is read from the row's Dépend de cell, so editing it moves the date;
    several anchors are written into the formula (recompute rewrites it).
    """
    f, g, h = (f"${cols[k]}{row}" for k in ("anchor", "offset", "unit"))
    if len(anchors) == 1:
        anchor = f'IF({f}="{RELEASE}",{refs.release},{_lookup(f, cols)})'
    else:
        parts = [refs.release if a == RELEASE else _lookup(f'"{a}"', cols) for a in anchors]
        anchor = "MIN(" + ",".join(parts) + ")"
    b = f"${cols['type']}{row}"
    working = f'(ISNUMBER(SEARCH("ouvr",{h}))+ISNUMBER(SEARCH("work",{h}))>0)'
    # An event or a fixed-day offset keeps its day: WORKDAY(x,0) is x.
    kept = f'OR({is_event_formula(b)},ISNUMBER(SEARCH("fix",{h})))'
    # Calendar days round away from the anchor (docs/dates.md): after it, the first working day
    # on or after x is WORKDAY(x-1,1); before it (or on it), the last one on or before x is
    # WORKDAY(x+1,-1). The anchor appears once to keep the formula short.
    away = f"IF({g}>0,1,-1)"
    return (
        f"=WORKDAY({anchor}+IF({working},0,{g}-IF({kept},0,{away})),"
        f"IF({working},{g},IF({kept},0,{away})),{refs.days_off})"
    )


def start_formula(row: int, refs: Refs, cols: Mapping[str, str] = LETTER) -> str:
    i, k = f"${cols['duration']}{row}", f"${cols['deadline']}{row}"
    return f'=IF(OR({i}="",{i}<=1),{k},WORKDAY({k},1-{i},{refs.days_off}))'


def week_header_formula(week: int, refs: Refs) -> str:
    """Monday of the week `week` weeks after the release week."""
    r = refs.release
    return f"={r}-WEEKDAY({r},3)+{7 * week}"


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# Public holidays are listed from 2 years before the release to 5 after, so the
# formulas stay right when the release moves; recompute tops the list up beyond that.
HOLIDAY_YEARS: Final = (-2, 5)


def strip_weeks(release: dt.date, dates: Iterable[Scheduled]) -> range:
    """Weeks of the Planning strip, counted from the release week."""
    spans = list(dates)
    release_monday = monday(release)
    first = min(monday(d.start) for d in spans)
    last = max(monday(d.deadline) for d in spans)
    return range((first - release_monday).days // 7, (last - release_monday).days // 7 + 1)


def days_off_rows(settings: Settings, lang: str) -> list[tuple[dt.date, str]]:
    """The Settings days-off list of a new plan: public holidays of the years the plan can
    move into, then the team's own days off."""
    from .schedule import calendar_for

    years = range(settings.release.year + HOLIDAY_YEARS[0],
                  settings.release.year + HOLIDAY_YEARS[1] + 1)
    out = sorted(calendar_for(settings).holidays(years, lang).items())
    label = t("design.day_off", lang)
    out += [(d, label) for d in sorted(settings.days_off)]
    return out[:DAYS_OFF_LAST_ROW - DAYS_OFF_FIRST_ROW + 1]
