"""A sheet part in the usual spelling is read again when asked again, never silently
from a file that changed in between."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from retrosheet.errors import WorkbookError
from retrosheet.xlsx.package import Package

PART = "xl/worksheets/sheet1.xml"


def _book(path: Path, value: int) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"], ws["B2"] = "ID", value
    wb.save(path)
    return path


def test_a_part_read_again_is_the_same(tmp_path: Path) -> None:
    pkg = Package(_book(tmp_path / "a.xlsx", 10))
    first = pkg.usual(PART)
    assert b"<sheetData>" in first
    assert pkg.usual(PART) == first


def test_a_part_changed_since_it_was_first_read_is_refused(tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx", 10)
    pkg = Package(path)
    pkg.usual(PART)
    _book(tmp_path / "b.xlsx", 20)
    path.write_bytes((tmp_path / "b.xlsx").read_bytes())  # saved by someone meanwhile
    with pytest.raises(WorkbookError, match="a changé pendant que retrosheet le lisait"):
        pkg.usual(PART)


def _part(last_row: int, refs: list[str]) -> bytes:
    cells = "".join(f'<c r="{ref if ref[-1].isdigit() else ref + "1"}"><v>1</v></c>'
                    for ref in refs)
    return f'<sheetData><row r="1">{cells}</row><row r="{last_row}"/></sheetData>'.encode()


@pytest.mark.parametrize(("last_row", "refs", "sparse"), [
    (10_000, ["A", "CZ"], False),  # 104 columns at most: 1 M cells, under SMALL
    (10_000, ["A", "DA"], True),  # up to ZZ: 7 M cells for 2
    (2_000, ["DA"], False),  # up to ZZ: 1.4 M cells, under SMALL
    (2_000, ["DA", "AAA"], True),  # a three-letter column after a two-letter one
    (2_000, ["AAA", "DA"], True),
    (300, ["XFD"], True),  # 4.9 M cells for 1
    (100, ["XFD"], False),  # 1.6 M cells: under SMALL
    (30_000, [], True),  # 104 columns whatever the references: 3.1 M cells for 1
    (5, ["A1", "B1048576"], True),  # placed by its own reference: 2 M rows tall
    (5, ["A1", "B19230"], False),  # 19,230 rows of 104 columns: just under SMALL
    (5, ["A1", "B19231"], True),
])
def test_sparse_by_the_widest_reference(last_row: int, refs: list[str], sparse: bool) -> None:
    """calamine's rectangle: as wide as the widest reference (XFD: 16,384 columns), as
    long as the lowest row or cell reference; sparse when far bigger than the cells the
    part holds."""
    from retrosheet.xlsx.cells import too_sparse

    assert too_sparse(_part(last_row, refs)) is sparse


@pytest.mark.parametrize("ahead", [False, True])
def test_has_formula_says_what_formula_says(tmp_path: Path, ahead: bool) -> None:
    """`has_formula` (asked for each date cell of a plan) is `formula(…) is not None`,
    whether the formulas were read ahead, read when asked, or the sheet is being edited."""
    from clirun import made_file
    from conftest import SINGLE

    from retrosheet.xlsx.store import XlsxStore

    plan = made_file(tmp_path / "plan.xlsx", SINGLE, "--release", "2027-05-14")
    store = XlsxStore(plan)
    if ahead:
        store.read_ahead("Planning")
    cells = [(r, c) for r in range(0, 60) for c in range(0, 30)]
    said = [store.has_formula("Planning", r, c) for r, c in cells]
    assert said == [store.formula("Planning", r, c) is not None for r, c in cells]
    assert 10 < sum(said) < len(cells)
    store.sheet("Planning")  # being edited: read from the sheet's XML
    assert [store.has_formula("Planning", r, c) for r, c in cells] == said
