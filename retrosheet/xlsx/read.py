"""Reading a workbook's sheets as grids of values (python-calamine: fast, low memory)."""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from ..book import LoadedPlan, load_from_sheets
from ..errors import RetrosheetError, WorkbookError, msg
from ..grid import Grid
from ..labels import sheet_key
from ..model import Plan
from .cells import shared_strings, sparse_rows, too_sparse
from .package import NS_MAIN, Package
from .sheetxml import col_index

# Encrypted .xlsx files and old .xls files are OLE compound documents, not zips.
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


def _check_file(path: Path) -> None:
    if not path.exists():
        raise WorkbookError(msg("err.read.no_file", path=str(path)))
    if path.is_dir():
        raise WorkbookError(msg("err.read.folder_not_book", name=path.name))
    if not zipfile.is_zipfile(path):
        with path.open("rb") as f:
            head = f.read(8)
        if head == OLE_SIGNATURE:
            raise WorkbookError(msg("err.read.ole", name=path.name))
        raise WorkbookError(msg("err.read.not_zip", name=path.name))


def open_package(path: Path) -> Package:
    """The file as a package of parts, or a one-line refusal naming what it is instead."""
    _check_file(path)
    return Package(path)


def plan_parts(pkg: Package) -> list[str]:
    """The parts a plan is read from: Planning, Settings, Contacts and the shared strings."""
    parts = [p for n, p in pkg.sheets.items()
             if sheet_key(n) in ("planning", "settings", "contacts") and pkg.has(p)]
    return parts + [p for p in (pkg.shared_strings,) if p]


def open_book(path: Path, pkg: Package | None = None) -> tuple[Any, Package]:
    """calamine's view of the workbook and its package. The parts a plan is read from are
    checked for their XML spelling first: one written otherwise is read respelled, so
    calamine and the sheet editor read the same cells."""
    from python_calamine import CalamineWorkbook

    pkg = pkg or open_package(path)
    sheet_parts = set(pkg.sheets.values())
    for part in plan_parts(pkg):
        if part in sheet_parts:  # learnt now: the part is not kept (Package.usual)
            _facts(pkg, part, pkg.usual(part))
        else:
            pkg.usual(part)
    try:
        if pkg.respelled:
            return CalamineWorkbook.from_filelike(io.BytesIO(pkg.respelled_copy())), pkg
        return CalamineWorkbook.from_path(str(path)), pkg
    except Exception as exc:  # calamine raises its own error types
        raise WorkbookError(msg("err.read.not_book", name=path.name, reason=str(exc))) from exc


def open_workbook(path: Path) -> Any:
    """The file opened with calamine, or a WorkbookError saying what it is instead."""
    return open_book(path)[0]


def is_1904(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        try:
            xml = z.read("xl/workbook.xml")
        except KeyError:
            return False
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False))
    pr = next(root.iter(f"{{{NS_MAIN}}}workbookPr"), None)
    return pr is not None and pr.get("date1904", "").strip() in ("1", "true")


_ERROR_CELL = re.compile(rb'<(?:[\w.-]+:)?c r="([A-Z]+)([0-9]+)"[^>]*? t="e"[^>]*>'
                         rb"(?:(?!</(?:[\w.-]+:)?c>).)*?<(?:[\w.-]+:)?v>([^<]*)<", re.DOTALL)


def _facts(pkg: Package, part: str, data: bytes | None = None) -> tuple[bool, bool]:
    """Whether a sheet part is too sparse for calamine, and whether it has error cells
    (the part read at most once to learn them)."""
    held = [data] if data is not None else []

    def part_data() -> bytes:
        if not held:
            held.append(pkg.usual(part))
        return held[0]

    return (pkg.fact(part, "sparse", lambda: too_sparse(part_data())),
            pkg.fact(part, "errors", lambda: b' t="e"' in part_data()))


def sheet_rows(wb: Any, path: Path, sheet: str, pkg: Package | None = None) -> Grid:
    """A sheet's values from A1: calamine leaves out empty leading rows and columns
    unless asked, and a margin column must not move every column one to the left.
    A cell showing an error (#N/A) holds its error's text, as in Google Sheets (calamine
    reads it as empty: a task would silently move to J)."""
    return list(sheet_row_iter(wb, path, sheet, pkg))


def sheet_row_iter(wb: Any, path: Path, sheet: str,
                   pkg: Package | None = None) -> Iterator[list[Any]]:
    """`sheet_rows` a row at a time: a reader keeping some columns (Planning's table) cuts
    each row as it comes, and calamine's full-width rows are never all held at once."""
    part = pkg.sheets.get(sheet) if pkg is not None else None
    sparse = errors = False
    if pkg is not None and part is not None and pkg.has(part):
        sparse, errors = _facts(pkg, part)
    if pkg is not None and part is not None and sparse:
        strings = shared_strings(pkg.usual(pkg.shared_strings) if pkg.shared_strings else None)
        return iter(sparse_rows(pkg.usual(part), strings))
    try:
        values = wb.get_sheet_by_name(sheet)
    except Exception as exc:
        raise WorkbookError(msg("err.read.bad_sheet", name=path.name, sheet=repr(sheet),
                                reason=str(exc))) from exc
    shown: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if pkg is not None and part is not None and errors:
        for m in _ERROR_CELL.finditer(pkg.usual(part)):
            shown[int(m.group(2)) - 1].append((col_index(m.group(1).decode()),
                                               m.group(3).decode("utf-8", "replace")))
    return _rows_from_a1(values, path, sheet, shown)


def _rows_from_a1(values: Any, path: Path, sheet: str,
                  shown: dict[int, list[tuple[int, str]]]) -> Iterator[list[Any]]:
    """calamine's rows padded on the left to start at column A, as its `to_python` with
    `skip_empty_area=False` lays them out (its rows already start at row 1), error
    cells holding their text."""
    pad = [""] * (values.start[1] if values.start else 0)
    try:
        if not pad and not shown:  # calamine's rows as they are: no step a row
            yield from values.iter_rows()
            return
        for r, row in enumerate(values.iter_rows()):
            if pad:
                row = pad + row
            for c, text in shown.get(r, ()):
                if c < len(row) and row[c] in ("", None):
                    row[c] = text
            yield row
    except Exception as exc:  # calamine's own errors while iterating rows
        raise WorkbookError(msg("err.read.bad_sheet", name=path.name, sheet=repr(sheet),
                                reason=str(exc))) from exc


def load_plan(path: Path, pkg: Package | None = None) -> LoadedPlan:
    wb, pkg = open_book(path, pkg)

    def rows_of(sheet: str) -> Iterable[Sequence[Any]]:
        return sheet_row_iter(wb, path, sheet, pkg)

    try:
        return load_from_sheets(list(wb.sheet_names), rows_of, date1904=is_1904(path),
                                book=path.name)
    except WorkbookError:
        raise
    except RetrosheetError:
        raise
    except Exception as exc:  # calamine's own errors while iterating rows
        raise WorkbookError(msg("err.read.unreadable", book=path.name, reason=str(exc))) from exc


def read_plan(path: Path) -> Plan:
    """A plan file's Planning, Settings and Contacts, as the engine sees them."""
    return load_plan(path).plan
