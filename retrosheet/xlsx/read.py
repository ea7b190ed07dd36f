"""Reading a workbook's sheets as grids of values (python-calamine: fast, low memory)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RetrosheetError, WorkbookError
from ..grid import (
    HEADER_SCAN_ROWS,
    Grid,
    Table,
    find_table,
    parse_contacts,
    parse_settings,
    parse_tasks,
)
from ..labels import contact_key, sheet_key
from ..model import Plan

# Encrypted .xlsx files and old .xls files are OLE compound documents, not zips.
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


def _workbook(path: Path) -> Any:
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
    wb = _workbook(path)
    names: list[str] = list(wb.sheet_names)
    sheet = next((n for n in names if sheet_key(n) == "planning"), names[0] if names else None)
    if sheet is None:
        raise WorkbookError(f"{path.name} has no sheet")
    return _grid(wb, path, sheet), sheet, is_1904(path)


def _planning(wb: Any, path: Path, sheet: str, lang: str) -> tuple[Grid, Table]:
    """The Planning grid cut to the table's own and user columns: the week strip's
    columns (dates as headers) are retrosheet's paint and would only cost memory."""
    try:
        rows = wb.get_sheet_by_name(sheet).iter_rows()
        head = [row for _, row in zip(range(HEADER_SCAN_ROWS), rows, strict=False)]
        table = find_table(head, sheet, lang)
        width = max([*table.columns.values(), *table.extra.values()]) + 1
        grid: list[list[Any]] = [row[:width] for row in head]
        grid.extend(row[:width] for row in rows)
    except RetrosheetError:
        raise
    except Exception as exc:
        raise WorkbookError(f"{path.name}: sheet {sheet!r} cannot be read: {exc}") from exc
    return grid, table


@dataclass
class LoadedPlan:
    """A plan read from a file, with where its tables sit (for writing back)."""

    plan: Plan
    planning: Table
    contacts: Table | None
    settings_sheet: str
    planning_grid: Grid
    date1904: bool


def load_plan(path: Path) -> LoadedPlan:
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
    try:
        settings = parse_settings(_grid(wb, path, by_key["settings"]), by_key["settings"],
                                  date1904)
        pgrid, table = _planning(wb, path, by_key["planning"], settings.lang)
        plan = Plan(settings, parse_tasks(pgrid, table, date1904))
        ctable = None
        if "contacts" in by_key:
            cgrid = _grid(wb, path, by_key["contacts"])
            try:
                ctable = find_table(cgrid, by_key["contacts"], settings.lang, contact_key)
            except RetrosheetError:
                ctable = None  # an empty or hand-made Contacts sheet without our headers
            if ctable is not None:
                plan.contacts = parse_contacts(cgrid, ctable, date1904)
    except RetrosheetError:
        raise
    except (ValueError, TypeError, IndexError) as exc:
        raise WorkbookError(f"{path.name} cannot be read: {exc}") from exc
    return LoadedPlan(plan, table, ctable, by_key["settings"], pgrid, date1904)


def read_plan(path: Path) -> Plan:
    """A plan file's Planning, Settings and Contacts, as the engine sees them."""
    return load_plan(path).plan
