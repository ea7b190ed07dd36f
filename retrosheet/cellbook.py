"""A workbook reached cell by cell (Excel through xlwings, a file through openpyxl): the
plan-store interface over a handful of primitives such a workbook offers.

An adapter implements the primitives (read a sheet's values and formulas as grids,
write cells, clear or add a sheet, style cells, widen columns, grow a table); `CellBook`
turns them into `PlanStore`'s apply/put_sheet/save, and the buttons' user interface
(status bar, message box, showing a sheet) is `Ui`.
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .labels import sheet_key, sheet_name
from .store import Growth, Saved, SheetSpec
from .updates import CellUpdate
from .values import from_serial
from .words.formats import sheet_date_format, sheet_money_format

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
    """How a Report or History cell looks (the style roles of `store.ROLES`)."""

    number_format: str | None = None
    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None  # "#RRGGBB"
    fill: str | None = None


Looks = Mapping[Look, Sequence[tuple[int, int]]]  # look → cells (row 1-based, col 0-based)
HEADER_FILL = "#1F3864"


def looks(lang: str) -> dict[str, Look]:
    """The look of each style role (as new plans draw them)."""
    return {
        "date": Look(number_format=sheet_date_format(lang)),
        "int": Look(number_format="#,##0"),
        "money": Look(number_format=sheet_money_format(lang)),
        "pct": Look(number_format="0%"),
        "bold": Look(bold=True),
        "title": Look(bold=True, size=16, color=HEADER_FILL),
        "header": Look(bold=True, color="#FFFFFF", fill=HEADER_FILL),
        "note": Look(italic=True, color="#595959"),
        "section": Look(bold=True, size=12, color=HEADER_FILL),
        "header_num": Look(bold=True, color="#FFFFFF", fill=HEADER_FILL),
        "wrap": Look(),
    }


def cell_of(u: CellUpdate) -> Cell:
    value: Value
    if u.kind == "date" and isinstance(u.value, int | float):
        value = from_serial(u.value)
    elif u.kind == "blank":
        value = None
    else:
        value = u.value
    return Cell(u.sheet, u.row, u.col, value, u.formula)


def at(grid: Sequence[Sequence[Any]], row: int, col: int) -> Any:
    """grid's cell at 1-based `row`, 0-based `col` (None outside)."""
    if 0 < row <= len(grid) and 0 <= col < len(grid[row - 1]):
        return grid[row - 1][col]
    return None


def grow_address(address: str, old_last: int, new_last: int) -> str:
    """`$A$2:$T$53,$V$1:$X$53` with each area ending on row old_last made to end on new_last."""
    return re.sub(rf"(:\$?[A-Z]+\$?){old_last}(?![0-9])", lambda m: f"{m.group(1)}{new_last}",
                  address)


class Ui(Protocol):
    """What a button needs to tell the user in the workbook's own window."""

    def activate(self, sheet: str) -> None: ...

    def alert(self, message: str, title: str, error: bool) -> None: ...

    def status(self, message: str) -> None: ...


class CellBook(ABC):
    """PlanStore over the primitives below; each adapter implements them (abstract: an
    adapter that misses one cannot be made)."""

    # Shown values are compared too: a workbook open in Excel shows computed ones anyway,
    # and a file read through openpyxl has only what was last saved.
    live = False

    @property
    @abstractmethod
    def name(self) -> str:
        ...

    @property
    @abstractmethod
    def date1904(self) -> bool:
        ...

    # ---- primitives ----------------------------------------------------------------------
    @abstractmethod
    def sheet_names(self) -> list[str]:
        ...

    @abstractmethod
    def values(self, sheet: str) -> list[list[Any]]:
        """The sheet's values from A1 to its last used cell, row by row (dates as dates,
        empty cells None); what a formula shows, not the formula."""

    @abstractmethod
    def formulas(self, sheet: str) -> list[list[str]]:
        """The same grid with each cell's formula ("=…"), or "" for a value or nothing."""

    @abstractmethod
    def write(self, cells: Sequence[Cell]) -> None:
        ...

    @abstractmethod
    def put_rows(self, sheet: str, first_row: int, rows: Sequence[Sequence[Value]]) -> None:
        """Values from column A, row `first_row` down, in one go (None: an empty cell);
        the cells keep their look (they take none from the cells above)."""

    @abstractmethod
    def clear(self, sheet: str) -> None:
        ...

    @abstractmethod
    def add_sheet(self, name: str) -> None:
        ...

    @abstractmethod
    def style(self, sheet: str, looks: Looks) -> None:
        ...

    @abstractmethod
    def widen(self, sheet: str, widths: Mapping[int, float]) -> None:
        """Columns (0-based) at least this wide (in characters); wider ones stay."""

    @abstractmethod
    def grow(self, sheet: str, old_last: int, new_last: int) -> list[str]:
        """Tables and formatting ranges that end on row `old_last` now end on `new_last`;
        returns what could not follow (said to the user, nothing else depends on it)."""

    # ---- PlanStore -----------------------------------------------------------------------
    def _cache(self) -> dict[tuple[str, str], list[list[Any]]]:
        if not hasattr(self, "_grids"):
            self._grids: dict[tuple[str, str], list[list[Any]]] = {}
            self._problems: list[str] = []
            self._wrote = False
        return self._grids

    def rows(self, sheet: str) -> list[list[Any]]:
        cache = self._cache()
        if ("v", sheet) not in cache:
            cache[("v", sheet)] = self.values(sheet)
        return cache[("v", sheet)]

    def formula(self, sheet: str, row: int, col: int) -> str | None:
        cache = self._cache()
        if ("f", sheet) not in cache:
            cache[("f", sheet)] = self.formulas(sheet)
        f = at(cache[("f", sheet)], row, col)
        return f if isinstance(f, str) and f.startswith("=") else None

    def _written(self, sheet: str) -> None:
        cache = self._cache()
        cache.pop(("v", sheet), None)
        cache.pop(("f", sheet), None)
        self._wrote = True

    def apply(self, updates: Sequence[CellUpdate], growth: Growth | None = None) -> None:
        self._cache()
        if growth is not None and growth.new_last > growth.old_last:
            self._problems += self.grow(growth.sheet, growth.old_last, growth.new_last)
        if updates:
            self.write([cell_of(u) for u in updates])
            for sheet in {u.sheet for u in updates}:
                self._written(sheet)

    def find_sheet(self, key: str, lang: str) -> str | None:
        """The sheet of kind `key`, the one named in `lang` first."""
        found = [n for n in self.sheet_names() if sheet_key(n) == key]
        found.sort(key=lambda n: n != sheet_name(key, lang))
        return found[0] if found else None

    def put_sheet(self, spec: SheetSpec) -> None:
        self._cache()
        name = self.find_sheet(spec.key, spec.lang)
        if name is None:
            name = spec.name
            self.add_sheet(name)
        elif spec.replace:
            self.clear(name)
        styled: dict[Look, list[tuple[int, int]]] = {}
        by_role = looks(spec.lang)
        block: list[list[Value]] = []
        header: list[Cell] = []
        for r, row in enumerate(spec.rows, start=spec.first_row):
            if r == spec.header_row:  # a header row of cells among others': cell by cell
                header += [Cell(name, r, c, v.value) for c, v in enumerate(row) if v is not None]
            else:
                block.append([None if v is None else v.value for v in row])
            for c, v in enumerate(row):
                if v is not None and v.style in by_role:
                    styled.setdefault(by_role[v.style], []).append((r, c))
        if header:
            self.write(header)
        first = spec.first_row + (1 if spec.header_row == spec.first_row else 0)
        if block:
            self.put_rows(name, first, block)
        self.style(name, styled)
        if spec.widths:
            self.widen(name, spec.widths)
        last = spec.first_row + len(spec.rows) - 1
        if not spec.replace and spec.first_row > 1 and last >= spec.first_row:
            self._problems += self.grow(name, spec.first_row - 1, last)  # cosmetic
        self._written(name)

    def save(self) -> Saved:
        self._cache()
        saved = Saved(self._wrote, [], list(self._problems))
        self._wrote, self._problems = False, []
        return saved
