"""Messy workbooks a real team makes (issue 15): read where the cells really are, never
overwrite what the user typed, agree with the spreadsheet or name the cell.

Every workbook is made in the test from a new plan, edited as a user would (openpyxl for
inserted columns, the XML for what Excel stores), and the spreadsheet's own view is
LibreOffice's recalculation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from libreoffice import recalc, requires_soffice
from python_calamine import CalamineWorkbook

from retrosheet.cli import cli

TODAY = "2027-03-01"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    out = tmp_path / "plan.xlsx"
    result = run("new", "single", "--release", "2027-05-14", "-o", str(out), "--today", TODAY)
    assert result.exit_code == 0, result.output
    return out


def grid(path: Path, sheet: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)


def by_header(rows: list[list[Any]], header_row: int = 0) -> list[dict[str, Any]]:
    head = rows[header_row]
    return [{str(h): v for h, v in zip(head, r, strict=False) if h} for r in rows[header_row + 1:]]


def exported(path: Path) -> dict[str, tuple[str, str]]:
    result = run("export", str(path))
    assert result.exit_code == 0, result.output
    return {t["id"]: (t["start"], t["deadline"]) for t in json.loads(result.stdout)["tasks"]}


def iso(v: Any) -> str:
    return v.isoformat() if isinstance(v, dt.date) else str(v)


# ---- 1. an empty margin column A -------------------------------------------------------

def with_margin(plan: Path, dest: Path) -> Path:
    """Column A inserted before the tables of Planning, Contacts and Paramètres (a margin),
    one contact sent for T090 (its task asks for follow-ups), and the release moved."""
    wb = openpyxl.load_workbook(plan)
    contacts = wb["Contacts"]
    contacts["A2"], contacts["C2"], contacts["F2"] = "C001", "Radio Nova", "T090"
    contacts["G2"] = dt.datetime(2027, 4, 2)
    wb["Paramètres"]["B3"] = dt.datetime(2027, 6, 11)
    for name in ("Planning", "Contacts", "Paramètres"):
        wb[name].insert_cols(1)
    wb.save(dest)
    return dest


def test_a_margin_column_keeps_every_column_in_its_place(plan: Path, tmp_path: Path) -> None:
    path = with_margin(plan, tmp_path / "margin.xlsx")
    before = by_header([row[1:] for row in grid(path, "Planning")])
    durations = {r["ID"]: r["Durée"] for r in before}
    result = run("recompute", str(path), "--today", TODAY)
    assert result.exit_code == 0, result.output
    rows = grid(path, "Planning")
    assert rows[0][0] == "" and rows[0][1] == "ID"
    tasks = by_header(rows)
    assert {r["ID"]: r["Durée"] for r in tasks if r["ID"] in durations} == durations
    wb = openpyxl.load_workbook(path)
    ws = wb["Planning"]
    start, deadline = ws["K2"].value, ws["L2"].value  # Début and Échéance, one to the right
    assert isinstance(start, str) and start.startswith("=") and "$L2" in start
    assert isinstance(deadline, str) and "Paramètres'!$C$3" in deadline
    assert "'Paramètres'!$F$" in deadline  # the days off, one column to the right
    contact = by_header(grid(path, "Contacts"))[0]
    assert contact["Résultat"] == ""
    assert isinstance(contact["Relance 1"], dt.date)
    # The plan still loads, and the engine's dates are the spreadsheet's.
    assert exported(path) == {r["ID"]: (iso(r["Début"]), iso(r["Échéance"]))
                              for r in tasks if r["ID"]}


@pytest.mark.libreoffice
@requires_soffice
def test_a_margin_column_gives_the_spreadsheet_the_engines_dates(plan: Path,
                                                                 tmp_path: Path) -> None:
    path = with_margin(plan, tmp_path / "margin.xlsx")
    assert run("recompute", str(path), "--today", TODAY).exit_code == 0
    lo = recalc(path, tmp_path / "lo")
    tasks = by_header(grid(lo, "Planning"))
    assert exported(path) == {r["ID"]: (iso(r["Début"]), iso(r["Échéance"]))
                              for r in tasks if r["ID"]}


# ---- 3. a control character in a copied Action -----------------------------------------

def set_cell_xml(path: Path, part: str, ref: str, inner: str, t: str = "inlineStr") -> None:
    with zipfile.ZipFile(path) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
    xml = files[part].decode()
    cell = f'<c r="{ref}" t="{t}">{inner}</c>'
    xml, n = re.subn(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', cell, xml, count=1)
    if n == 0:
        row = re.sub(r"\D", "", ref)
        col_end = re.compile(rf'(<row r="{row}"[^>]*>)')
        xml, n = col_end.subn(rf"\g<1>{cell}", xml, count=1)
    assert n == 1
    files[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)


def test_a_control_character_is_written_escaped(plan: Path) -> None:
    """Word's soft line break (U+000B) stored by Excel as _x000B_ in the Action of a task
    that gets follow-up rows: the new rows copy the Action, escaped the same way."""
    set_cell_xml(plan, "xl/worksheets/sheet1.xml", "D2",
                 "<is><t>Partager_x000B_le plan</t></is>")
    set_cell_xml(plan, "xl/worksheets/sheet1.xml", "M2", "<is><t>+7 x1</t></is>")
    result = run("recompute", str(plan), "--today", TODAY)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(plan) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    from lxml import etree

    etree.fromstring(xml)  # well-formed
    assert b"\x0b" not in xml
    assert xml.count(b"_x000B_") >= 2
    actions = [r["Action"] for r in by_header(grid(plan, "Planning")) if r["ID"] == "R010-1"]
    assert len(actions) == 1 and "\x0b" in actions[0]
