"""Recompute an .xlsx/.xlsm plan in place: change only the cells retrosheet owns.

Reads values with calamine, computes with the core, then edits the Planning and
Contacts sheet parts' XML and copies every other part of the file byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..book import LoadedPlan, mark_typed_dates
from ..errors import PlanError, WorkbookError
from ..recompute import Recomputed, reanchor_updates, recompute
from ..updates import CellUpdate, Change
from .package import Package, Writer
from .read import load_plan, open_package
from .safe import atomic_path
from .sheetxml import SheetXml, grow_table


@dataclass
class Edited:
    loaded: LoadedPlan
    result: Recomputed
    changes: list[Change]
    written: bool


DAYS_1900_TO_1904 = 1462


def _in_date_system(updates: list[CellUpdate], date1904: bool) -> list[CellUpdate]:
    """The core counts dates from 1900; a 1904 workbook stores them 1,462 days lower."""
    if not date1904:
        return updates
    return [dataclasses.replace(u, value=u.value - DAYS_1900_TO_1904)
            if u.kind == "date" and isinstance(u.value, int | float) else u for u in updates]


def _sheet(pkg: Package, part: str, header_row: int = 0) -> SheetXml:
    return SheetXml(pkg.usual(part), part, header_row, usual_spelling=True)


def recompute_file(path: Path, dry_run: bool = False) -> Edited:
    pkg = open_package(path)
    loaded = load_plan(path, pkg)
    planning_part = pkg.sheets[loaded.planning.sheet]
    header_rows = {loaded.planning.sheet: loaded.planning.header_row + 1}
    if loaded.contacts is not None:
        header_rows[loaded.contacts.sheet] = loaded.contacts.header_row + 1
    sheets: dict[str, tuple[str, SheetXml]] = {
        loaded.planning.sheet: (planning_part, _sheet(pkg, planning_part,
                                                      header_rows[loaded.planning.sheet]))
    }
    mark_typed_dates(loaded, sheets[loaded.planning.sheet][1].has_formula)
    result = recompute(loaded.plan, loaded.planning, loaded.contacts, loaded.settings_sheet)

    psheet0 = sheets[loaded.planning.sheet][1]
    for r in range(result.old_last_row + 1, result.last_row + 1):
        if psheet0.row_has_values(r):
            raise PlanError(
                f"row {r} below the Planning table is not empty: move it to make room "
                f"for {result.last_row - result.old_last_row} new follow-up row(s)",
                sheet=loaded.planning.sheet, cell=f"A{r}",
            )

    by_sheet: dict[str, list[CellUpdate]] = {}
    for u in _in_date_system(result.updates, loaded.date1904):
        by_sheet.setdefault(u.sheet, []).append(u)
    changes: list[Change] = []
    for name, updates in by_sheet.items():
        if name not in sheets:
            part = pkg.sheets[name]
            sheets[name] = (part, _sheet(pkg, part, header_rows.get(name, 0)))
        changes += sheets[name][1].apply(updates, dry_run=dry_run)

    if dry_run or not changes:
        return Edited(loaded, result, changes, written=False)

    replaced: dict[str, bytes | Writer] = {}
    psheet = sheets[loaded.planning.sheet][1]
    if result.last_row > result.old_last_row:
        psheet.grow_ranges(result.old_last_row, result.last_row)
        for table_part in pkg.tables_of(planning_part):
            grown = grow_table(pkg.read(table_part), table_part, result.old_last_row,
                               result.last_row)
            if grown is not None:
                replaced[table_part] = grown
    for part, sheet in sheets.values():
        if sheet.changed:
            replaced[part] = sheet.write
    pkg.save(replaced)
    return Edited(loaded, result, changes, written=True)


def reanchor_file(src: Path, dest: Path, release: dt.date) -> Edited:
    """`new --from PAST`: a copy of a past plan on a new release date, statuses, results
    and replies cleared, every sheet, column and format of the past plan kept."""
    if dest.suffix.lower() != src.suffix.lower():
        raise WorkbookError(
            f"{dest.name}: a plan made from {src.name} keeps its type; name it *{src.suffix}"
        )
    pkg = open_package(src)
    loaded = load_plan(src, pkg)
    updates = _in_date_system(reanchor_updates(loaded.plan, loaded.planning, loaded.contacts,
                                               loaded.settings_sheet, release), loaded.date1904)
    replaced: dict[str, bytes | Writer] = {}
    by_sheet: dict[str, list[CellUpdate]] = {}
    for u in updates:
        by_sheet.setdefault(u.sheet, []).append(u)
    for name, ups in by_sheet.items():
        part = pkg.sheets[name]
        sheet = _sheet(pkg, part)
        sheet.apply(ups)
        replaced[part] = sheet.write
    # Recompute the copy before it takes the destination's name: a refused plan leaves
    # nothing behind, and an existing file at `dest` stays as it was.
    with atomic_path(dest) as tmp:
        pkg.save(replaced, tmp)
        edited = recompute_file(tmp)
    return edited
