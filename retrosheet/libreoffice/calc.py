"""The open Calc document as a plan store (`retrosheet.store.PlanStore`), over UNO: what the
LibreOffice buttons work on.

Runs inside LibreOffice, on its Python: the document is the one on screen, not the file
on disk, and the user saves it as usual (an .xlsx plan stays an .xlsx plan).

- Values come from `getDataArray` (text and numbers; empty cells as None). Cells holding
  a typed date come back as dates (one `queryContentCells(DATETIME)` per sheet); a
  formula's date result stays a serial number, which the core reads as a date too.
- Formulas are read and written in the OOXML grammar (`FormulaParser` with the OOXML op
  codes), the grammar the engine writes in and .xlsx files store, so "is this cell
  already right" compares like with like.
- New follow-up rows copy the last row of the table (formats, validations, conditional
  formats) and are then emptied; the table's database range grows with them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from ..cellbook import Cell, CellBook, Look, Looks, Value
from ..values import from_serial, to_serial

# com.sun.star.sheet.CellFlags
VALUE, DATETIME, STRING, ANNOTATION, FORMULA = 1, 2, 4, 8, 16
HARDATTR, STYLES, OBJECTS, EDITATTR, FORMATTED = 32, 64, 128, 256, 512
CONTENT = VALUE | DATETIME | STRING | ANNOTATION | FORMULA
DATE_TYPE = 2  # com.sun.star.util.NumberFormat.DATE
BOLD = 150.0  # com.sun.star.awt.FontWeight.BOLD
HMM_PER_PX = 2540 / 96  # 1/100 mm per pixel at 96 dpi


def _struct(name: str, **fields: Any) -> Any:
    import uno  # type: ignore[import-not-found, unused-ignore]

    s = uno.createUnoStruct(name)
    for k, v in fields.items():
        setattr(s, k, v)
    return s


_REF = re.compile(r"(?<![A-Za-z0-9_.$])(\$?[A-Z]{1,3})(\$?)([0-9]+)(?![0-9A-Za-z_(.])")


def shift_rows(formula: str, by: int) -> str:
    """`formula` with its relative row references moved `by` rows (`K5` → `K7` for 2;
    `$K$1` stays), string literals left alone."""
    parts = re.split(r'("(?:[^"]|"")*")', formula)
    for i in range(0, len(parts), 2):
        parts[i] = _REF.sub(lambda m: m[0] if m[2] else f"{m[1]}{int(m[3]) + by}", parts[i])
    return "".join(parts)


def char_width_to_hmm(chars: float) -> int:
    """An Excel column width (characters of the default font) in 1/100 mm."""
    return round((7 * chars + 5) * HMM_PER_PX)


class CalcBook(CellBook):
    """A spreadsheet document open in LibreOffice (an XSpreadsheetDocument): the
    primitives `CellBook` turns into the plan-store interface, and the buttons' `Ui`."""

    live = True  # LibreOffice computes the formulas: a formula cell's value is its own

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.statuses: list[str] = []
        self.messages: list[tuple[str, str, bool]] = []  # (message, title, error)
        self.wrote = False  # whether anything was changed (to undo it on a failure)
        self.active: str | None = None
        self._parser: Any = None
        self._formats: dict[str, int] = {}
        self._sheets: dict[str, Any] = {}
        self._api: dict[str, dict[tuple[int, int], str]] = {}  # formulas, Calc's grammar
        self._shapes: dict[tuple[str, int, str], tuple[int, str]] = {}

    # ---- reading --------------------------------------------------------------------

    @property
    def name(self) -> str:
        url = str(self.doc.getURL() or "")
        if url:
            return unquote(url.rstrip("/").rsplit("/", 1)[-1])
        return str(self.doc.Title)

    @property
    def date1904(self) -> bool:
        null = self.doc.NullDate
        return (null.Year, null.Month, null.Day) == (1904, 1, 1)

    def sheet_names(self) -> list[str]:
        return [str(n) for n in self.doc.Sheets.ElementNames]

    def _sheet(self, name: str) -> Any:
        if name not in self._sheets:
            self._sheets[name] = self.doc.Sheets.getByName(name)
        return self._sheets[name]

    def _index(self, name: str) -> int:
        return self.sheet_names().index(name)

    def _used(self, sheet: str) -> Any:
        """The range A1 to the last used cell, or None for an empty sheet."""
        sh = self._sheet(sheet)
        cursor = sh.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.RangeAddress
        rng = sh.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
        if end.EndRow == 0 and end.EndColumn == 0 and rng.getCellByPosition(0, 0).Type \
                .value == "EMPTY":
            return None
        return rng

    @staticmethod
    def _cells_of(ranges: Any) -> list[tuple[int, int]]:
        """(row 0-based, col 0-based) of every cell in a query's ranges."""
        out: list[tuple[int, int]] = []
        for a in ranges.getRangeAddresses():
            for r in range(a.StartRow, a.EndRow + 1):
                out.extend((r, c) for c in range(a.StartColumn, a.EndColumn + 1))
        return out

    def values(self, sheet: str) -> list[list[Any]]:
        rng = self._used(sheet)
        if rng is None:
            return []
        grid: list[list[Any]] = [[None if v == "" else v for v in row]
                                 for row in rng.getDataArray()]
        for r, c in self._cells_of(rng.queryContentCells(DATETIME)):
            v = grid[r][c]
            if isinstance(v, float) and v >= 1:
                grid[r][c] = from_serial(v, self.date1904)
        return grid

    def _formula_parser(self) -> Any:
        if self._parser is None:
            from uno import getConstantByName as const

            parser = self.doc.createInstance("com.sun.star.sheet.FormulaParser")
            mapper = self.doc.createInstance("com.sun.star.sheet.FormulaOpCodeMapper")
            parser.FormulaConvention = const("com.sun.star.sheet.AddressConvention.XL_OOX")
            parser.OpCodeMap = mapper.getAvailableMappings(
                const("com.sun.star.sheet.FormulaLanguage.OOXML"),
                const("com.sun.star.sheet.FormulaMapGroup.ALL_EXCEPT_SPECIAL"))
            self._parser = parser
        return self._parser

    def _printed(self, sheet: Any, row0: int, col: int) -> str:
        cell = sheet.getCellByPosition(col, row0)
        return "=" + str(self._formula_parser().printFormula(cell.getTokens(),
                                                             cell.CellAddress))

    def formulas(self, sheet: str) -> list[list[str]]:
        rng = self._used(sheet)
        if rng is None:
            return []
        addr = rng.RangeAddress
        grid = [[""] * (addr.EndColumn + 1) for _ in range(addr.EndRow + 1)]
        for r, c in self._cells_of(rng.queryContentCells(FORMULA)):
            grid[r][c] = self._printed(rng, r, c)
        return grid

    def formula(self, sheet: str, row: int, col: int) -> str | None:
        """One cell's formula in the OOXML grammar, or None.

        Printing a formula through the parser costs milliseconds (its tokens cross the
        bridge as structs), and a column holds the same formula row after row. So the
        sheet's formulas come in one call in Calc's own grammar; one cell of each shape
        (the formula with its relative rows made relative) is printed, and the others
        are that text with its relative rows moved (`shift_rows`)."""
        if sheet not in self._api:
            rng = self._used(sheet)
            texts = () if rng is None else rng.getFormulaArray()
            self._api[sheet] = {} if rng is None else {
                (r, c): str(texts[r][c])
                for r, c in self._cells_of(rng.queryContentCells(FORMULA))}
        api = self._api[sheet].get((row - 1, col))
        if api is None:
            return None
        shape = (sheet, col, shift_rows(api, -row))
        if shape not in self._shapes:
            self._shapes[shape] = (row, self._printed(self._sheet(sheet), row - 1, col))
        first, text = self._shapes[shape]
        return shift_rows(text, row - first)

    def _written(self, sheet: str) -> None:
        super()._written(sheet)
        self._api.pop(sheet, None)
        self._shapes = {k: v for k, v in self._shapes.items() if k[0] != sheet}

    # ---- writing --------------------------------------------------------------------

    def _format_key(self, code: str) -> int | None:
        """The document's number format for an Excel-style format code (added if new)."""
        if code not in self._formats:
            formats = self.doc.NumberFormats
            locale = _struct("com.sun.star.lang.Locale", Language="en", Country="US")
            try:
                key = formats.queryKey(code, locale, False)
                if key == -1:
                    key = formats.addNew(code, locale)
            except Exception:
                return None  # a format LibreOffice cannot read: the cell keeps its own
            self._formats[code] = int(key)
        return self._formats[code]

    def _put(self, sh: Any, row: int, col: int, value: Value, formula: str | None) -> None:
        cell = sh.getCellByPosition(col, row - 1)
        self.wrote = True
        if formula is not None:
            parser = self._formula_parser()
            cell.setTokens(parser.parseFormula(formula.removeprefix("="), cell.CellAddress))
        elif value is None:
            cell.setFormula("")  # empty
        elif isinstance(value, str):
            cell.setString(value)
        elif isinstance(value, dt.date):
            cell.setValue(to_serial(value, self.date1904))
            if not self.doc.NumberFormats.getByKey(cell.NumberFormat).Type & DATE_TYPE:
                locale = _struct("com.sun.star.lang.Locale")
                cell.NumberFormat = self.doc.NumberFormats.getStandardFormat(DATE_TYPE,
                                                                             locale)
        else:
            cell.setValue(float(value))

    def write(self, cells: Sequence[Cell]) -> None:
        for c in cells:
            self._put(self._sheet(c.sheet), c.row, c.col, c.value, c.formula)

    def put_rows(self, sheet: str, first_row: int, rows: Sequence[Sequence[Value]]) -> None:
        sh = self._sheet(sheet)
        for i, row in enumerate(rows):
            for c, v in enumerate(row):
                self._put(sh, first_row + i, c, v, None)

    def clear(self, sheet: str) -> None:
        rng = self._used(sheet)
        if rng is not None:
            self.wrote = True
            rng.clearContents(CONTENT | HARDATTR | STYLES | EDITATTR | FORMATTED)

    def add_sheet(self, name: str) -> None:
        self.wrote = True
        self.doc.Sheets.insertNewByName(name, len(self.sheet_names()))

    def style(self, sheet: str, looks: Looks) -> None:
        index = self._index(sheet)
        for look, cells in looks.items():
            if not cells:
                continue
            ranges = self.doc.createInstance("com.sun.star.sheet.SheetCellRanges")
            for r, c in sorted(set(cells)):
                ranges.addRangeAddress(_struct(
                    "com.sun.star.table.CellRangeAddress", Sheet=index, StartColumn=c,
                    StartRow=r - 1, EndColumn=c, EndRow=r - 1), True)
            names, values = self._look_properties(look)
            if names:
                self.wrote = True
                ranges.setPropertyValues(names, values)

    def _look_properties(self, look: Look) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        import uno

        props: dict[str, Any] = {}
        if look.number_format:
            key = self._format_key(look.number_format)
            if key is not None:
                props["NumberFormat"] = key
        if look.bold:
            props["CharWeight"] = BOLD
        if look.italic:
            props["CharPosture"] = uno.Enum("com.sun.star.awt.FontSlant", "ITALIC")
        if look.size:
            props["CharHeight"] = float(look.size)
        if look.color:
            props["CharColor"] = int(look.color[1:], 16)
        if look.fill:
            props["CellBackColor"] = int(look.fill[1:], 16)
        names = tuple(sorted(props))  # setPropertyValues wants them sorted
        return names, tuple(props[n] for n in names)

    def widen(self, sheet: str, widths: Mapping[int, float]) -> None:
        columns = self._sheet(sheet).Columns
        for col, chars in widths.items():
            column = columns.getByIndex(col)
            want = char_width_to_hmm(chars)
            if column.Width < want:
                self.wrote = True
                column.Width = want

    def grow(self, sheet: str, old_last: int, new_last: int) -> list[str]:
        sh = self._sheet(sheet)
        index = self._index(sheet)
        problems: list[str] = []
        used = self._used(sheet)
        last_col = used.RangeAddress.EndColumn if used is not None else 0
        self.wrote = True
        try:
            target = sh.getCellRangeByPosition(0, old_last, last_col, new_last - 1)
            # Rows still empty (recompute's new follow-up rows, written next) take the
            # last row's look; rows already written (History's) are left as they are.
            if not target.queryContentCells(CONTENT).getRangeAddresses():
                source = sh.getCellRangeByPosition(0, old_last - 1, last_col, old_last - 1)
                for r in range(old_last, new_last):
                    sh.copyRange(_struct("com.sun.star.table.CellAddress", Sheet=index,
                                         Column=0, Row=r), source.RangeAddress)
                target.clearContents(CONTENT)  # the copies' content: only the look stays
        except Exception as exc:
            problems.append(f"{type(exc).__name__}: {exc}")
        try:
            ranges = self.doc.DatabaseRanges
            for name in ranges.ElementNames:
                db = ranges.getByName(name)
                area = db.DataArea
                if area.Sheet == index and area.EndRow == old_last - 1:
                    area.EndRow = new_last - 1
                    db.DataArea = area
        except Exception as exc:
            problems.append(f"{type(exc).__name__}: {exc}")
        return problems

    def activate(self, sheet: str) -> None:
        self.active = sheet
        controller = self.doc.getCurrentController()
        if controller is not None:
            controller.setActiveSheet(self._sheet(sheet))

    # ---- telling the user (buttons.click shows it once the work is done) -----------

    def alert(self, message: str, title: str, error: bool) -> None:
        self.messages.append((message, title, error))

    def status(self, message: str) -> None:
        self.statuses.append(message)
