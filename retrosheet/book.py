"""A plan read back from a workbook's sheets, whatever the backend that read them.

Backends (an .xlsx file, Excel through xlwings, a Google Sheet) hand over the sheet
names and a way to read one sheet's rows; this module finds Planning, Settings and
Contacts, parses them, and remembers where the tables sit for writing back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from .errors import (
    Msg,
    PlanError,
    RetrosheetError,
    WorkbookError,
    flat,
    in_language,
    msg,
    raise_all,
)
from .grid import (
    HEADER_SCAN_ROWS,
    Grid,
    Table,
    find_table,
    parse_contacts,
    parse_settings,
)
from .labels import contact_key, sheet_key
from .model import Plan, Settings
from .schedule import check_tasks
from .task_rows import RowLost, parse_task_rows

Rows = Callable[[str], Iterable[Sequence[Any]]]
_REPEATED = frozenset({"type", "unit", "status", "axis", "owner", "platform", "kpi"})


@dataclass
class LoadedPlan:
    """A plan with where its tables sit (for writing back)."""

    plan: Plan
    planning: Table
    contacts: Table | None
    settings_sheet: str
    planning_grid: Grid  # empty unless asked for (`load_from_sheets(grid=True)`)
    date1904: bool
    sheet_names: tuple[str, ...] = ()


def _planning(rows: Iterable[Sequence[Any]], sheet: str, lang: str,
              keep: bool) -> tuple[Grid, Table, Iterable[Sequence[Any]]]:
    """The Planning grid cut to the table's own and user columns (the week strip's
    columns, dates as headers, are retrosheet's paint and would only cost memory), and
    its rows under the header. `keep`: the grid is held (else empty: the rows are read
    as they come)."""
    it = iter(rows)
    head = [list(row) for _, row in zip(range(HEADER_SCAN_ROWS), it, strict=False)]
    table = find_table(head, sheet, lang)
    width = max([*table.columns.values(), *table.extra.values()]) + 1
    grid: list[Sequence[Any]] = [row[:width] for row in head]
    if not keep:
        return (), table, chain(grid[table.header_row + 1:], (row[:width] for row in it))
    # Dropdown and name columns repeat a few texts down 100,000 rows: one object each.
    shared = [c for k, c in table.columns.items() if k in _REPEATED]
    texts: dict[str, str] = {}
    for row in it:
        cut_row = list(row[:width])
        for c in shared:
            if c < len(cut_row) and type(cut_row[c]) is str:
                cut_row[c] = texts.setdefault(cut_row[c], cut_row[c])
        grid.append(cut_row)
    return grid, table, islice(grid, table.header_row + 1, None)


THE_WORKBOOK: Msg = msg("err.read.the_workbook")


def load_from_sheets(names: Sequence[str], rows_of: Rows, *, date1904: bool = False,
                     book: str | Msg = THE_WORKBOOK, grid: bool = True) -> LoadedPlan:
    """Read Planning, Settings and Contacts from a workbook's sheets by their names.

    `book` names the workbook in messages (a file name, or a catalogue message); `grid`:
    keep Planning's grid (`LoadedPlan.planning_grid`, else empty) for a caller that
    compares cells with it."""
    by_key = {sheet_key(n): n for n in reversed(names)}
    if "planning" not in by_key:
        raise WorkbookError(msg("err.read.no_planning_sheet", book=book,
                                sheets=", ".join(names)))
    if "settings" not in by_key:
        raise WorkbookError(msg("err.read.no_settings_sheet", book=book,
                                sheets=", ".join(names)))
    problems: list[RetrosheetError] = []
    lang: str | None = None  # the plan's, once its Settings say it
    try:
        try:
            settings = parse_settings(list(rows_of(by_key["settings"])), by_key["settings"],
                                      date1904, typed=True)
            lang = settings.lang
        except PlanError as exc:  # read on: the other sheets' problems are shown too
            problems += flat(exc)
            lang = exc.lang
            settings = Settings(release=dt.date(2000, 1, 1), lang=lang or "fr")
        pgrid, table, body = _planning(rows_of(by_key["planning"]), by_key["planning"],
                                       settings.lang, keep=grid)
        tasks = parse_task_rows(body, table, date1904, typed=True, lang=settings.lang,
                                problems=problems)
        plan = Plan(settings, tasks)
        ctable = None
        if "contacts" in by_key:
            cgrid = list(rows_of(by_key["contacts"]))
            try:
                ctable = find_table(cgrid, by_key["contacts"], settings.lang, contact_key)
            except RetrosheetError:
                ctable = None  # an empty or hand-made Contacts sheet without our headers
            if ctable is not None:
                try:
                    plan.contacts = parse_contacts(cgrid, ctable, date1904, settings.lang)
                except PlanError as exc:
                    problems += flat(exc)
        if problems and not any(isinstance(e, RowLost) for e in problems):
            try:  # unknown anchors and duplicates too, so that one run shows everything
                check_tasks(tasks)
            except PlanError as exc:
                problems += flat(exc)
        raise_all(problems, lang)
    except RetrosheetError as exc:
        if lang:
            in_language(exc, lang)
        raise
    except (ValueError, TypeError, IndexError) as exc:
        raise WorkbookError(msg("err.read.unreadable", book=book, reason=str(exc)),
                            lang=lang) from exc
    return LoadedPlan(plan, table, ctable, by_key["settings"], pgrid, date1904, tuple(names))


def mark_typed_dates(loaded: LoadedPlan, has_formula: Callable[[int, int], bool]) -> None:
    """Dates the user typed over the formulas (`has_formula(row, col)` is False): the
    checks report them, recompute replaces them."""
    cols = loaded.planning.columns
    keys = [(key, cols[key]) for key in ("start", "deadline") if key in cols]
    shared: dict[tuple[str, ...], frozenset[str]] = {}  # one set each: 100,000 tasks share 4
    for t in loaded.plan.tasks:
        if t.source is None:
            continue
        row = t.source.row
        typed = tuple(key for key, col in keys
                      if getattr(t, key) is not None and not has_formula(row, col))
        found = shared.get(typed)
        if found is None:
            found = shared[typed] = frozenset(typed)
        t.typed = found
