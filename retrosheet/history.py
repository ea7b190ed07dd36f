"""The History sheet read back: where its columns are, and each indicator's past measures.

`report --write-sheet` appends one row per axis (tasks, done, late, budget, spent) and,
since the indicator column exists, one row per indicator (its axis, indicator, objective
and result) to History. Sheets written before have no indicator column: it is added at the
right of their header the next time, and their axis rows are still read and kept. The
report compares each indicator's measure with the History row nearest to 7 days earlier
(its week-on-week change).

Pure: a grid of values in, measures out; the store reads the grid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .labels import HISTORY_COLUMNS, normalize
from .values import is_blank, parse_date, parse_number
from .words import every

HISTORY_KEYS = list(HISTORY_COLUMNS)
_HISTORY_NAMES = {normalize(v): k for k in HISTORY_COLUMNS for v in every(f"history.{k}")}
WEEK = dt.timedelta(days=7)


@dataclass
class HistoryLayout:
    header_row: int | None  # None: the sheet is empty, the header is to write
    last_row: int  # last used row (0: none)
    columns: dict[str, int]  # key → 0-based column
    missing: list[str]  # keys with no column yet: given one after the last header


def history_layout(grid: Sequence[Sequence[Any]]) -> HistoryLayout:
    """Where this run's History rows go in a sheet whose values are `grid` (row by row)."""
    def blank(v: Any) -> bool:
        return v is None or (isinstance(v, str) and not v.strip())

    used = [i for i, row in enumerate(grid) if not all(blank(v) for v in row)]
    if not used:
        return HistoryLayout(None, 0, {k: i for i, k in enumerate(HISTORY_KEYS)}, [])
    last = used[-1] + 1
    for r in used[:10]:
        found: dict[str, int] = {}
        for c, v in enumerate(grid[r]):
            key = _HISTORY_NAMES.get(normalize(v)) if isinstance(v, str) else None
            if key and key not in found:
                found[key] = c
        if len(found) >= 3:
            missing = [k for k in HISTORY_KEYS if k not in found]
            right = max(c for c, v in enumerate(grid[r]) if not blank(v))
            for i, k in enumerate(missing, start=1):
                found[k] = right + i
            return HistoryLayout(r + 1, last, found, missing)
    # A sheet with other content and no header of ours: our columns, below what is there.
    return HistoryLayout(None, last, {k: i for i, k in enumerate(HISTORY_KEYS)}, [])


@dataclass(frozen=True)
class PastMeasure:
    """One indicator's result as a report run recorded it on History."""

    day: dt.date
    axis: str
    kpi: str
    value: float
    order: int  # the row's place on the sheet: of two runs the same day, the later counts


def _key(axis: str, kpi: str) -> tuple[str, str]:
    return normalize(axis), normalize(kpi)


def past_measures(grid: Sequence[Sequence[Any]], date1904: bool = False) -> list[PastMeasure]:
    """The indicator rows of a History sheet whose values are `grid`. Axis rows (no
    indicator: every row of a sheet written before indicators were recorded) and rows a
    person typed that are not a date and a number are no measure, and are skipped."""
    layout = history_layout(grid)
    cols = layout.columns
    if layout.header_row is None or "kpi" in layout.missing:
        return []

    def at(row: Sequence[Any], key: str) -> Any:
        c = cols[key]
        return row[c] if c < len(row) else None

    out = []
    for i, row in enumerate(grid[layout.header_row:], start=layout.header_row):
        kpi, value = at(row, "kpi"), at(row, "result")
        if is_blank(kpi) or is_blank(value):
            continue
        try:
            day = parse_date(at(row, "date"), date1904)
            number = parse_number(value)
        except (ValueError, OverflowError):
            continue
        axis = at(row, "axis")
        out.append(PastMeasure(day, "" if is_blank(axis) else str(axis).strip(),
                               str(kpi).strip(), number, i))
    return out


def week_before(past: Iterable[PastMeasure], axis: str, kpi: str,
                as_of: dt.date) -> PastMeasure | None:
    """The measure of this indicator (axis and KPI) nearest to 7 days before `as_of`,
    among those recorded before that day (a run of the same day is this week's); of two
    as near, the older (a whole week); None when History has none."""
    key = _key(axis, kpi)
    target = as_of - WEEK
    found = [m for m in past if m.day < as_of and _key(m.axis, m.kpi) == key]
    if not found:
        return None
    return min(found, key=lambda m: (abs((m.day - target).days), m.day, -m.order))
