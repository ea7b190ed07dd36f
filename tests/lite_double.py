"""A test double of what xlwings Lite gives a script: `script` and the `xw.Book` it passes.

It offers only calls the xlwings Lite documentation shows (anything else is an
AttributeError, so an adapter that strays fails here): `book.name`, `book.sheets`
(iterate, by name or index, `add(name=…, after=…)`, `len`), `book.app.alert`,
`sheet.name`, `sheet.range((r, c), (r2, c2))` / `sheet["A1:B2"]`, `Range.options(ndim=2)`,
`Range.value` (read, write), `Range.number_format`, `Range.color`, `Range.font.bold/
italic/size/color`, `Range.row/column/shape/last_cell`, `sheet.clear()`,
`sheet.activate()`, `sheet.tables`, `Table.range`, `Table.resize`.

It behaves as xlwings Lite does where that matters: reads give values, never formulas
(dates as datetimes, empty cells None); a written string starting with "=" becomes a
formula whose value the script cannot read (no calculation during a script); a leading
apostrophe keeps text as text; a 2-D write must match the range's shape.

Pure Python without imports from retrosheet: the Pyodide test installs it as the
`xlwings` package.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

SCRIPTS: dict[str, dict[str, Any]] = {}  # function name → the @script configuration


def script(func: Any = None, **config: Any) -> Any:
    """`@script` and `@script(button="[Shape]Sheet!A1", show_taskpane=True)`."""
    def register(f: Any) -> Any:
        SCRIPTS[f.__name__] = {"function": f, **config}
        return f

    return register(func) if func is not None else register


def _col(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _a1(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    parts = ref.replace("$", "").split(":")
    coords = []
    for p in parts:
        m = re.fullmatch(r"([A-Za-z]+)(\d+)", p)
        if m is None:
            raise ValueError(f"not an address: {ref}")
        coords.append((int(m.group(2)), _col(m.group(1))))
    return coords[0], coords[-1]


class App:
    def __init__(self) -> None:
        self.alerts: list[dict[str, Any]] = []

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok",
              mode: str | None = None, callback: str | None = None) -> None:
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode})


class Book:
    def __init__(self, name: str, sheets: dict[str, list[list[Any]]],
                 tables: dict[str, dict[str, str]] | None = None) -> None:
        self.name = name
        self.app = App()
        self.log: list[tuple[str, ...]] = []  # what the script did, in order
        self._sheets = [Sheet(self, n, rows, (tables or {}).get(n, {}))
                        for n, rows in sheets.items()]
        self.active = self._sheets[0].name

    @property
    def sheets(self) -> Sheets:
        return Sheets(self)

    def dump(self) -> dict[str, Any]:
        """The workbook as the script left it: per sheet, cell → value or formula."""
        return {"sheets": {s.name: s.dump() for s in self._sheets}, "active": self.active,
                "alerts": self.app.alerts, "tables": {s.name: {t: r for t, r in
                                                               s._tables.items()}
                                                      for s in self._sheets},
                "log": [list(x) for x in self.log]}


class Sheets:
    def __init__(self, book: Book) -> None:
        self._book = book

    def __iter__(self) -> Any:
        return iter(self._book._sheets)

    def __len__(self) -> int:
        return len(self._book._sheets)

    def __getitem__(self, key: int | str) -> Sheet:
        if isinstance(key, int):
            return self._book._sheets[key]
        for s in self._book._sheets:
            if s.name == key:
                return s
        raise KeyError(key)

    def add(self, name: str | None = None, before: Sheet | None = None,
            after: Sheet | None = None) -> Sheet:
        sheet = Sheet(self._book, name or f"Sheet{len(self) + 1}", [], {})
        sheets = self._book._sheets
        at = sheets.index(after) + 1 if after is not None else \
            sheets.index(before) if before is not None else len(sheets)
        sheets.insert(at, sheet)
        self._book.log.append(("add_sheet", sheet.name))
        self._book.active = sheet.name
        return sheet


class Sheet:
    def __init__(self, book: Book, name: str, rows: list[list[Any]],
                 tables: dict[str, str]) -> None:
        self.book = book
        self.name = name
        self._cells: dict[tuple[int, int], Any] = {}
        self._formulas: dict[tuple[int, int], str] = {}
        self._formats: dict[tuple[int, int], dict[str, Any]] = {}
        self._tables = dict(tables)  # name → "A1:T53"
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None and v != "":
                    self._cells[(r, c)] = v

    def range(self, first: Any, last: Any = None) -> Range:
        if isinstance(first, str):
            a, b = _a1(first)
            return Range(self, a, b)
        return Range(self, tuple(first), tuple(last) if last is not None else tuple(first))

    def __getitem__(self, ref: str) -> Range:
        return self.range(ref)

    def clear(self) -> None:
        self._cells.clear()
        self._formulas.clear()
        self._formats.clear()
        self.book.log.append(("clear", self.name))

    def activate(self) -> None:
        self.book.active = self.name
        self.book.log.append(("activate", self.name))

    @property
    def tables(self) -> list[Table]:
        return [Table(self, n) for n in self._tables]

    def dump(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for (r, c), v in self._cells.items():
            out[f"{_letters(c)}{r}"] = {"value": v}
        for (r, c), f in self._formulas.items():
            out[f"{_letters(c)}{r}"] = {"formula": f}
        for (r, c), fmt in self._formats.items():
            out.setdefault(f"{_letters(c)}{r}", {}).update(fmt)
        return out


class Font:
    def __init__(self, rng: Range) -> None:
        object.__setattr__(self, "_rng", rng)

    def __setattr__(self, key: str, value: Any) -> None:
        if key not in ("bold", "italic", "size", "color", "name"):
            raise AttributeError(key)
        self._rng._format(f"font_{key}", value)


class Range:
    def __init__(self, sheet: Sheet, first: tuple[int, ...], last: tuple[int, ...]) -> None:
        self.sheet = sheet
        self._r1, self._c1 = first[0], first[1]
        self._r2, self._c2 = last[0], last[1]
        self._ndim: int | None = None

    @property
    def row(self) -> int:
        return self._r1

    @property
    def column(self) -> int:
        return self._c1

    @property
    def shape(self) -> tuple[int, int]:
        return self._r2 - self._r1 + 1, self._c2 - self._c1 + 1

    @property
    def last_cell(self) -> Range:
        return Range(self.sheet, (self._r2, self._c2), (self._r2, self._c2))

    @property
    def address(self) -> str:
        return f"${_letters(self._c1)}${self._r1}:${_letters(self._c2)}${self._r2}"

    def options(self, ndim: int | None = None, **_: Any) -> Range:
        rng = Range(self.sheet, (self._r1, self._c1), (self._r2, self._c2))
        rng._ndim = ndim
        return rng

    @property
    def value(self) -> Any:
        # A formula reads None: Excel computes its value after the script. One expression,
        # no call a cell: ranges of 100,000 cells are read.
        cells, formulas = self.sheet._cells, self.sheet._formulas
        cols = range(self._c1, self._c2 + 1)
        grid = [[None if (r, c) in formulas else cells.get((r, c)) for c in cols]
                for r in range(self._r1, self._r2 + 1)]
        if self._ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        return grid[0] if len(grid) == 1 else grid

    @value.setter
    def value(self, data: Any) -> None:
        nrows, ncols = self.shape
        grid = data if isinstance(data, list) else [[data] * ncols for _ in range(nrows)]
        if len(grid) != nrows or any(len(row) != ncols for row in grid):
            raise ValueError(f"InvalidArgument: {len(grid)} rows for a range of {nrows}")
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                self._put(self._r1 + i, self._c1 + j, v)
        self.sheet.book.log.append(("write", self.sheet.name, self.address))

    def _put(self, r: int, c: int, v: Any) -> None:
        cells, formulas = self.sheet._cells, self.sheet._formulas
        cells.pop((r, c), None)
        formulas.pop((r, c), None)
        if isinstance(v, str) and v.startswith("="):
            formulas[(r, c)] = v
        elif isinstance(v, str) and v.startswith("'"):
            cells[(r, c)] = v[1:]
        elif isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            cells[(r, c)] = dt.datetime(v.year, v.month, v.day)  # read back as a datetime
        elif v is not None and v != "":
            cells[(r, c)] = v

    def _format(self, key: str, value: Any) -> None:
        for r in range(self._r1, self._r2 + 1):
            for c in range(self._c1, self._c2 + 1):
                self.sheet._formats.setdefault((r, c), {})[key] = value

    @property
    def font(self) -> Font:
        return Font(self)

    def __setattr__(self, key: str, value: Any) -> None:
        if key in ("number_format", "color"):
            self._format(key, value)
        elif key.startswith("_") or key in ("sheet", "value"):
            object.__setattr__(self, key, value)
        else:
            raise AttributeError(f"xlwings Lite's Range has no settable {key!r}")


class Table:
    def __init__(self, sheet: Sheet, name: str) -> None:
        self._sheet = sheet
        self.name = name

    @property
    def range(self) -> Range:
        return self._sheet.range(self._sheet._tables[self.name])

    def resize(self, rng: Range) -> None:
        self._sheet._tables[self.name] = rng.address.replace("$", "")
        self._sheet.book.log.append(("resize", self.name, self._sheet._tables[self.name]))

