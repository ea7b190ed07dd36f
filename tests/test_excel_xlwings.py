"""XlwingsBook, the Excel side of the buttons, against a stand-in for xlwings' objects.

No Excel here: `FakeBook` answers the part of xlwings' API XlwingsBook uses (sheets,
ranges by cells or address, .value / .formula / .options(ndim=2), fonts, tables, the app's
status bar and alert) and keeps a log of every write, with Excel's rule that a string
given as a value is read like typed input ("=…" becomes a formula, "12" a number) unless
it starts with an apostrophe. The checks: formulas go through `.formula`, values through
`.value`, dates as dates, text stays text, writes come in runs, and `xlwings.Book.caller()`
is what the entry points use when no book is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_excel_entry import AS_OF, TODAY, edit_like_a_team, new

from retrosheet import excel
from retrosheet.excel import Cell, OpenpyxlBook, XlwingsBook, excel_text
from retrosheet.values import column_letter

# ---- a stand-in for xlwings -------------------------------------------------------------


def _ref(address: str) -> tuple[int, int]:
    m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", address)
    assert m, address
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


class FakeFont:
    def __init__(self, rng: FakeRange) -> None:
        self.__dict__["rng"] = rng

    def __setattr__(self, name: str, value: Any) -> None:
        self.rng.sheet.book.log.append(("font." + name, self.rng.address, value))


class FakeRange:
    def __init__(self, sheet: FakeSheet, cells: list[tuple[int, int]], shape: tuple[int, int],
                 address: str) -> None:
        self.sheet, self.cells, self.shape, self.address = sheet, cells, shape, address

    @property
    def row(self) -> int:
        return self.cells[0][0]

    @property
    def column(self) -> int:
        return self.cells[0][1]

    @property
    def last_cell(self) -> FakeRange:
        r, c = self.cells[-1]
        return self.sheet.range((r, c))

    def options(self, ndim: int = 0) -> FakeRange:
        return self

    def _grid(self, get: Any) -> Any:
        rows, cols = self.shape
        r0, c0 = self.cells[0]
        data = [[get(r0 + i, c0 + j) for j in range(cols)] for i in range(rows)]
        return data

    @property
    def value(self) -> Any:
        self.sheet.book.reads += 1
        return self._grid(self.sheet.value_at)

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.book.log.append(("value", self.address, data))
        for (r, c), v in zip(self.cells, _flat(data, self.shape), strict=True):
            self.sheet.type_in(r, c, v)

    @property
    def formula(self) -> Any:
        self.sheet.book.reads += 1
        grid = self._grid(self.sheet.formula_at)
        return tuple(tuple(r) for r in grid) if len(self.cells) > 1 else grid[0][0]

    @formula.setter
    def formula(self, data: Any) -> None:
        self.sheet.book.log.append(("formula", self.address, data))
        for (r, c), f in zip(self.cells, _flat(data, self.shape), strict=True):
            self.sheet.formulas[(r, c)] = f
            self.sheet.values[(r, c)] = self.sheet.book.compute(self.sheet.name, r, c, f)

    @property
    def font(self) -> FakeFont:
        return FakeFont(self)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("number_format", "color", "column_width"):
            self.sheet.book.log.append((name, self.address, value))
            if name == "column_width":
                for _, c in self.cells:
                    self.sheet.widths[c] = value
            return
        object.__setattr__(self, name, value)

    @property
    def column_width(self) -> float | None:
        widths = {self.sheet.widths.get(c, 8.43) for _, c in self.cells}
        return widths.pop() if len(widths) == 1 else None  # as xlwings: None when mixed


def _flat(data: Any, shape: tuple[int, int]) -> list[Any]:
    rows, cols = shape
    if rows * cols == 1 and not isinstance(data, list):
        return [data]
    assert isinstance(data, list) and len(data) == rows, (data, shape)
    out = []
    for row in data:
        assert isinstance(row, list) and len(row) == cols
        out += row
    return out


class FakeTable:
    def __init__(self, sheet: FakeSheet, ref: str) -> None:
        self.sheet, self.ref = sheet, ref

    @property
    def range(self) -> FakeRange:
        a, b = self.ref.split(":")
        return self.sheet.range(_ref(a), _ref(b))

    def resize(self, rng: FakeRange) -> None:
        self.sheet.book.log.append(("table.resize", self.ref, rng.address))
        self.ref = rng.address


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book, self.name = book, name
        self.values: dict[tuple[int, int], Any] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.widths: dict[int, float] = {}
        self.tables: list[FakeTable] = []

    def value_at(self, r: int, c: int) -> Any:
        return self.values.get((r, c))

    def formula_at(self, r: int, c: int) -> str:
        if (r, c) in self.formulas:
            return self.formulas[(r, c)]
        v = self.values.get((r, c))
        return "" if v is None else str(v)

    def type_in(self, r: int, c: int, v: Any) -> None:
        """Excel's reading of a value given through Range.value."""
        self.formulas.pop((r, c), None)
        if isinstance(v, str) and v.startswith("'"):
            v = v[1:]
        elif isinstance(v, str) and v.startswith("="):
            self.formulas[(r, c)] = v
            v = self.book.compute(self.name, r, c, v)
        elif isinstance(v, str) and re.fullmatch(r"-?\d+([.,]\d+)?", v):
            v = float(v.replace(",", "."))
        elif isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            v = dt.datetime.combine(v, dt.time())  # what Excel gives back
        if v is None:
            self.values.pop((r, c), None)
        else:
            self.values[(r, c)] = v

    def range(self, a: Any, b: Any = None) -> FakeRange:
        if isinstance(a, str):  # "A1", "B2:D2,A5"
            refs = []
            for area in a.split(","):
                (r0, c0), (r1, c1) = (_ref(x) for x in (area.split(":") * 2)[:2])
                refs += [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
            return FakeRange(self, refs, (len(refs), 1) if len(refs) > 1 else (1, 1), a)
        b = b or a
        cells = [(r, c) for r in range(a[0], b[0] + 1) for c in range(a[1], b[1] + 1)]
        address = f"{column_letter(a[1] - 1)}{a[0]}:{column_letter(b[1] - 1)}{b[0]}"
        return FakeRange(self, cells, (b[0] - a[0] + 1, b[1] - a[1] + 1), address)

    @property
    def used_range(self) -> FakeRange:
        used = set(self.values) | set(self.formulas)
        last = (max((r for r, _ in used), default=1), max((c for _, c in used), default=1))
        return self.range((1, 1), last)

    def clear(self) -> None:
        self.book.log.append(("clear", self.name, None))
        self.values.clear()
        self.formulas.clear()

    def activate(self) -> None:
        self.book.active = self.name


class FakeSheets:
    def __init__(self, book: FakeBook) -> None:
        self.book = book
        self.items: list[FakeSheet] = []

    def __iter__(self) -> Iterator[FakeSheet]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, key: str | int) -> FakeSheet:
        if isinstance(key, int):
            return self.items[key]
        return next(s for s in self.items if s.name == key)

    def add(self, name: str, after: FakeSheet | None = None) -> FakeSheet:
        sheet = FakeSheet(self.book, name)
        self.items.append(sheet)
        return sheet


class FakeApp:
    def __init__(self, book: FakeBook) -> None:
        self.book = book
        self.screen_updating = True
        self.status_bar: str | bool = False
        self.calculation = "automatic"
        self.alerts: list[tuple[str, str, str]] = []

    def alert(self, prompt: str, title: str = "", mode: str = "") -> None:
        self.alerts.append((prompt, title, mode))

    def calculate(self) -> None:
        pass


class FakeApi:
    Date1904 = False


class FakeBook:
    """An xlwings Book as far as XlwingsBook goes. `expected` gives a formula cell the
    value Excel would compute (the engine's, taken from a run on the same plan)."""

    def __init__(self, path: Path, expected: dict[tuple[str, int, int], Any]) -> None:
        self.name = path.name
        self.app = FakeApp(self)
        self.api = FakeApi()
        self.sheets = FakeSheets(self)
        self.log: list[tuple[str, str, Any]] = []
        self.reads = 0
        self.active: str | None = None
        self.expected = expected
        formulas = openpyxl.load_workbook(path)
        cached = openpyxl.load_workbook(path, data_only=True)
        for ws in formulas.worksheets:
            sheet = self.sheets.add(ws.title)
            for table in ws.tables.values():
                sheet.tables.append(FakeTable(sheet, table.ref))
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None:
                        continue
                    key = (cell.row, cell.column)
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        sheet.formulas[key] = cell.value
                    v = cached[ws.title].cell(cell.row, cell.column).value
                    if v is not None:
                        sheet.values[key] = v

    def compute(self, sheet: str, r: int, c: int, formula: str) -> Any:
        return self.expected.get((sheet, r, c))


# ---- the tests --------------------------------------------------------------------------

@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = new(tmp_path / "plan.xlsm")
    edit_like_a_team(path)
    return path


def engine_values(path: Path, tmp_path: Path) -> tuple[list[Cell], dict[Any, Any]]:
    """The cells the openpyxl adapter writes for the same plan, and the values Excel would
    show for the formulas among them."""
    copy = tmp_path / "copy.xlsm"
    copy.write_bytes(path.read_bytes())
    book = OpenpyxlBook(copy)
    written: list[Cell] = []
    write = book.write

    def spy(cells: Any) -> None:
        written.extend(cells)
        write(cells)

    book.write = spy  # type: ignore[method-assign]
    assert excel.recompute(book=book, today=TODAY).ok
    return written, {(c.sheet, c.row, c.col + 1): c.value for c in written}


def test_recompute_writes_formulas_as_formulas_and_values_as_values(
        plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xlwings

    cells, expected = engine_values(plan, tmp_path)
    fake = FakeBook(plan, expected)
    # The button's Python: no book given, xlwings.Book.caller() is the workbook.
    monkeypatch.setattr(xlwings.Book, "caller", classmethod(lambda cls: fake))
    outcome = excel.recompute(today=TODAY)
    assert outcome.ok, fake.app.alerts
    assert outcome.changed == len(cells)

    planning = fake.sheets["Planning"]
    for c in cells:
        sheet = fake.sheets[c.sheet]
        key = (c.row, c.col + 1)
        if c.formula is not None:
            assert sheet.formulas[key] == c.formula  # went in as a formula
        else:
            assert key not in sheet.formulas
            got = sheet.values.get(key)
            if isinstance(c.value, dt.date):
                assert got == dt.datetime.combine(c.value, dt.time())  # a date, not text
            else:
                assert got == c.value, (c, got)  # text stays text ("12" would be a number)
    kinds = {kind for kind, _, _ in fake.log}
    assert {"formula", "value"} <= kinds
    # Formulas never through .value, values never through .formula.
    for kind, _, data in fake.log:
        flat = data if isinstance(data, list) else [[data]]
        if kind == "formula":
            assert all(isinstance(r[0], str) and r[0].startswith("=") for r in flat)
        if kind == "value":
            assert not any(isinstance(r[0], str) and r[0].startswith("=") for r in flat)
    # Rectangles, not cells: a handful of round trips.
    writes = [x for x in fake.log if x[0] in ("formula", "value")]
    assert len(writes) <= 12 < len(cells), len(writes)
    assert fake.reads <= 8
    # Table grown for the two new follow-up rows, status bar, no message box.
    assert ("table.resize", "A1:T53", "A1:T55") in fake.log
    assert planning.values[(55, 1)] == "R130-2"
    assert isinstance(fake.app.status_bar, str) and "R130-1" in fake.app.status_bar
    assert fake.app.alerts == []
    assert fake.app.screen_updating is True  # given back


def test_report_through_xlwings(plan: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    import xlwings

    copy = tmp_path / "copy.xlsm"
    copy.write_bytes(plan.read_bytes())
    ref = OpenpyxlBook(copy)
    assert excel.report(book=ref, today=AS_OF).ok
    fake = FakeBook(plan, {})
    monkeypatch.setattr(xlwings.Book, "caller", classmethod(lambda cls: fake))
    outcome = excel.report(today=AS_OF)
    assert outcome.ok, fake.app.alerts
    for name in ("Rapport", "Historique"):
        want = [[v.date() if isinstance(v, dt.datetime) else v for v in row]
                for row in ref.values(name)]
        got = XlwingsBook(fake).values(name)
        got = [[v.date() if isinstance(v, dt.datetime) else v for v in row] for row in got]
        width = max(len(r) for r in want)
        assert [r + [None] * (width - len(r)) for r in got][: len(want)] == want, name
    # The whole report in one write; looks by multi-cell ranges, not cell by cell.
    assert [x[0] for x in fake.log].count("value") <= 1 + 3  # Report block + History rows
    assert sum(1 for x in fake.log if x[0] == "number_format") < 20
    assert fake.active == "Rapport"
    # Dates readable: the report's columns widened (A for the actions, the others for dates).
    report = fake.sheets["Rapport"]
    assert report.widths[1] >= 60 and all(report.widths[c] >= 16 for c in range(2, 10))


def test_errors_go_to_a_message_box(tmp_path: Path) -> None:
    path = new(tmp_path / "plan.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb["Planning"]["F3"] = "T999"
    wb.save(path)
    fake = FakeBook(path, {})
    outcome = excel.recompute(book=XlwingsBook(fake), today=TODAY)
    assert not outcome.ok
    [(prompt, title, mode)] = fake.app.alerts
    assert "T999" in prompt and mode == "critical" and title.startswith("retrosheet")
    assert not [x for x in fake.log if x[0] in ("formula", "value")]


def test_text_that_excel_would_read_otherwise_is_kept_as_text() -> None:
    for text in ("=1+1", "+33 6 12", "-28", "0612", "12,5", "14/05/2027", "50%", "TRUE",
                 "'quoted", "@home"):
        assert excel_text(text) == "'" + text
    for text in ("T010", "Radio Nova", "J-28", "Relance +7 x2 de T130", ""):
        assert excel_text(text) == text
    assert excel_text("+7 x2") == "'+7 x2"  # Excel would take it for a formula
