"""An .xlsx/.xlsm file through openpyxl as a plan store, standing in for Excel: the tests
run the buttons' code on it, and anyone can try that code without Excel.

Formulas are written as formulas; a mirror of the cached values takes the value the
engine expects for each, as Excel's calculation would, so reads after a write see what
Excel would show. `save()` writes the file (openpyxl keeps the VBA project and the
buttons with keep_vba, but loses what docs/notes on openpyxl list).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cellbook import Cell, CellBook, Looks, Value, grow_address
from .store import Saved

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

class OpenpyxlBook(CellBook):
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
            grown = grow_address(table.ref, old_last, new_last)
            if grown != table.ref:
                table.ref = grown
                if table.autoFilter is not None:
                    table.autoFilter.ref = grown
        rules = ConditionalFormattingList()
        for cf in ws.conditional_formatting:
            ref = grow_address(str(cf.sqref), old_last, new_last)
            for rule in cf.rules:
                rules.add(ref, rule)
        ws.conditional_formatting = rules
        for dv in ws.data_validations.dataValidation:
            dv.sqref = type(dv.sqref)(grow_address(str(dv.sqref), old_last, new_last))
        return []

    def activate(self, sheet: str) -> None:
        self.wb.active = self.wb[sheet]
        self.active = sheet

    def alert(self, message: str, title: str, error: bool) -> None:
        self.messages.append((message, title, error))

    def status(self, message: str) -> None:
        self.statuses.append(message)

    def save(self, path: Path | None = None) -> Saved:
        """Write the file: saved beside it, then renamed over it (never half written)."""
        import os

        target = path or self.path
        tmp = target.with_name(f".{target.name}.retrosheet-tmp")
        try:
            self.wb.save(tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return super().save()
