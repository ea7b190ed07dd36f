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
