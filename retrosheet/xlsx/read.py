"""Reading a workbook's sheets as grids of values (python-calamine: fast, low memory)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..book import LoadedPlan, load_from_sheets
from ..errors import RetrosheetError, WorkbookError
from ..grid import Grid
from ..labels import sheet_key
from ..model import Plan

# Encrypted .xlsx files and old .xls files are OLE compound documents, not zips.
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


def open_workbook(path: Path) -> Any:
    """The file opened with calamine, or a WorkbookError saying what it is instead."""
    from python_calamine import CalamineWorkbook

    if not path.exists():
        raise WorkbookError(f"{path}: no such file")
    if path.is_dir():
        raise WorkbookError(f"{path.name} is a folder, not a workbook")
    if not zipfile.is_zipfile(path):
        with path.open("rb") as f:
            head = f.read(8)
        if head == OLE_SIGNATURE:
            raise WorkbookError(
                f"{path.name} is password-protected or an old .xls file: save it as .xlsx "
                "without a password to open it with retrosheet")
        raise WorkbookError(f"{path.name} is not an .xlsx/.xlsm workbook (not a zip file)")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise WorkbookError(f"{path.name} cannot be read as a workbook: {exc}") from exc


def is_1904(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        try:
            xml = z.read("xl/workbook.xml")
        except KeyError:
            return False
    return b'date1904="1"' in xml or b"date1904='1'" in xml or b'date1904="true"' in xml


def _grid(wb: Any, path: Path, sheet: str) -> Grid:
    try:
        return list(wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
    except Exception as exc:
        raise WorkbookError(f"{path.name}: sheet {sheet!r} cannot be read: {exc}") from exc


def read_planning_grid(path: Path) -> tuple[Grid, str, bool]:
    """The Planning sheet's values, its name, and whether the workbook uses 1904 dates."""
    wb = open_workbook(path)
    names: list[str] = list(wb.sheet_names)
    sheet = next((n for n in names if sheet_key(n) == "planning"), names[0] if names else None)
    if sheet is None:
        raise WorkbookError(f"{path.name} has no sheet")
    return _grid(wb, path, sheet), sheet, is_1904(path)


def load_plan(path: Path) -> LoadedPlan:
    wb = open_workbook(path)

    def rows_of(sheet: str) -> Iterable[Sequence[Any]]:
        try:
            return wb.get_sheet_by_name(sheet).iter_rows()  # type: ignore[no-any-return]
        except Exception as exc:
            raise WorkbookError(f"{path.name}: sheet {sheet!r} cannot be read: {exc}") from exc

    try:
        return load_from_sheets(list(wb.sheet_names), rows_of, date1904=is_1904(path),
                                book=path.name)
    except WorkbookError:
        raise
    except RetrosheetError:
        raise
    except Exception as exc:  # calamine's own errors while iterating rows
        raise WorkbookError(f"{path.name} cannot be read: {exc}") from exc


def read_plan(path: Path) -> Plan:
    """A plan file's Planning, Settings and Contacts, as the engine sees them."""
    return load_plan(path).plan
