"""The Python behind the Excel buttons: recompute and report on the workbook that called.

The buttons of a plan made with `retrosheet new --macro` run, through xlwings' RunPython,

    import retrosheet.excel; retrosheet.excel.recompute()
    import retrosheet.excel; retrosheet.excel.report()

Both work on the calling workbook (`xlwings.Book.caller()`) and go through the same core
as the command line: `book.load_from_sheets` → `recompute.recompute` → cell updates for
`retrosheet recompute`, `report.build_report` → `xlsx.report_sheet.report_rows` and
`history_updates` for `retrosheet report --write-sheet`. They write only what retrosheet
owns, and tell the user in Excel what happened: the status bar on success, a message box
for errors and for what needs a person (never a silent failure; if even the message box
fails, the error goes to stderr with a non-zero exit, which xlwings shows in a pop-up).

They reach the workbook through `Sheets`, a narrow interface (read a sheet's values and
formulas as rows, write cells, put a block of rows, a few cosmetic calls) with two
implementations: `XlwingsBook` (Excel, Windows and macOS) and `OpenpyxlBook` (a file, on
any system: the tests run the entry points on it). Imports stay inside the functions: a
click starts a new Python each time, and its start-up is part of the wait (SPEC §9).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from .book import LoadedPlan
    from .updates import CellUpdate

Value = str | float | dt.date | None


@dataclass(frozen=True)
class Cell:
    """One cell to write. With a formula, the cell gets the formula (the spreadsheet
    computes `value`, which is what the engine expects it to show); without, `value`."""

    sheet: str
    row: int  # 1-based
    col: int  # 0-based
    value: Value  # a date is a datetime.date, never a serial
    formula: str | None = None  # with its leading "="


@dataclass(frozen=True)
class Look:
    """How a Report or History cell looks (what the XML writer takes from styles.xml)."""

    number_format: str | None = None
    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None  # "#RRGGBB"
    fill: str | None = None


Looks = Mapping[Look, Sequence[tuple[int, int]]]  # look → cells (row 1-based, col 0-based)


class Sheets(Protocol):
    """What the buttons need from a workbook."""

    @property
    def name(self) -> str: ...

    @property
    def date1904(self) -> bool: ...

    def sheet_names(self) -> list[str]: ...

    def values(self, sheet: str) -> list[list[Any]]:
        """The sheet's values from A1 to its last used cell, row by row (dates as dates,
        empty cells None); what a formula shows, not the formula."""
        ...

    def formulas(self, sheet: str) -> list[list[str]]:
        """The same grid with each cell's formula ("=…"), or "" for a value or nothing."""
        ...

    def write(self, cells: Sequence[Cell]) -> None: ...

    def put_rows(self, sheet: str, first_row: int, rows: Sequence[Sequence[Value]]) -> None:
        """Values from column A, row `first_row` down (None leaves a cell empty)."""
        ...

    def clear(self, sheet: str) -> None: ...

    def add_sheet(self, name: str) -> None: ...

    def style(self, sheet: str, looks: Looks) -> None: ...

    def widen(self, sheet: str, widths: Mapping[int, float]) -> None:
        """Columns (0-based) at least this wide (in characters); wider ones stay."""
        ...

    def grow(self, sheet: str, old_last: int, new_last: int) -> list[str]:
        """Tables and formatting ranges that end on row `old_last` now end on `new_last`;
        returns what could not follow (said to the user, nothing else depends on it)."""
        ...

    def activate(self, sheet: str) -> None: ...

    def alert(self, message: str, title: str, error: bool) -> None: ...

    def status(self, message: str) -> None: ...


@dataclass
class Outcome:
    """What a click did: the entry points return it (RunPython ignores it; tests read it)."""

    ok: bool
    message: str
    changed: int = 0
    added: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # shown in a message box when any


# ---- the entry points -------------------------------------------------------------------

def recompute(book: Sheets | None = None, *, today: dt.date | None = None) -> Outcome:
    """The "Recalculer"/"Recompute" button: `retrosheet recompute` on the calling workbook.

    `book`: the workbook to work on (default: the Excel workbook whose button was clicked).
    """
    return _run(_recompute, book, today, ("Recalculer", "Recompute"))


def report(book: Sheets | None = None, *, today: dt.date | None = None) -> Outcome:
    """The "Rapport"/"Report" button: `retrosheet report --write-sheet` on the calling
    workbook (as of today), then shows the Report sheet."""
    return _run(_report, book, today, ("Rapport", "Report"))


def _caller() -> Sheets:
    import xlwings as xw

    return XlwingsBook(xw.Book.caller())


def _run(action: Callable[[Sheets, dt.date], Outcome], book: Sheets | None,
         today: dt.date | None, titles: tuple[str, str]) -> Outcome:
    from .errors import RetrosheetError

    target = book if book is not None else _caller()
    title = f"retrosheet — {titles[0]} / {titles[1]}"
    try:
        outcome = action(target, today or dt.date.today())
    except RetrosheetError as exc:
        outcome = Outcome(False, str(exc))
    except Exception as exc:  # a bug or an Excel refusal: say it, with where it happened
        tail = "".join(traceback.format_exception(exc)[-4:])
        outcome = Outcome(False, f"{type(exc).__name__}: {exc}", details=[tail.strip()])
    try:
        target.status(("retrosheet — " if outcome.ok else "retrosheet ✗ ") + outcome.message)
        if not outcome.ok or outcome.details:
            text = "\n\n".join([outcome.message, "\n".join(outcome.details)]).strip()
            target.alert(text, title, not outcome.ok)
    except Exception:
        # Nowhere in Excel to say it: stderr and a failed exit, which xlwings shows.
        print(f"{title}: {outcome.message}", *outcome.details, sep="\n", file=sys.stderr)
        raise SystemExit(1) from None
    return outcome


def _say(lang: str, fr: str, en: str) -> str:
    return fr if lang == "fr" else en


# ---- recompute --------------------------------------------------------------------------

def _load(book: Sheets) -> tuple[LoadedPlan, dict[str, list[list[Any]]]]:
    from .book import load_from_sheets

    grids: dict[str, list[list[Any]]] = {}

    def rows_of(sheet: str) -> list[list[Any]]:
        if sheet not in grids:
            grids[sheet] = book.values(sheet)
        return grids[sheet]

    loaded = load_from_sheets(book.sheet_names(), rows_of, date1904=book.date1904,
                              book=book.name)
    return loaded, grids


def _at(grid: Sequence[Sequence[Any]], row: int, col: int) -> Any:
    if 0 < row <= len(grid) and 0 <= col < len(grid[row - 1]):
        return grid[row - 1][col]
    return None


def _norm_formula(text: Any) -> str:
    """A formula as compared: Excel may quote sheet names or space differently."""
    if not isinstance(text, str) or not text.startswith("="):
        return ""
    return re.sub(r"[\s']", "", text).upper()


def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _serial(old: Any, date1904: bool) -> float | None:
    """A cell's value as a 1900-system number (dates included), or None."""
    from .values import to_serial

    if isinstance(old, dt.datetime):
        return to_serial(old.date()) + (old - dt.datetime.combine(old.date(), dt.time())) \
            .total_seconds() / 86400
    if isinstance(old, dt.date):
        return float(to_serial(old))
    if isinstance(old, bool):
        return None
    if isinstance(old, int | float):
        return float(old) + (1462 if date1904 else 0)
    return None


def _same(u: CellUpdate, old: Any, old_formula: Any, date1904: bool) -> bool:
    """Whether the cell already holds what the update writes (the command line's test)."""
    if _norm_formula(old_formula) != _norm_formula(u.formula):
        return False
    blank = old is None or (isinstance(old, str) and old == "")
    if u.kind == "blank":
        return blank
    if u.kind in ("date", "number"):
        if blank or u.value is None:
            return blank and u.value is None
        if isinstance(u.value, str):
            return False
        if u.kind == "number":
            if isinstance(old, int | float) and not isinstance(old, bool):
                return float(old) == float(u.value)
            return isinstance(old, str) and old.strip() == _number_text(u.value)
        return _serial(old, date1904) == float(u.value)
    text = "" if old is None else (_number_text(old) if isinstance(old, int | float)
                                   and not isinstance(old, bool) else str(old))
    return text == ("" if u.value is None else str(u.value))


def _cell_of(u: CellUpdate) -> Cell:
    from .values import from_serial

    value: Value
    if u.kind == "date" and isinstance(u.value, int | float):
        value = from_serial(u.value)
    elif u.kind == "blank":
        value = None
    else:
        value = u.value
    return Cell(u.sheet, u.row, u.col, value, u.formula)


def _recompute(book: Sheets, today: dt.date) -> Outcome:
    from .checks import Severity, check_plan
    from .errors import PlanError
    from .recompute import recompute as core

    loaded, grids = _load(book)
    lang = loaded.plan.settings.lang
    table = loaded.planning
    psheet = table.sheet
    formulas = {psheet: book.formulas(psheet)}
    # Dates typed over the formulas: the checks report them, recompute puts formulas back.
    for t in loaded.plan.tasks:
        if t.source is None:
            continue
        t.typed = frozenset(
            key for key in ("start", "deadline")
            if key in table.columns and getattr(t, key) is not None
            and not _norm_formula(_at(formulas[psheet], t.source.row, table.columns[key])))
    result = core(loaded.plan, table, loaded.contacts, loaded.settings_sheet)

    pvalues = grids[psheet]
    for r in range(result.old_last_row + 1, result.last_row + 1):
        row = pvalues[r - 1] if r <= len(pvalues) else []
        frow = formulas[psheet][r - 1] if r <= len(formulas[psheet]) else []
        if any(v not in (None, "") for v in row) or any(frow):
            raise PlanError(
                f"row {r} below the Planning table is not empty: move it to make room "
                f"for {result.last_row - result.old_last_row} new follow-up row(s)",
                sheet=psheet, cell=f"A{r}")

    changes: list[Cell] = []
    for u in result.updates:
        if u.sheet not in grids:
            grids[u.sheet] = book.values(u.sheet)
        if u.sheet not in formulas:
            formulas[u.sheet] = book.formulas(u.sheet)
        if not _same(u, _at(grids[u.sheet], u.row, u.col),
                     _at(formulas[u.sheet], u.row, u.col), loaded.date1904):
            changes.append(_cell_of(u))
    problems = []
    if result.last_row > result.old_last_row:
        problems = book.grow(psheet, result.old_last_row, result.last_row)
    if changes:
        book.write(changes)

    added = [t.id for t in result.added]
    ids = f" ({', '.join(added)})" if added else ""
    n = len(changes)
    if n == 0:
        message = _say(lang, f"{book.name} : déjà à jour", f"{book.name}: already up to date")
    else:
        message = _say(lang, f"{book.name} : {n} cellule(s) mises à jour, {len(added)} "
                             f"relance(s) ajoutée(s){ids}",
                       f"{book.name}: {n} cell(s) updated, {len(added)} follow-up(s) "
                       f"added{ids}")
    details = [_say(lang, f"{t.id} : la règle de relance de {t.anchors[0]} ne prévoit plus "
                          "cette ligne ; supprimez-la ou remettez la règle",
                    f"{t.id}: the follow-up rule of {t.anchors[0]} no longer asks for this "
                    "row; delete it or restore the rule") for t in result.orphans]
    details += [_say(lang, "Les nouvelles lignes n'ont pas pris la mise en forme du tableau : ",
                     "The new rows did not get the table's formatting: ") + p
                for p in problems]
    errors = [str(f) for f in check_plan(result.plan, today) if f.severity is Severity.ERROR]
    if errors:
        more = len(errors) - 12
        details += errors[:12] + ([f"… +{more}"] if more > 0 else [])
    return Outcome(True, message, n, added, details)


# ---- report -----------------------------------------------------------------------------

HEADER_FILL = "#1F3864"


def looks(lang: str) -> dict[str, Look]:
    """The look of each role of report_sheet.ROLES (as new plans draw them)."""
    from .layout import date_format

    return {
        "date": Look(number_format=date_format(lang)),
        "int": Look(number_format="#,##0"),
        "money": Look(number_format="#,##0 €" if lang == "fr" else "€#,##0"),
        "pct": Look(number_format="0%"),
        "bold": Look(bold=True),
        "title": Look(bold=True, size=16, color=HEADER_FILL),
        "header": Look(bold=True, color="#FFFFFF", fill=HEADER_FILL),
        "note": Look(italic=True, color="#595959"),
    }


def _report(book: Sheets, today: dt.date) -> Outcome:
    from .labels import sheet_name
    from .report import build_report
    from .xlsx.report_sheet import (
        REPORT_WIDTHS,
        history_layout,
        history_updates,
        pick_sheet,
        report_rows,
    )

    loaded, grids = _load(book)
    rep = build_report(loaded.plan, today)
    lang = rep.lang
    by_role = looks(lang)
    names = book.sheet_names()
    made: list[str] = []
    sheets: dict[str, str] = {}
    for key in ("report", "history"):
        found = pick_sheet(names, key, lang)
        if found is None:
            found = sheet_name(key, lang)
            book.add_sheet(found)
            made.append(key)
        sheets[key] = found

    # Report: this week's report replaces whatever was there.
    rname = sheets["report"]
    rows = report_rows(rep)
    book.clear(rname)
    book.put_rows(rname, 1, [[None if v is None else v.value for v in row] for row in rows])
    styled: dict[Look, list[tuple[int, int]]] = {}
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is not None and v.style in by_role:
                styled.setdefault(by_role[v.style], []).append((r, c))
    book.style(rname, styled)
    width = max((len(r) for r in rows), default=1)
    book.widen(rname, {c: REPORT_WIDTHS[0] if c == 0 else REPORT_WIDTHS[1]
                       for c in range(max(width, 1))})

    # History: one row per axis, below the last used row.
    hname = sheets["history"]
    grid = [] if "history" in made else grids.get(hname) or book.values(hname)
    layout = history_layout(grid)
    updates = history_updates(hname, layout, rep, lang, False)
    header_row = layout.header_row or (layout.last_row + (2 if layout.last_row else 1))
    book.write([_cell_of(u) for u in updates if u.row == header_row])
    rows_of_run = [u for u in updates if u.row != header_row]
    if rows_of_run:
        # Below the last used row every cell is empty: one block, gaps left empty.
        first = min(u.row for u in rows_of_run)
        block: list[list[Value]] = [
            [None] * (max(u.col for u in rows_of_run) + 1)
            for _ in range(max(u.row for u in rows_of_run) - first + 1)]
        for u in rows_of_run:
            block[u.row - first][u.col] = _cell_of(u).value
        book.put_rows(hname, first, block)
    keys = {c: k for k, c in layout.columns.items()}
    hstyled: dict[Look, list[tuple[int, int]]] = {}
    for u in updates:
        role = ("header" if u.row == header_row else "date" if keys.get(u.col) == "date"
                else "money" if keys.get(u.col) in ("budget", "spent")
                else "int" if u.kind == "number" else None)
        if role:
            hstyled.setdefault(by_role[role], []).append((u.row, u.col))
    book.style(hname, hstyled)
    if "history" in made:
        book.widen(hname, {c: 14.71 if c < 2 else 11.71 for c in range(len(layout.columns))})
    last = max((u.row for u in updates), default=layout.last_row)
    if layout.last_row and last > layout.last_row:
        book.grow(hname, layout.last_row, last)  # a History table, if any: cosmetic
    book.activate(rname)
    n = sum(1 for u in updates if u.row != header_row and keys.get(u.col) == "date")
    message = _say(lang, f"rapport du {today.strftime('%d/%m/%Y')} écrit sur {rname}, "
                         f"{n} ligne(s) ajoutée(s) à {hname}",
                   f"report of {today.isoformat()} written on {rname}, {n} row(s) added "
                   f"to {hname}")
    return Outcome(True, message, len(updates))


# ---- Excel, through xlwings -------------------------------------------------------------

_NUMBER_LIKE = re.compile(r"[+-]?[\d\s\u00a0\u202f]*[.,]?\d+\s*[%€$£]?|\d{1,4}[/.-]\d{1,2}"
                          r"([/.-]\d{1,4})?|(true|false|vrai|faux)")


def excel_text(text: str) -> str:
    """Text Excel keeps as text when given as a value: a leading apostrophe where Excel
    would read a formula, a number, a date or a boolean."""
    if text and (text[0] in "=+-@'" or _NUMBER_LIKE.fullmatch(text.strip().lower())):
        return "'" + text
    return text


def _xl_value(v: Value) -> Any:
    return excel_text(v) if isinstance(v, str) else v


def _address(row: int, col: int) -> str:
    from .values import column_letter

    return f"{column_letter(col)}{row}"


def blocks(cells: Sequence[Cell]) -> Iterator[list[list[Cell]]]:
    """Cells grouped into rectangles of one sheet and one kind (formulas or values), each
    written in one round trip: a column of dates, two columns of formulas, History's rows.
    """
    groups: dict[tuple[str, bool], dict[tuple[int, int], Cell]] = {}
    for c in cells:
        groups.setdefault((c.sheet, c.formula is not None), {})[(c.row, c.col)] = c
    for grid in groups.values():
        # each row's runs of adjacent columns…
        spans: dict[int, list[tuple[int, int]]] = {}
        for r, col in sorted(grid):
            row = spans.setdefault(r, [])
            if row and row[-1][1] == col - 1:
                row[-1] = (row[-1][0], col)
            else:
                row.append((col, col))
        # …stacked while the rows below have the same run
        open_: dict[tuple[int, int], tuple[int, int]] = {}  # span → (top, bottom)
        done: list[tuple[int, int, tuple[int, int]]] = []
        for r in sorted(spans):
            for span in spans[r]:
                top_bottom = open_.get(span)
                if top_bottom is not None and top_bottom[1] == r - 1:
                    open_[span] = (top_bottom[0], r)
                else:
                    if top_bottom is not None:
                        done.append((*top_bottom, span))
                    open_[span] = (r, r)
        done += [(top, bottom, span) for span, (top, bottom) in open_.items()]
        for top, bottom, (left, right) in sorted(done):
            yield [[grid[(r, col)] for col in range(left, right + 1)]
                   for r in range(top, bottom + 1)]


class XlwingsBook:
    """A workbook open in Excel (an xlwings Book), behind the Sheets interface.

    A cell the engine owns gets a formula through `Range.formula` and a value through
    `Range.value` (dates as dates, text kept as text); writes go by rectangles of cells, so
    a click costs a handful of round trips to Excel, not one per cell.
    """

    def __init__(self, book: Any) -> None:
        self.book = book

    @property
    def name(self) -> str:
        return str(self.book.name)

    @property
    def date1904(self) -> bool:
        try:
            return bool(self.book.api.Date1904)  # Windows
        except Exception:
            try:
                return bool(self.book.api.date_1904.get())  # macOS
            except Exception:
                return False

    def _sheet(self, name: str) -> Any:
        return self.book.sheets[name]

    def sheet_names(self) -> list[str]:
        return [str(s.name) for s in self.book.sheets]

    def _used(self, sheet: str) -> Any:
        sh = self._sheet(sheet)
        last = sh.used_range.last_cell
        return sh.range((1, 1), (last.row, last.column))

    def values(self, sheet: str) -> list[list[Any]]:
        data = self._used(sheet).options(ndim=2).value
        return [list(r) for r in data or []]

    def formulas(self, sheet: str) -> list[list[str]]:
        data = self._used(sheet).formula
        if isinstance(data, str):
            data = ((data,),)
        return [[f if isinstance(f, str) and f.startswith("=") else "" for f in row]
                for row in data or ()]

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        app = self.book.app
        try:
            before = app.screen_updating
            app.screen_updating = False
        except Exception:
            before = None
        try:
            yield
        finally:
            if before is not None:
                app.screen_updating = before

    def write(self, cells: Sequence[Cell]) -> None:
        wrote_formulas = False
        with self._quiet():
            for block in blocks(cells):
                first, last = block[0][0], block[-1][-1]
                rng = self._sheet(first.sheet).range((first.row, first.col + 1),
                                                     (last.row, last.col + 1))
                single = len(block) == 1 and len(block[0]) == 1
                if first.formula is not None:
                    rng.formula = first.formula if single else \
                        [[c.formula for c in row] for row in block]
                    wrote_formulas = True
                else:
                    rng.value = _xl_value(first.value) if single else \
                        [[_xl_value(c.value) for c in row] for row in block]
        if wrote_formulas:
            try:
                if self.book.app.calculation == "manual":
                    self.book.app.calculate()
            except Exception:
                pass  # the values follow at the next calculation

    def put_rows(self, sheet: str, first_row: int, rows: Sequence[Sequence[Value]]) -> None:
        if not rows:
            return
        width = max(max((len(r) for r in rows), default=1), 1)
        block = [[_xl_value(v) for v in r] + [None] * (width - len(r)) for r in rows]
        with self._quiet():
            self._sheet(sheet).range((first_row, 1),
                                     (first_row + len(rows) - 1, width)).value = block

    def clear(self, sheet: str) -> None:
        self._sheet(sheet).clear()

    def add_sheet(self, name: str) -> None:
        self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])

    def style(self, sheet: str, looks: Looks) -> None:
        sh = self._sheet(sheet)
        with self._quiet():
            for look, cells in looks.items():
                for area in _areas(cells):
                    try:
                        _apply_look(sh.range(area), look)
                    except Exception:  # an Excel without multi-area ranges: cell by cell
                        for ref in area.split(","):
                            _apply_look(sh.range(ref), look)

    def widen(self, sheet: str, widths: Mapping[int, float]) -> None:
        sh = self._sheet(sheet)
        by_width: dict[float, list[int]] = {}
        for col, width in widths.items():
            by_width.setdefault(width, []).append(col)
        for width, cols in by_width.items():
            # Adjacent columns at once: one read gives their width when they share it.
            for first, last in _spans(sorted(cols)):
                rng = sh.range((1, first + 1), (1, last + 1))
                current = rng.column_width
                if current is not None:
                    if current < width:
                        rng.column_width = width
                    continue
                for col in range(first, last + 1):
                    one = sh.range((1, col + 1))
                    if (one.column_width or 0) < width:
                        one.column_width = width

    def grow(self, sheet: str, old_last: int, new_last: int) -> list[str]:
        sh = self._sheet(sheet)
        problems = []
        try:
            for table in sh.tables:
                rng = table.range
                end = rng.last_cell
                if end.row == old_last:
                    table.resize(sh.range((rng.row, rng.column), (new_last, end.column)))
        except Exception as exc:
            problems.append(f"{type(exc).__name__}: {exc}")
        if sys.platform.startswith("win"):
            # Conditional formats that end on the table's last row follow it (COM only:
            # on macOS the new rows lack the colours until the formats are extended).
            try:
                conditions = sh.api.Cells.FormatConditions
                for i in range(1, conditions.Count + 1):
                    fc = conditions.Item(i)
                    address = str(fc.AppliesTo.Address)
                    grown = _grow_address(address, old_last, new_last)
                    if grown != address:
                        fc.ModifyAppliesToRange(sh.api.Range(grown))
            except Exception as exc:
                problems.append(f"{type(exc).__name__}: {exc}")
        return problems

    def activate(self, sheet: str) -> None:
        self._sheet(sheet).activate()

    def alert(self, message: str, title: str, error: bool) -> None:
        self.book.app.alert(message, title=title, mode="critical" if error else "info")

    def status(self, message: str) -> None:
        self.book.app.status_bar = message[:250]


def _areas(cells: Sequence[tuple[int, int]], limit: int = 240) -> Iterator[str]:
    """Multi-area references Excel accepts (under 255 characters) covering `cells`
    (row 1-based, col 0-based): adjacent cells of a row as one area, `A12:I12`."""
    runs: list[tuple[int, int, int]] = []  # row, first col, last col
    for r, c in sorted(set(cells)):
        if runs and runs[-1][0] == r and runs[-1][2] == c - 1:
            runs[-1] = (r, runs[-1][1], c)
        else:
            runs.append((r, c, c))
    out: list[str] = []
    size = 0
    for r, c0, c1 in runs:
        ref = _address(r, c0) + (f":{_address(r, c1)}" if c1 > c0 else "")
        if out and size + len(ref) + 1 > limit:
            yield ",".join(out)
            out, size = [], 0
        out.append(ref)
        size += len(ref) + 1
    if out:
        yield ",".join(out)


def _spans(cols: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive numbers: [1, 2, 3, 7] → (1, 3), (7, 7)."""
    start = prev = None
    for c in cols:
        if prev is not None and c == prev + 1:
            prev = c
            continue
        if start is not None and prev is not None:
            yield start, prev
        start = prev = c
    if start is not None and prev is not None:
        yield start, prev


def _apply_look(rng: Any, look: Look) -> None:
    if look.number_format:
        rng.number_format = look.number_format
    if look.bold:
        rng.font.bold = True
    if look.italic:
        rng.font.italic = True
    if look.size:
        rng.font.size = look.size
    if look.color:
        rng.font.color = look.color
    if look.fill:
        rng.color = look.fill


def _grow_address(address: str, old_last: int, new_last: int) -> str:
    """`$A$2:$T$53,$V$1:$X$53` with each area ending on row old_last made to end on new_last."""
    return re.sub(rf"(:\$?[A-Z]+\$?){old_last}(?![0-9])", lambda m: f"{m.group(1)}{new_last}",
                  address)


# ---- a file, through openpyxl -----------------------------------------------------------

class OpenpyxlBook:
    """An .xlsx/.xlsm file behind the Sheets interface (tests; trying the buttons' code
    without Excel). Formulas are written as formulas; a mirror of the cached values takes
    the value the engine expects for each, as Excel's calculation would, so reads after a
    write see what Excel would show. `save()` writes the file (openpyxl keeps the VBA
    project and the buttons with keep_vba, but loses what notes/xlsx.md lists)."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        self.path = path
        self.wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm",
                                         rich_text=True)
        self.cached = openpyxl.load_workbook(path, data_only=True)
        self.messages: list[tuple[str, str, bool]] = []  # (message, title, error)
        self.statuses: list[str] = []
        self.active: str | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def date1904(self) -> bool:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        return bool(self.wb.epoch == CALENDAR_MAC_1904)

    def sheet_names(self) -> list[str]:
        return list(self.wb.sheetnames)

    @staticmethod
    def _grid(ws: Worksheet) -> list[list[Any]]:
        return [list(r) for r in ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row,
                                              max_col=ws.max_column, values_only=True)]

    def values(self, sheet: str) -> list[list[Any]]:
        return self._grid(self.cached[sheet])

    def formulas(self, sheet: str) -> list[list[str]]:
        def formula(v: Any) -> str:
            text = getattr(v, "text", v)  # an ArrayFormula keeps its text there
            return text if isinstance(text, str) and text.startswith("=") else ""

        return [[formula(v) for v in row] for row in self._grid(self.wb[sheet])]

    def _put(self, sheet: str, row: int, col: int, value: Value, formula: str | None,
             inherit: bool = False) -> None:
        from copy import copy

        from openpyxl.utils import get_column_letter

        ws = self.wb[sheet]
        cell: Any = ws.cell(row, col + 1)
        if inherit and not cell.has_style:
            # As the XML writer's new cells: the style of the data cell above, else the
            # column's own (the header's never).
            above: Any = ws.cell(row - 1, col + 1) if row > 2 else None
            column: Any = ws.column_dimensions[get_column_letter(col + 1)]
            source = above if above is not None and above.has_style else column
            if source.has_style:
                cell._style = copy(source._style)
        if formula is not None:
            cell.value = formula
        else:
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, not a formula
        self.cached[sheet].cell(row, col + 1).value = value

    def write(self, cells: Sequence[Cell]) -> None:
        for c in cells:
            self._put(c.sheet, c.row, c.col, c.value, c.formula, inherit=True)

    def put_rows(self, sheet: str, first_row: int, rows: Sequence[Sequence[Value]]) -> None:
        for i, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    self._put(sheet, first_row + i, c, v, None)

    def clear(self, sheet: str) -> None:
        for wb in (self.wb, self.cached):
            ws = wb[sheet]
            if ws.max_row:
                ws.delete_rows(1, ws.max_row)

    def add_sheet(self, name: str) -> None:
        self.wb.create_sheet(name)
        self.cached.create_sheet(name)

    def style(self, sheet: str, looks: Looks) -> None:
        from openpyxl.styles import Font, PatternFill

        ws = self.wb[sheet]
        for look, cells in looks.items():
            for r, c in cells:
                cell = ws.cell(r, c + 1)
                if look.number_format:
                    cell.number_format = look.number_format
                if look.bold or look.italic or look.size or look.color:
                    f = cell.font
                    cell.font = Font(name=f.name, size=look.size or f.size,
                                     bold=look.bold or f.bold, italic=look.italic or f.italic,
                                     color=look.color[1:] if look.color else f.color)
                if look.fill:
                    cell.fill = PatternFill("solid", fgColor=look.fill[1:])

    def widen(self, sheet: str, widths: Mapping[int, float]) -> None:
        from openpyxl.utils import get_column_letter

        ws = self.wb[sheet]
        for col, width in widths.items():
            letter = get_column_letter(col + 1)
            dim = ws.column_dimensions[letter]
            current = dim.width if dim.customWidth else 8.43
            if current < width:
                dim.width = width

    def grow(self, sheet: str, old_last: int, new_last: int) -> list[str]:
        from openpyxl.formatting.formatting import ConditionalFormattingList

        ws = self.wb[sheet]
        for table in ws.tables.values():
            grown = _grow_address(table.ref, old_last, new_last)
            if grown != table.ref:
                table.ref = grown
                if table.autoFilter is not None:
                    table.autoFilter.ref = grown
        rules = ConditionalFormattingList()
        for cf in ws.conditional_formatting:
            ref = _grow_address(str(cf.sqref), old_last, new_last)
            for rule in cf.rules:
                rules.add(ref, rule)
        ws.conditional_formatting = rules
        for dv in ws.data_validations.dataValidation:
            dv.sqref = type(dv.sqref)(_grow_address(str(dv.sqref), old_last, new_last))
        return []

    def activate(self, sheet: str) -> None:
        self.wb.active = self.wb[sheet]
        self.active = sheet

    def alert(self, message: str, title: str, error: bool) -> None:
        self.messages.append((message, title, error))

    def status(self, message: str) -> None:
        self.statuses.append(message)

    def save(self, path: Path | None = None) -> None:
        from .xlsx.safe import atomic_path

        with atomic_path(path or self.path) as tmp:
            self.wb.save(tmp)
