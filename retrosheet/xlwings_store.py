"""Excel through xlwings (Windows, macOS) as a plan store: what the buttons of a plan made
with `retrosheet new --macro` work on.

A cell the engine owns gets a formula through `Range.formula` and a value through
`Range.value` (dates as dates, text kept as text); writes go by rectangles of cells, so a
click costs a handful of round trips to Excel, not one per cell.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from .cellbook import Cell, CellBook, Look, Looks, Value, grow_address

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


class XlwingsLike(CellBook):
    """What an xlwings Book and the book an xlwings Lite script receives share: sheets by
    name, the book's name, activating a sheet and the app's alert dialog."""

    def __init__(self, book: Any) -> None:
        self.book = book

    @property
    def name(self) -> str:
        return str(self.book.name)

    def _sheet(self, name: str) -> Any:
        return self.book.sheets[name]

    def sheet_names(self) -> list[str]:
        return [str(s.name) for s in self.book.sheets]

    def activate(self, sheet: str) -> None:
        self._sheet(sheet).activate()

    def alert(self, message: str, title: str, error: bool) -> None:
        self.book.app.alert(message, title=title, mode="critical" if error else "info")


class XlwingsBook(XlwingsLike):
    """A workbook open in Excel (an xlwings Book), behind the Sheets interface.

    A cell the engine owns gets a formula through `Range.formula` and a value through
    `Range.value` (dates as dates, text kept as text); writes go by rectangles of cells, so
    a click costs a handful of round trips to Excel, not one per cell.
    """

    @property
    def date1904(self) -> bool:
        try:
            return bool(self.book.api.Date1904)  # Windows
        except Exception:
            try:
                return bool(self.book.api.date_1904.get())  # macOS
            except Exception:
                return False

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
        problems = grow_tables(sh, old_last, new_last)
        if sys.platform.startswith("win"):
            # Conditional formats that end on the table's last row follow it (COM only:
            # on macOS the new rows lack the colours until the formats are extended).
            try:
                conditions = sh.api.Cells.FormatConditions
                for i in range(1, conditions.Count + 1):
                    fc = conditions.Item(i)
                    address = str(fc.AppliesTo.Address)
                    grown = grow_address(address, old_last, new_last)
                    if grown != address:
                        fc.ModifyAppliesToRange(sh.api.Range(grown))
            except Exception as exc:
                problems.append(f"{type(exc).__name__}: {exc}")
        return problems

    def status(self, message: str) -> None:
        self.book.app.status_bar = message[:250]


def grow_tables(sh: Any, old_last: int, new_last: int) -> list[str]:
    """Extend every table of `sh` that ends on `old_last` down to `new_last`; what failed
    (an add-in without table resizing), said as a problem."""
    try:
        for table in sh.tables:
            rng = table.range
            end = rng.last_cell
            if end.row == old_last:
                table.resize(sh.range((rng.row, rng.column), (new_last, end.column)))
    except Exception as exc:
        return [f"{type(exc).__name__}: {exc}"]
    return []


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
