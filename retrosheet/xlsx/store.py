"""An .xlsx/.xlsm file as a plan store: lossless, part by part.

Values are read with calamine (fast, low memory); formulas and writes go through the
sheet parts' XML (`SheetXml`), and `save` replaces only the parts that changed, copying
every other byte of the file as it was. Nothing is written before `save`.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import RetrosheetError, WorkbookError, msg
from ..grid import HEADER_SCAN_ROWS, find_table
from ..labels import contact_key, planning_key, sheet_key
from ..store import DAYS_1900_TO_1904, Growth, Saved, SheetSpec
from ..updates import CellUpdate
from .formulas import Formulas
from .formulas import read as read_formulas
from .package import Writer, save_with_parts
from .read import is_1904, open_book, open_package, sheet_row_iter
from .report_sheet import write_specs
from .sheetxml import SheetXml, grow_table


def in_date_system(updates: Sequence[CellUpdate], date1904: bool) -> list[CellUpdate]:
    """The core counts dates from 1900; a 1904 workbook stores them 1,462 days lower."""
    if not date1904:
        return list(updates)
    return [dataclasses.replace(u, value=u.value - DAYS_1900_TO_1904)
            if u.kind == "date" and isinstance(u.value, int | float) else u for u in updates]


class XlsxStore:
    """A plan file behind the PlanStore interface."""

    live = False  # cached values are what other programs show until they recalculate

    def __init__(self, path: Path, dest: Path | None = None) -> None:
        self.path = path
        self.dest = dest  # where save writes (default: over the file)
        self.pkg = open_package(path)
        self._wb, _ = open_book(path, self.pkg)
        self._date1904 = is_1904(path)
        self._sheets: dict[str, SheetXml] = {}
        self._growth: list[Growth] = []
        self._specs: list[SheetSpec] = []
        self._headers: dict[str, int] = {}  # header rows found while the sheets were read
        self._formulas: dict[str, Formulas | None] = {}  # sheets only read, not edited
        self._ahead: dict[str, threading.Thread] = {}  # formulas being read (read_ahead)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def date1904(self) -> bool:
        return self._date1904

    def sheet_names(self) -> list[str]:
        return list(self._wb.sheet_names)

    def rows(self, sheet: str) -> Iterable[Sequence[Any]]:
        rows = sheet_row_iter(self._wb, self.path, sheet, self.pkg)
        return rows if sheet in self._headers else self._noting_header(sheet, rows)

    def _noting_header(self, sheet: str, rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
        """The rows, the header row learnt on the way (reading them again costs seconds)."""
        head: list[list[Any]] = []
        for row in rows:
            if len(head) < HEADER_SCAN_ROWS:
                head.append(list(row))
                if len(head) == HEADER_SCAN_ROWS:
                    self._headers[sheet] = self._header_in(sheet, head)
            yield row
        if sheet not in self._headers:
            self._headers[sheet] = self._header_in(sheet, head)

    def sheet(self, name: str) -> SheetXml:
        """The sheet part's XML, read once."""
        if name not in self._sheets:
            if name not in self.pkg.sheets:
                raise WorkbookError(msg("err.read.no_such_sheet", name=self.path.name,
                                        sheet=repr(name)))
            part = self.pkg.sheets[name]
            self._sheets[name] = SheetXml(self.pkg.usual(part), part, self._header_row(name),
                                          usual_spelling=True)
        return self._sheets[name]

    def _header_row(self, sheet: str) -> int:
        """The 1-based header row of a Planning or Contacts table (0: none): new cells
        take the style of the data cell above them, never the header's."""
        if sheet not in self._headers:
            for _ in self.rows(sheet):  # the header is learnt within the first rows
                if sheet in self._headers:
                    break
        return self._headers[sheet]

    @staticmethod
    def _header_in(sheet: str, grid: Iterable[Sequence[Any]]) -> int:
        key_of = {"planning": planning_key, "contacts": contact_key}.get(sheet_key(sheet) or "")
        if key_of is None:
            return 0
        head = [list(r) for r, _ in zip(grid, range(HEADER_SCAN_ROWS), strict=False)]
        try:
            return find_table(head, sheet, "fr", key_of).header_row + 1
        except RetrosheetError:
            return 0

    def formula(self, sheet: str, row: int, col: int) -> str | None:
        read = self._read_only(sheet)
        f = self.sheet(sheet).formula(row, col) if read is None else read.get(row, col)
        return None if f is None else "=" + f

    def has_formula(self, sheet: str, row: int, col: int) -> bool:
        """`formula(…) is not None`, without making the formula's text (200,000 cells
        asked on a 100,000-row plan)."""
        read = self._formulas[sheet] if sheet in self._formulas and \
            sheet not in self._sheets else self._read_only(sheet)
        return self.sheet(sheet).formula(row, col) is not None if read is None \
            else read.has(row, col)

    def _read_only(self, sheet: str) -> Formulas | None:
        """The sheet's formulas read in one pass, while its part is not being edited
        (None: read them from `sheet`, which a write needs anyway)."""
        if sheet in self._sheets or sheet not in self.pkg.sheets:
            return None
        ahead = self._ahead.pop(sheet, None)
        if ahead is not None:
            ahead.join()
        if sheet not in self._formulas:
            self._formulas[sheet] = read_formulas(
                self.pkg.usual_pieces(self.pkg.sheets[sheet]))
        return self._formulas[sheet]

    def read_ahead(self, sheet: str) -> None:
        """Start reading the sheet's formulas beside the values: calamine reads those
        without holding Python's lock, so on a second core the formulas come for free
        (a problem met there is met again, and said, when they are asked for)."""
        if sheet in self._sheets or sheet not in self.pkg.sheets or sheet in self._formulas:
            return

        def read() -> None:
            try:
                found = read_formulas(self.pkg.usual_pieces(self.pkg.sheets[sheet]))
            except Exception:  # read again, and said, when asked for
                return
            self._formulas.setdefault(sheet, found)

        self._ahead[sheet] = threading.Thread(target=read, daemon=True)
        self._ahead[sheet].start()

    def apply(self, updates: Sequence[CellUpdate], growth: Growth | None = None) -> None:
        by_sheet: dict[str, list[CellUpdate]] = {}
        for u in in_date_system(updates, self._date1904):
            by_sheet.setdefault(u.sheet, []).append(u)
        if growth is not None:
            self._growth.append(growth)
        for name, ups in by_sheet.items():
            self.sheet(name).apply(ups)

    def put_sheet(self, spec: SheetSpec) -> None:
        self._specs.append(spec)

    def save(self) -> Saved:
        replaced: dict[str, bytes | Writer] = {}
        for g in self._growth:
            sheet = self.sheet(g.sheet)
            sheet.grow_ranges(g.old_last, g.new_last)
            for table_part in self.pkg.tables_of(self.pkg.sheets[g.sheet]):
                grown = grow_table(self.pkg.read(table_part), table_part, g.old_last, g.new_last)
                if grown is not None:
                    replaced[table_part] = grown
        for name, sheet in self._sheets.items():
            if sheet.changed:
                replaced[self.pkg.sheets[name]] = sheet.write
        added = write_specs(self.pkg, self._specs, self._date1904, replaced)
        if not replaced and not added and self.dest is None:
            return Saved(False)
        save_with_parts(self.pkg, replaced, added, self.dest)
        return Saved(True)
