"""Reading a workbook's sheets as grids of values (python-calamine: fast, low memory)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from ..errors import WorkbookError
from ..grid import find_table, parse_settings, parse_tasks
from ..labels import sheet_key
from ..model import Plan


def _workbook(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    if not zipfile.is_zipfile(path):
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


def read_planning_grid(path: Path) -> tuple[list[list[Any]], str, bool]:
    """The Planning sheet's values, its name, and whether the workbook uses 1904 dates."""
    wb = _workbook(path)
    names: list[str] = list(wb.sheet_names)
    sheet = next((n for n in names if sheet_key(n) == "planning"), names[0] if names else None)
    if sheet is None:
        raise WorkbookError(f"{path.name} has no sheet")
    grid = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return grid, sheet, is_1904(path)


def read_plan(path: Path) -> Plan:
    """A plan file's Planning and Settings, as the engine sees them."""
    wb = _workbook(path)
    date1904 = is_1904(path)
    names: list[str] = list(wb.sheet_names)
    by_key = {sheet_key(n): n for n in reversed(names)}
    if "planning" not in by_key:
        raise WorkbookError(f"{path.name} has no Planning sheet (sheets: {', '.join(names)})")
    if "settings" not in by_key:
        raise WorkbookError(
            f"{path.name} has no Paramètres/Settings sheet (sheets: {', '.join(names)})"
        )
    sgrid = wb.get_sheet_by_name(by_key["settings"]).to_python(skip_empty_area=False)
    settings = parse_settings(sgrid, by_key["settings"], date1904)
    pgrid = wb.get_sheet_by_name(by_key["planning"]).to_python(skip_empty_area=False)
    table = find_table(pgrid, by_key["planning"], settings.lang)
    return Plan(settings, parse_tasks(pgrid, table, date1904))
