"""The pieces a workbook design is made of: plain data every backend can render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right"]
NumberKind = Literal["NUMBER", "DATE", "CURRENCY", "PERCENT"]


@dataclass(frozen=True)
class Look:
    """How a cell looks: a style role's font, fill, border, alignment and number format."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    color: str | None = None  # "#RRGGBB"
    fill: str | None = None
    border: bool = False
    wrap: bool = False
    align: Align | None = None
    top: bool = False  # vertical alignment: top (wrapped text reads from its first line)
    middle: bool = False
    rotation: int = 0
    number_format: str | None = None
    number_kind: NumberKind = "NUMBER"


@dataclass(frozen=True, slots=True)
class Cell:
    """A value or a live formula; `cached` is the engine's result, for writers that store
    one (an .xlsx read without a calculation engine shows it)."""

    value: str | float | None = None
    formula: str | None = None
    cached: str | float | None = None
    look: str | None = None
    note: str | None = None
    array: bool = False  # an array formula (Excel's Ctrl+Shift+Enter, Sheets' ARRAYFORMULA)


@dataclass(frozen=True)
class Column:
    first: int
    last: int  # inclusive
    width: float  # Excel characters
    look: str | None = None  # the default look of the column's cells


@dataclass(frozen=True)
class Rule:
    """A conditional format: `formula` (written for the range's top-left cell) → `look`.

    `grow`: the rule also covers the rows a user adds below (`last_row` is then the last
    row of the table as written; backends without a fixed end leave it open).
    """

    first_row: int
    last_row: int
    first_col: int
    last_col: int
    formula: str
    look: str
    grow: bool = False


@dataclass(frozen=True)
class Validation:
    """A dropdown from a Settings list (`kind` "list") or a whole number in a range."""

    first_row: int
    last_row: int
    col: int
    kind: Literal["list", "whole"]
    title: str
    message: str
    source: str = ""  # "list": an absolute range, without "="
    strict: bool = True
    low: int = 0
    high: int = 0


@dataclass(frozen=True)
class Series:
    col: int
    first_row: int  # the header row above the values: the series' name
    last_row: int


@dataclass(frozen=True)
class Chart:
    kind: Literal["pie", "column", "bar"]
    title: str
    categories: Series  # its first row is a header too
    series: tuple[Series, ...]
    row: int  # top-left anchor
    col: int
    width: int = 480  # pixels
    height: int = 288
    labels: bool = False
    percent: bool = False
    legend: Literal["right", "bottom", "none"] = "right"


@dataclass(frozen=True)
class Page:
    """Page setup (Sheets has none in its API: only the .xlsx carries it)."""

    paper: Literal["A4", "Letter"] = "A4"
    landscape: bool = False
    fit_width: int = 1  # pages across; 0: as the scale gives
    fit_height: int = 0  # pages down; 0: as many as needed
    scale: int | None = None  # percent, used when fit_width is 0
    repeat_rows: tuple[int, int] | None = None
    repeat_cols: tuple[int, int] | None = None
    area: tuple[int, int, int, int] | None = None  # first row, first col, last row, last col
    col_breaks: tuple[int, ...] = ()  # a new page starts at these columns
    across_first: bool = False  # page order: across, then down
    margins: tuple[float, float, float, float] = (0.4, 0.4, 0.5, 0.5)  # l, r, t, b inches
    center: bool = False


@dataclass
class SheetDesign:
    key: str  # planning, contacts, settings, dashboard, report, history
    title: str
    rows: int  # the grid a backend with fixed grids (Sheets) gives the sheet
    cols: int
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)  # row → points
    freeze: tuple[int, int] = (0, 0)
    rules: list[Rule] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    page: Page = field(default_factory=Page)
    table: tuple[str, int, int] | None = None  # name, last row, last col: an Excel table
    filter: tuple[int, int] | None = None  # last row, last col: a filter on row 0
    # Cells joined into one (first row, first col, last row, last col): the first holds
    # the value, the others stay empty.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    def put(self, r: int, c: int, value: str | float | None = None, look: str | None = None,
            *, formula: str | None = None, cached: str | float | None = None,
            note: str | None = None, array: bool = False) -> None:
        if value == "" and formula is None and look is None and note is None:
            return
        self.cells[(r, c)] = Cell(value, formula, cached, look, note, array)

    def width(self, first: int, last: int, width: float, look: str | None = None) -> None:
        self.columns.append(Column(first, last, width, look))


@dataclass
class Workbook:
    lang: str
    looks: dict[str, Look]
    sheets: list[SheetDesign]

    def sheet(self, key: str) -> SheetDesign:
        return next(s for s in self.sheets if s.key == key)


# Countries that print on US Letter (the rest of the world uses A4).
LETTER_COUNTRIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA",
                              "DO", "SV", "NI", "HN", "PR", "BZ"})


def paper_for(country: str) -> Literal["A4", "Letter"]:
    return "Letter" if country.strip().upper() in LETTER_COUNTRIES else "A4"
