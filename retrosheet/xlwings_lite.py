"""The Python behind the xlwings Lite buttons: recompute and report inside Excel, no Python
installed on the computer.

xlwings Lite is an Excel add-in running Python (Pyodide) in Excel on Windows, macOS and the
web. A plan made with `retrosheet new --xlwings-lite` carries a `main.py` whose `@script`
functions call `recompute(book)` and `report(book)` below, and a `requirements.txt` that
installs retrosheet (docs/excel.md). Both go through the same entry points as the classic
xlwings buttons (`retrosheet.excel`), over `LiteBook`: the book xlwings Lite hands to a
script as a plan store (`cellbook.CellBook`'s primitives and the buttons' `Ui`).

What xlwings Lite's book gives and takes, and how the adapter deals with it:

- reads give values, never formulas: every Début/Échéance formula is written back on each
  recompute (the values cannot tell a formula from a typed date);
- formulas are written as values starting with "=" (Excel's JavaScript API reads those as
  formulas); text that Excel would read as a formula or a number gets an apostrophe;
- there is no used range: a sheet is read by blocks of rows until a block is empty, and
  as wide as its content while the right half of what was read holds something;
- there is no status bar and no column width: the outcome is printed (the add-in's output
  pane) and shown in a dialog when something needs a person; widths stay as they are;
- the Planning table grows with new follow-up rows; its conditional formats and dropdowns
  cannot be extended from there (said to the user).

Only what xlwings Lite documents is called: `book.name`, `book.sheets` (iterate, by name,
`add`), `sheet.name`, `sheet.range(...)`, `Range.options(ndim=2).value` (read and write),
`Range.number_format`, `Range.font`, `Range.color`, `Range.row`/`column`/`last_cell`,
`sheet.clear()`, `sheet.activate()`, `sheet.tables`, `Table.range`, `Table.resize`,
`book.app.alert`, and `print` (the add-in's output pane). Imports stay light: this
runs in the browser, where the file backends' libraries (lxml, python-calamine) are absent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .cellbook import Cell, Looks, Value
from .excel import Outcome
from .excel import recompute as _recompute
from .excel import report as _report
from .xlwings_store import XlwingsLike, _apply_look, _areas, blocks, excel_text, grow_tables

BLOCK_ROWS = 500  # rows read at a time; reading stops after an empty block
FIRST_WIDTH = 64  # columns read at first; doubled while the right half holds something
MAX_COLUMNS = 16384


def recompute(book: Any, *, today: dt.date | None = None) -> Outcome:
    """The "Recalculer"/"Recompute" button: `retrosheet recompute` on the workbook."""
    return _recompute(LiteBook(book), today=today)


def report(book: Any, *, today: dt.date | None = None) -> Outcome:
    """The "Rapport"/"Report" button: `retrosheet report --write-sheet`, then the Report
    sheet is shown."""
    return _report(LiteBook(book), today=today)


# ---- the adapter ------------------------------------------------------------------------

def _width(row: Sequence[Any]) -> int:
    """Up to the last cell that is not blank (None or ""): called on every row read."""
    n = len(row)
    while n and (row[n - 1] is None or row[n - 1] == ""):
        n -= 1
    return n


class LiteBook(XlwingsLike):
    """The book an xlwings Lite script receives, as a plan store with a window."""

    def __init__(self, book: Any) -> None:
        super().__init__(book)
        self.printed: list[str] = []

    @property
    def date1904(self) -> bool:
        return False  # not exposed to scripts; Excel's default date system

    def _block(self, sh: Any, top: int, width: int) -> list[list[Any]]:
        data = sh.range((top, 1), (top + BLOCK_ROWS - 1, width)).options(ndim=2).value
        return [list(r) for r in data or []]

    def values(self, sheet: str) -> list[list[Any]]:
        sh = self._sheet(sheet)
        rows: list[list[Any]] = []
        width, top = FIRST_WIDTH, 1
        while True:
            block = self._block(sh, top, width)
            used = max((_width(r) for r in block), default=0)
            if used > width // 2 and width < MAX_COLUMNS:
                width = min(width * 2, MAX_COLUMNS)  # something may sit further right
                continue
            if used == 0:
                break
            rows.extend(block)
            top += BLOCK_ROWS
        while rows and _width(rows[-1]) == 0:
            rows.pop()
        right = max((_width(r) for r in rows), default=0)
        return [[None if v == "" else v for v in (r + [None] * right)[:right]] for r in rows]

    def formulas(self, sheet: str) -> list[list[str]]:
        """Unknown in xlwings Lite (reads give values): no cell is taken as a formula, so
        recompute writes every formula it owns back (and every date reads as typed)."""
        return [["" for _ in row] for row in self.values(sheet)]

    @staticmethod
    def _value(v: Value) -> Any:
        return excel_text(v) if isinstance(v, str) else v

    def write(self, cells: Sequence[Cell]) -> None:
        for block in blocks(cells):
            first, last = block[0][0], block[-1][-1]
            rng = self._sheet(first.sheet).range((first.row, first.col + 1),
                                                 (last.row, last.col + 1))
            # A formula goes in as a value starting with "=": Excel reads it as a formula.
            rng.options(ndim=2).value = [
                [c.formula if c.formula is not None else self._value(c.value) for c in row]
                for row in block]

    def put_rows(self, sheet: str, first_row: int, rows: Sequence[Sequence[Value]]) -> None:
        if not rows:
            return
        width = max(max((len(r) for r in rows), default=1), 1)
        block = [[self._value(v) for v in r] + [None] * (width - len(r)) for r in rows]
        self._sheet(sheet).range((first_row, 1), (first_row + len(rows) - 1, width)) \
            .options(ndim=2).value = block

    def clear(self, sheet: str) -> None:
        self._sheet(sheet).clear()

    def add_sheet(self, name: str) -> None:
        sheets = self.book.sheets
        sheets.add(name=name, after=sheets[len(sheets) - 1])

    def style(self, sheet: str, looks: Looks) -> None:
        sh = self._sheet(sheet)
        for look, cells in looks.items():
            # One rectangle per run of adjacent cells of a row (no multi-area ranges).
            for ref in _areas(cells, limit=0):
                _apply_look(sh.range(ref), look)

    def widen(self, sheet: str, widths: Mapping[int, float]) -> None:
        """Column widths cannot be set from xlwings Lite: they stay as they are."""

    def grow(self, sheet: str, old_last: int, new_last: int) -> list[str]:
        problems = grow_tables(self._sheet(sheet), old_last, new_last)
        problems.append("xlwings Lite cannot extend conditional formats and dropdowns "
                        f"(rows {old_last + 1}–{new_last})")
        return problems

    def status(self, message: str) -> None:
        self.printed.append(message)
        print(message)  # the add-in's output pane

