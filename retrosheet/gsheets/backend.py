"""A plan that lives in a Google Sheet: open, recompute, check, report --write-sheet.

Requests per command (SPEC §9): reading a plan is one spreadsheets.get (report, check,
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import layout as L
from ..book import LoadedPlan, mark_typed_dates
from ..errors import PlanError
from ..grid import Table
from ..labels import HISTORY_COLUMNS, sheet_name
from ..model import Plan
from ..recompute import Recomputed, recompute
from ..report import Report
from ..updates import CellUpdate, Change
from ..values import column_letter, to_serial
from . import style
from .cells import Json, canonical, cells_of, grid_range, localize, update_cells
from .client import Sheets, SheetsError, connect
from .sheet import Book, SheetData, book_of, load, read_book

REREAD_FIELDS = ("sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),"
                 "data(startRow,startColumn,rowData(values(userEnteredValue,effectiveValue))))")


@dataclass(frozen=True)
class Skipped:
    """Cells not written because their row is no longer where the task is."""

    sheet: str
    task: str
    reason: str  # "deleted", "duplicated", "exists" (a follow-up someone added meanwhile)

    def message(self, lang: str) -> str:
        fr = {"deleted": "sa ligne a été supprimée pendant le calcul ; rien n'y est écrit",
              "duplicated": "son ID figure maintenant sur plusieurs lignes ; rien n'y est écrit",
              "exists": "cette relance a été ajoutée pendant le calcul ; elle est gardée"}
        en = {"deleted": "its row was deleted while recomputing; nothing written for it",
              "duplicated": "its ID is now on several rows; nothing written for it",
              "exists": "this follow-up was added meanwhile; it is kept as it is"}
        text = (fr if lang == "fr" else en)[self.reason]
        return f"{self.sheet} ({self.task}) : {text}" if lang == "fr" \
            else f"{self.sheet} ({self.task}): {text}"


@dataclass
class SheetRecomputed:
    """What `recompute` did to a Google Sheet."""

    loaded: LoadedPlan
    result: Recomputed
    changes: list[Change]  # as read (rows as read); written where their task is now
    written: bool
    skipped: list[Skipped] = field(default_factory=list)
    book: Book | None = None


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
        self.api.batch_update(self.book.key, report_requests(self.book, report, remember=True))


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


def _same(old: Any, u: CellUpdate) -> bool:
    if u.kind == "blank" or u.value is None:
        return old is None or old == ""
    if u.kind in ("date", "number"):
        return isinstance(old, float) and isinstance(u.value, int | float) \
            and old == float(u.value)
    return _text(old) == str(u.value)


def changes_of(book: Book, updates: Sequence[CellUpdate]) -> list[Change]:
    """The updates that change a cell as read: what is written, what --dry-run shows.

    A formula is the same when it reads the same (separators and spaces aside): Google
    keeps its result up to date, so its cached value is never compared.
    """
    out: list[Change] = []
    for u in updates:
        sheet = book.sheet(u.sheet)
        old = sheet.value(u.row, u.col)
        old_formula = sheet.formulas.get((u.row - 1, u.col))
        if u.formula:
            same = old_formula is not None and (
                old_formula == localize(u.formula, book.locale)
                or canonical(old_formula) == canonical(u.formula))
        else:
            same = old_formula is None and _same(old, u)
        if not same:
            new = "" if u.value is None else _text(
                float(u.value) if isinstance(u.value, int) else u.value)
            out.append(Change(u, _text(old), new))
    return out


def _check_room(loaded: LoadedPlan, planning: SheetData, result: Recomputed) -> None:
    formula_rows = {r for r, _ in planning.formulas}
    for r in range(result.old_last_row + 1, result.last_row + 1):
        row = planning.values[r - 1] if r - 1 < len(planning.values) else []
        if any(v is not None and v != "" for v in row) or r - 1 in formula_rows:
            raise PlanError(
                f"row {r} below the Planning table is not empty: move it to make room "
                f"for {result.last_row - result.old_last_row} new follow-up row(s)",
                sheet=loaded.planning.sheet, cell=f"A{r}")


def recompute_sheet(key: str, *, dry_run: bool = False, api: Sheets | None = None,
                    credentials: str | Path | None = None) -> SheetRecomputed:
    """Recompute the plan in spreadsheet `key`; write only the owned cells that change.

    One request when nothing changes (or with dry_run), three otherwise: the read, the
    re-read of where each task is now, the write.
    """
    api = _api(api, credentials)
    book = read_book(api, key)
    loaded = load(book)
    planning = book.sheet(loaded.planning.sheet)
    mark_typed_dates(loaded, planning.has_formula)
    result = recompute(loaded.plan, loaded.planning, loaded.contacts, loaded.settings_sheet)
    _check_room(loaded, planning, result)
    changes = changes_of(book, result.updates)
    if dry_run or not changes:
        return SheetRecomputed(loaded, result, changes, False, [], book)
    now = reread(api, book, loaded)
    placed, skipped = place([c.update for c in changes], loaded, result, book, now)
    if placed:
        api.batch_update(key, write_requests([u for _, u in placed], book, now, loaded, result))
    kept = [changes[i] for i, _ in placed]
    return SheetRecomputed(loaded, result, kept, bool(placed), skipped, book)


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
        raise SheetsError(f"the {t.sheet!r} sheet was renamed or deleted while retrosheet was "
                          "recomputing: nothing was written; run recompute again") from None
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
            raise SheetsError(
                f"the {t.sheet!r} header row changed while retrosheet was recomputing "
                "(columns or rows moved above the table?): nothing was written; run "
                "recompute again")
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


def place(updates: Sequence[CellUpdate], loaded: LoadedPlan, result: Recomputed, book: Book,
          now: Now) -> tuple[list[tuple[int, CellUpdate]], list[Skipped]]:
    """Each update moved to the row its task (or contact) is on now, or skipped:
    (index in `updates`, the update on its row now) and what was skipped."""
    t = loaded.planning
    id_rows = _ids(now.planning, t.columns["id"], t.header_row + 1)
    last = max((r for rows in id_rows.values() for r in rows), default=t.header_row + 1)
    added = {x.id for x in result.added}
    contacts_now: dict[tuple[str, ...], list[int]] = {}
    ct = loaded.contacts
    if ct is not None and now.contacts is not None:
        for i, line in enumerate(now.contacts.values):
            if i + 1 > ct.header_row + 1 and any(v not in (None, "") for v in line):
                contacts_now.setdefault(_contact_identity(line, ct), []).append(i + 1)
    old_contacts = book.sheet(ct.sheet) if ct is not None else None
    placed: list[tuple[int, CellUpdate]] = []
    skipped: dict[tuple[str, str, str], Skipped] = {}

    def skip(sheet: str, task: str, reason: str) -> None:
        skipped.setdefault((sheet, task, reason), Skipped(sheet, task, reason))

    for i, u in enumerate(updates):
        row = u.row
        if u.sheet == t.sheet and u.task:
            if u.task in added:
                if u.task in id_rows:
                    skip(u.sheet, u.task, "exists")
                    continue
                row = last + (u.row - result.old_last_row)
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
                   result: Recomputed) -> list[Json]:
    """One batchUpdate's requests: rows added if the grid is too short, then the cells.

    Dates carry their date format (a plan made by hand may have none), a new follow-up's
    offset the J±n format; nothing else about a cell's look is touched.
    """
    lang = loaded.plan.settings.lang
    added_rows = {u.row for u in placed if u.sheet == loaded.planning.sheet
                  and u.task in {x.id for x in result.added}}
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

def report_requests(book: Book, report: Report, remember: bool = False) -> list[Json]:
    """The Report sheet replaced by `report`, its History rows appended below the last used
    row; sheets the plan lacks are added in the same batchUpdate.

    `remember`: the book is updated as if read again after the write, so writing another
    report with the same book appends below this one."""
    from ..xlsx.report_sheet import Styles, _history_layout, history_updates, report_rows

    lang = report.lang
    out: list[Json] = []
    taken: list[int] = []
    fmt = style.report_styles(lang)

    def sheet_for(kind: str) -> tuple[SheetData, bool]:
        found = book.find(kind, lang)
        if found is not None:
            return found, False
        sid = book.new_sheet_id(taken)
        taken.append(sid)
        new = SheetData(sid, sheet_name(kind, lang), len(book.sheets) + len(taken), 1000, 26)
        out.append({"addSheet": {"properties": {
            "sheetId": sid, "title": new.title,
            "gridProperties": {"rowCount": new.row_count, "columnCount": new.column_count,
                               **({"frozenRowCount": 1} if kind == "history" else {})}}}})
        return new, True

    rsheet, rnew = sheet_for("report")
    rows = report_rows(report, Styles(date="date", int="int", money="money", pct="pct",
                                      bold="bold", title="title", header="header",
                                      note="note"))
    out.append({"updateCells": {"range": grid_range(rsheet.id),
                                "fields": "userEnteredValue,userEnteredFormat"}})
    if len(rows) > rsheet.row_count:
        out.append({"appendDimension": {"sheetId": rsheet.id, "dimension": "ROWS",
                                        "length": len(rows) - rsheet.row_count}})
    width = max((len(r) for r in rows), default=1)
    if width > rsheet.column_count:
        out.append({"appendDimension": {"sheetId": rsheet.id, "dimension": "COLUMNS",
                                        "length": width - rsheet.column_count}})
    data: list[Json] = []
    for row in rows:
        values: list[Json] = []
        for v in row:
            if v is None:
                values.append({})
                continue
            if v.kind == "date":
                assert isinstance(v.value, dt.date)
                cell: Json = {"userEnteredValue": {"numberValue": to_serial(v.value)}}
            elif v.kind == "number":
                cell = {"userEnteredValue": {"numberValue": v.value}}
            else:
                cell = {"userEnteredValue": {"stringValue": str(v.value)}}
            if v.style in fmt:
                cell["userEnteredFormat"] = fmt[v.style]
            values.append(cell)
        data.append({"values": values})
    out.append({"updateCells": {"start": {"sheetId": rsheet.id, "rowIndex": 0,
                                          "columnIndex": 0},
                                "rows": data, "fields": "userEnteredValue,userEnteredFormat"}})
    if rnew:
        out.append(_width(rsheet.id, 0, 1, style.px(60.7)))
        out.append(_width(rsheet.id, 1, max(width, 2), style.px(16.7)))

    hsheet, hnew = sheet_for("history")
    layout = _history_layout([list(r) for r in hsheet.values])
    updates = history_updates(hsheet.title, layout, report, lang, False)
    header_row = layout.header_row or (layout.last_row + (2 if layout.last_row else 1))
    keys = {c: k for k, c in layout.columns.items()}
    formats: dict[tuple[int, int], Json] = {}
    for u in updates:
        if u.row == header_row:
            formats[(u.row - 1, u.col)] = style.role("header", lang)
        elif keys.get(u.col) == "date":
            formats[(u.row - 1, u.col)] = style.number("date", lang)
        elif keys.get(u.col) in ("budget", "spent"):
            formats[(u.row - 1, u.col)] = style.number("money", lang)
        elif u.kind == "number":
            formats[(u.row - 1, u.col)] = style.number("int", lang)
    need = max((u.row for u in updates), default=0)
    if need > hsheet.row_count:
        out.append({"appendDimension": {"sheetId": hsheet.id, "dimension": "ROWS",
                                        "length": need - hsheet.row_count}})
    out += update_cells(hsheet.id, cells_of(updates, book.locale, formats),
                        "userEnteredValue,userEnteredFormat")
    if hnew:
        for c in range(len(HISTORY_COLUMNS)):
            out.append(_width(hsheet.id, c, c + 1, style.px(14 if c < 2 else 11)))
    if remember:
        book.sheets += [s for s, new in ((rsheet, rnew), (hsheet, hnew)) if new]
        hsheet.row_count = max(hsheet.row_count, need)
        for u in updates:
            while len(hsheet.values) < u.row:
                hsheet.values.append([])
            line = hsheet.values[u.row - 1]
            line.extend([None] * (u.col + 1 - len(line)))
            line[u.col] = u.value
    return out


def _width(sheet_id: int, c0: int, c1: int, pixels: int) -> Json:
    return {"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": c0,
                  "endIndex": c1},
        "properties": {"pixelSize": pixels}, "fields": "pixelSize"}}

