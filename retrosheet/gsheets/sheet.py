"""A Google Sheet read in one request: every sheet's values and formulas, then a plan.

One spreadsheets.get with includeGridData returns the sheet list (names, ids, sizes) and
every cell's entered value and effective value; ``book.load_from_sheets`` reads
Planning, Settings and Contacts from it exactly as it does for an .xlsx file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..book import LoadedPlan, load_from_sheets
from ..errors import msg
from ..labels import sheet_key as sheet_kind
from ..labels import sheet_name
from .cells import cell_value
from .client import Sheets

# Only what retrosheet reads: a smaller answer from Google, and a documented contract.
READ_FIELDS = (
    "spreadsheetId,properties(title,locale,timeZone),"
    "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount)),"
    "data(startRow,startColumn,rowData(values(userEnteredValue,effectiveValue))))"
)


@dataclass
class SheetData:
    """One sheet: its place in the spreadsheet and its cells (0-based rows and columns)."""

    id: int
    title: str
    index: int
    row_count: int
    column_count: int
    values: list[list[Any]] = field(default_factory=list)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    def has_formula(self, row: int, col: int) -> bool:
        """Whether the cell at 1-based `row`, 0-based `col` holds a formula."""
        return (row - 1, col) in self.formulas

    def value(self, row: int, col: int) -> Any:
        """The value at 1-based `row`, 0-based `col` (None when empty)."""
        if row - 1 >= len(self.values):
            return None
        cells = self.values[row - 1]
        return cells[col] if col < len(cells) else None

    def used_rows(self) -> int:
        """1-based number of the last row holding a value or a formula."""
        last = 0
        for i, row in enumerate(self.values):
            if any(v is not None and v != "" for v in row):
                last = i + 1
        if self.formulas:
            last = max(last, max(r for r, _ in self.formulas) + 1)
        return last


@dataclass
class Book:
    """A spreadsheet as read: key, title, locale and its sheets in order."""

    key: str
    title: str
    locale: str
    sheets: list[SheetData]

    @property
    def names(self) -> list[str]:
        return [s.title for s in self.sheets]

    def sheet(self, title: str) -> SheetData:
        for s in self.sheets:
            if s.title == title:
                return s
        raise KeyError(title)

    def find(self, kind: str, lang: str) -> SheetData | None:
        """The Report/History/… sheet of the plan, its own language's name first."""
        found = [s for s in self.sheets if sheet_kind(s.title) == kind]
        found.sort(key=lambda s: s.title != sheet_name(kind, lang))
        return found[0] if found else None

    def new_sheet_id(self, taken: Iterable[int] = ()) -> int:
        used = {s.id for s in self.sheets} | set(taken)
        n = 1_000_001
        while n in used:
            n += 1
        return n


def grid_of(data: Sequence[dict[str, Any]]) -> tuple[list[list[Any]], dict[tuple[int, int], str]]:
    """The values and formulas of a sheet's GridData blocks."""
    values: list[list[Any]] = []
    formulas: dict[tuple[int, int], str] = {}
    for block in data:
        r0 = int(block.get("startRow", 0))
        c0 = int(block.get("startColumn", 0))
        for i, row in enumerate(block.get("rowData", []) or []):
            r = r0 + i
            while len(values) <= r:
                values.append([])
            cells = row.get("values", []) or []
            line = values[r]
            if len(line) < c0 + len(cells):
                line.extend([None] * (c0 + len(cells) - len(line)))
            for j, cell in enumerate(cells):
                if not cell:
                    continue
                v, f = cell_value(cell)
                line[c0 + j] = v
                if f is not None:
                    formulas[(r, c0 + j)] = f
    return values, formulas


def book_of(key: str, answer: dict[str, Any]) -> Book:
    """A Book from a spreadsheets.get answer (with or without grid data)."""
    props = answer.get("properties", {}) or {}
    sheets: list[SheetData] = []
    for s in answer.get("sheets", []) or []:
        p = s.get("properties", {}) or {}
        grid = p.get("gridProperties", {}) or {}
        values, formulas = grid_of(s.get("data", []) or [])
        sheets.append(SheetData(
            id=int(p.get("sheetId", 0)), title=str(p.get("title", "")),
            index=int(p.get("index", len(sheets))),
            row_count=int(grid.get("rowCount", 1000)),
            column_count=int(grid.get("columnCount", 26)),
            values=values, formulas=formulas))
    sheets.sort(key=lambda s: s.index)
    return Book(key, str(props.get("title", "")), str(props.get("locale", "en_US")), sheets)


def read_book(api: Sheets, key: str) -> Book:
    """The whole spreadsheet in one request."""
    return book_of(key, api.get(key, fields=READ_FIELDS, include_grid_data=True))


def load(book: Book) -> LoadedPlan:
    """Planning, Settings and Contacts read from the book, as for any backend."""
    def rows_of(title: str) -> Iterable[Sequence[Any]]:
        return book.sheet(title).values

    return load_from_sheets(book.names, rows_of, date1904=False,
                            book=msg("err.surface.sheets.the_sheet",
                                     title=repr(book.title or book.key)))


