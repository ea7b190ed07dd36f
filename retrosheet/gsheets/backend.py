"""A plan that lives in a Google Sheet: open, recompute, check, report --write-sheet.

Requests per command (docs/contract.md §9): reading a plan is one spreadsheets.get (report, check,
export, ics); ``report --write-sheet`` adds one batchUpdate; ``recompute`` reads once,
and when something changed re-reads the ID column and the Contacts rows (a second get)
right before one batchUpdate that writes only the cells retrosheet owns.

Rows are matched by ID, never by position: between the read and the write a teammate
may insert, delete or sort rows. The re-read gives each task's row as it is now; every
value and formula is written on that row (formulas rebuilt for it), new follow-up rows
go below the table's current last row, and a task whose row vanished is reported, not
written. The header row is compared too: columns moved in between stop the write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import layout as L
from ..actions import Recomputation, recompute_store, write_report
from ..book import LoadedPlan
from ..errors import msg
from ..grid import Table
from ..model import Plan
from ..report import Report
from ..store import Growth, Reason, Saved, SheetSpec, Skipped
from ..updates import CellUpdate
from ..values import column_letter, to_serial
from . import style
from .cells import Json, cells_of, grid_range, update_cells
from .client import Sheets, SheetsError, connect
from .sheet import Book, SheetData, book_of, load, read_book

REREAD_FIELDS = ("sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),"
                 "data(startRow,startColumn,rowData(values(userEnteredValue,effectiveValue))))")


def _api(api: Sheets | None, credentials: str | Path | None) -> Sheets:
    return api if api is not None else connect(credentials)


# ---- reading -------------------------------------------------------------------------------

@dataclass
class SheetPlan:
    """A plan read from a Google Sheet in one request, to report on or write back to."""

    api: Sheets
    book: Book
    loaded: LoadedPlan

    @property
    def plan(self) -> Plan:
        return self.loaded.plan

    def write_report(self, report: Report) -> None:
        """`report --write-sheet`: the Report sheet replaced, History appended (1 request)."""
        write_report(SheetStore(self.book.key, self.api, self.book), report)


def open_plan(key: str, *, api: Sheets | None = None,
              credentials: str | Path | None = None) -> SheetPlan:
    """The plan in spreadsheet `key` (one request)."""
    api = _api(api, credentials)
    book = read_book(api, key)
    return SheetPlan(api, book, load(book))


# ---- recompute -----------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def recompute_sheet(key: str, *, dry_run: bool = False, api: Sheets | None = None,
                    credentials: str | Path | None = None) -> Recomputation:
    """Recompute the plan in spreadsheet `key`; write only the owned cells that change.

    One request when nothing changes (or with dry_run), three otherwise: the read, the
    re-read of where each task is now, the write.
    """
    return recompute_store(SheetStore(key, _api(api, credentials)), dry_run=dry_run)


class SheetStore:
    """A Google Sheet behind the PlanStore interface: read in one request; `save` sends
    what was applied in one batchUpdate (after re-reading where each task is now when
    Planning or Contacts rows are written)."""

    live = True  # Google computes the formulas
    date1904 = False

    def __init__(self, key: str, api: Sheets, book: Book | None = None) -> None:
        self.api = api
        self.book = book if book is not None else read_book(api, key)  # one request
        self._updates: list[CellUpdate] = []
        self._growth: Growth | None = None
        self._specs: list[SheetSpec] = []
        self._loaded: LoadedPlan | None = None

    @property
    def name(self) -> str:
        return self.book.title or self.book.key

    @property
    def loaded(self) -> LoadedPlan:
        if self._loaded is None:
            self._loaded = load(self.book)
        return self._loaded

    def sheet_names(self) -> list[str]:
        return self.book.names

    def rows(self, sheet: str) -> list[list[Any]]:
        return self.book.sheet(sheet).values

    def formula(self, sheet: str, row: int, col: int) -> str | None:
        return self.book.sheet(sheet).formulas.get((row - 1, col))

    def apply(self, updates: Sequence[CellUpdate], growth: Growth | None = None) -> None:
        self._updates += updates
        if growth is not None:
            self._growth = growth

    def put_sheet(self, spec: SheetSpec) -> None:
        self._specs.append(spec)

    def save(self) -> Saved:
        requests: list[Json] = []
        skipped: list[Skipped] = []
        not_written: set[int] = set()
        if self._updates:
            loaded = self.loaded
            tables = {loaded.planning.sheet} | (
                {loaded.contacts.sheet} if loaded.contacts is not None else set())
            if any(u.sheet in tables for u in self._updates):
                now = reread(self.api, self.book, loaded)
            else:
                now = Now(self.book.sheet(loaded.planning.sheet), None,
                          {x.title: (x.row_count, x.column_count) for x in self.book.sheets})
            placed, skipped = place(self._updates, loaded, self._growth, self.book, now)
            kept = {i for i, _ in placed}
            not_written = {id(u) for i, u in enumerate(self._updates) if i not in kept}
            added = _new_rows(self._updates, loaded.planning.sheet, self._growth)
            requests += write_requests([u for _, u in placed], self.book, now, loaded, added)
        taken: list[int] = []
        for spec in self._specs:
            requests += spec_requests(self.book, spec, taken)
        if requests:
            self.api.batch_update(self.book.key, requests)
        self._updates, self._specs = [], []
        return Saved(bool(requests), skipped, [], frozenset(not_written))


@dataclass
class Now:
    """Where things are right before the write."""

    planning: SheetData
    contacts: SheetData | None
    sizes: dict[str, tuple[int, int]]  # sheet title → (rows, columns)


def _a1_sheet(title: str) -> str:
    return L.quote_sheet(title)


def reread(api: Sheets, book: Book, loaded: LoadedPlan) -> Now:
    """The Planning ID column and header row, and the Contacts rows, as they are now."""
    t = loaded.planning
    idc = column_letter(t.columns["id"])
    hr = t.header_row + 1
    ranges = [f"{_a1_sheet(t.sheet)}!{idc}:{idc}", f"{_a1_sheet(t.sheet)}!{hr}:{hr}"]
    if loaded.contacts is not None:
        ranges.append(_a1_sheet(loaded.contacts.sheet))
    answer = api.get(book.key, fields=REREAD_FIELDS, ranges=ranges, include_grid_data=True)
    fresh = book_of(book.key, answer)
    try:
        planning = fresh.sheet(t.sheet)
    except KeyError:
        raise SheetsError(msg("err.surface.sheets.sheet_gone", sheet=repr(t.sheet))) from None
    sizes = {s.title: (s.row_count, s.column_count) for s in fresh.sheets}
    contacts = None
    if loaded.contacts is not None:
        try:
            contacts = fresh.sheet(loaded.contacts.sheet)
        except KeyError:
            contacts = None
    old_planning = book.sheet(t.sheet)
    for col in t.columns.values():
        if _text(old_planning.value(hr, col)) != _text(planning.value(hr, col)):
            raise SheetsError(msg("err.surface.sheets.header_moved", sheet=repr(t.sheet)))
    return Now(planning, contacts, sizes)


def _ids(sheet: SheetData, col: int, after_row: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, row in enumerate(sheet.values):
        r = i + 1
        if r <= after_row or col >= len(row):
            continue
        v = _text(row[col]).strip()
        if v:
            out.setdefault(v, []).append(r)
    return out


def _contact_identity(values: Sequence[Any], table: Table) -> tuple[str, ...]:
    keys = ("id", "task", "outlet", "name", "email")
    return tuple(_text(values[table.columns[k]]).strip()
                 if k in table.columns and table.columns[k] < len(values) else ""
                 for k in keys)


_OWN_ROW = r"(?<![A-Za-z0-9_$!])(\$?[A-Z]{{1,3}}){row}(?![0-9])"


def move_formula(formula: str | None, old: int, new: int) -> str | None:
    """A formula written for row `old`, rewritten for row `new`: references to its own
    row (`$F12`, `F12`) follow it; absolute rows (`$K$1`) and other sheets' cells stay."""
    if formula is None or old == new:
        return formula
    return re.sub(_OWN_ROW.format(row=old), lambda m: f"{m.group(1)}{new}", formula)


def _new_rows(updates: Sequence[CellUpdate], sheet: str, growth: Growth | None) -> set[str]:
    """Tasks of the rows the table grows by (new follow-up rows)."""
    if growth is None:
        return set()
    return {u.task for u in updates
            if u.sheet == sheet and u.task and u.row > growth.old_last}


def place(updates: Sequence[CellUpdate], loaded: LoadedPlan, growth: Growth | None, book: Book,
          now: Now) -> tuple[list[tuple[int, CellUpdate]], list[Skipped]]:
    """Each update moved to the row its task (or contact) is on now, or skipped:
    (index in `updates`, the update on its row now) and what was skipped."""
    t = loaded.planning
    id_rows = _ids(now.planning, t.columns["id"], t.header_row + 1)
    last = max((r for rows in id_rows.values() for r in rows), default=t.header_row + 1)
    added = _new_rows(updates, t.sheet, growth)
    contacts_now: dict[tuple[str, ...], list[int]] = {}
    ct = loaded.contacts
    if ct is not None and now.contacts is not None:
        for i, line in enumerate(now.contacts.values):
            if i + 1 > ct.header_row + 1 and any(v not in (None, "") for v in line):
                contacts_now.setdefault(_contact_identity(line, ct), []).append(i + 1)
    old_contacts = book.sheet(ct.sheet) if ct is not None else None
    placed: list[tuple[int, CellUpdate]] = []
    skipped: dict[tuple[str, str, str], Skipped] = {}

    def skip(sheet: str, task: str, reason: Reason) -> None:
        skipped.setdefault((sheet, task, reason), Skipped(sheet, task, reason))

    for i, u in enumerate(updates):
        row = u.row
        if u.sheet == t.sheet and u.task:
            if u.task in added:
                if u.task in id_rows:
                    skip(u.sheet, u.task, "exists")
                    continue
                assert growth is not None
                row = last + (u.row - growth.old_last)
            else:
                rows = id_rows.get(u.task, [])
                if len(rows) != 1:
                    skip(u.sheet, u.task, "deleted" if not rows else "duplicated")
                    continue
                row = rows[0]
        elif ct is not None and old_contacts is not None and u.sheet == ct.sheet:
            ident = _contact_identity(
                old_contacts.values[u.row - 1] if u.row - 1 < len(old_contacts.values) else [],
                ct)
            rows = contacts_now.get(ident, [])
            if len(rows) != 1:
                skip(u.sheet, u.task or ident[1], "deleted" if not rows else "duplicated")
                continue
            row = rows[0]
        placed.append((i, dataclasses.replace(u, row=row,
                                              formula=move_formula(u.formula, u.row, row))))
    return placed, list(skipped.values())


def write_requests(placed: Sequence[CellUpdate], book: Book, now: Now, loaded: LoadedPlan,
                   added: set[str]) -> list[Json]:
    """One batchUpdate's requests: rows added if the grid is too short, then the cells.

    Dates carry their date format (a plan made by hand may have none), a new follow-up's
    offset the J±n format; nothing else about a cell's look is touched.
    """
    lang = loaded.plan.settings.lang
    added_rows = {u.row for u in placed if u.sheet == loaded.planning.sheet and u.task in added}
    offset_col = loaded.planning.columns.get("offset")
    out: list[Json] = []
    by_sheet: dict[str, list[CellUpdate]] = {}
    for u in placed:
        by_sheet.setdefault(u.sheet, []).append(u)
    for title, ups in by_sheet.items():
        sheet = book.sheet(title)
        rows, _ = now.sizes.get(title, (sheet.row_count, sheet.column_count))
        need = max(u.row for u in ups)
        if need > rows:
            out.append({"appendDimension": {"sheetId": sheet.id, "dimension": "ROWS",
                                            "length": need - rows}})
        formats: dict[tuple[int, int], Json] = {}
        for u in ups:
            if u.kind == "date":
                formats[(u.row - 1, u.col)] = style.number("date", lang)
            elif u.row in added_rows and u.col == offset_col and title == loaded.planning.sheet:
                formats[(u.row - 1, u.col)] = style.role("offset", lang)
        plain = [u for u in ups if (u.row - 1, u.col) not in formats]
        styled = [u for u in ups if (u.row - 1, u.col) in formats]
        out += update_cells(sheet.id, cells_of(plain, book.locale), "userEnteredValue")
        out += update_cells(sheet.id, cells_of(styled, book.locale, formats),
                            "userEnteredValue,userEnteredFormat.numberFormat")
    return out


# ---- report --write-sheet ------------------------------------------------------------------

def spec_requests(book: Book, spec: SheetSpec, taken: list[int]) -> list[Json]:
    """The requests writing `spec` (the sheet added when the book lacks it); the book is
    then updated as if read again, so a later spec appends below this one."""
    fmt = style.report_styles(spec.lang)
    out: list[Json] = []
    sheet = book.find(spec.key, spec.lang)
    new = sheet is None
    if sheet is None:
        sid = book.new_sheet_id(taken)
        taken.append(sid)
        sheet = SheetData(sid, spec.name, len(book.sheets), 1000, 26)
        grid: Json = {"rowCount": sheet.row_count, "columnCount": sheet.column_count}
        if spec.frozen_rows:
            grid["frozenRowCount"] = spec.frozen_rows
        out.append({"addSheet": {"properties": {"sheetId": sid, "title": sheet.title,
                                                "gridProperties": grid}}})
        book.sheets.append(sheet)
    elif spec.replace:
        out.append({"updateCells": {"range": grid_range(sheet.id),
                                    "fields": "userEnteredValue,userEnteredFormat"}})
        sheet.values, sheet.formulas = [], {}
    last = spec.first_row + len(spec.rows) - 1
    width = max((len(r) for r in spec.rows), default=1)
    if last > sheet.row_count:
        out.append({"appendDimension": {"sheetId": sheet.id, "dimension": "ROWS",
                                        "length": last - sheet.row_count}})
        sheet.row_count = last
    if width > sheet.column_count:
        out.append({"appendDimension": {"sheetId": sheet.id, "dimension": "COLUMNS",
                                        "length": width - sheet.column_count}})
        sheet.column_count = width
    cells: dict[tuple[int, int], Json] = {}
    for r, row in enumerate(spec.rows, start=spec.first_row):
        for c, v in enumerate(row):
            if v is None:
                continue
            if v.kind == "date":
                assert isinstance(v.value, dt.date)
                data: Json = {"userEnteredValue": {"numberValue": to_serial(v.value)}}
            elif v.kind == "number":
                data = {"userEnteredValue": {"numberValue": v.value}}
            else:
                data = {"userEnteredValue": {"stringValue": str(v.value)}}
            if v.style in fmt:
                data["userEnteredFormat"] = fmt[v.style]
            cells[(r - 1, c)] = data
            while len(sheet.values) < r:
                sheet.values.append([])
            line = sheet.values[r - 1]
            line.extend([None] * (c + 1 - len(line)))
            line[c] = v.value
    out += update_cells(sheet.id, cells, "userEnteredValue,userEnteredFormat")
    if new:
        for c, w in sorted(spec.widths.items()):
            out.append(_width(sheet.id, c, c + 1, style.px(w)))
    return out


def _width(sheet_id: int, c0: int, c1: int, pixels: int) -> Json:
    return {"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": c0,
                  "endIndex": c1},
        "properties": {"pixelSize": pixels}, "fields": "pixelSize"}}

