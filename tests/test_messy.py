"""Messy workbooks a real team makes (issue 15): read where the cells really are, never
overwrite what the user typed, agree with the spreadsheet or name the cell.

Every workbook is made in the test from a new plan, edited as a user would (openpyxl for
inserted columns, the XML for what Excel stores), and the spreadsheet's own view is
LibreOffice's recalculation.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from clirun import made_file
from conftest import SINGLE
from libreoffice import recalc, requires_soffice
from python_calamine import CalamineWorkbook

from retrosheet.cli import cli

TODAY = "2027-03-01"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return made_file(tmp_path / "plan.xlsx", SINGLE, "--release", "2027-05-14", "--today",
                     TODAY)


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
    if n == 0:  # a row below the last one
        xml, n = re.subn(r"</sheetData>", f'<row r="{row}">{cell}</row></sheetData>', xml)
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


# ---- 10–15 and the one-run report: the engine and the spreadsheet agree -----------------

def error_cell(ref: str, error: str) -> str:
    return f'<c r="{ref}" t="e"><f>NA()</f><v>{error}</v></c>'


def put(path: Path, part: str, cells: dict[str, str]) -> None:
    """Cells written as Excel stores them: text inline, numbers as numbers, `!#N/A` an
    error value."""
    for ref, value in cells.items():
        if value.startswith("!#"):
            set_cell_xml(path, part, ref, f"<f>NA()</f><v>{value[1:]}</v>", t="e")
        else:
            set_cell_xml(path, part, ref, f"<is><t xml:space=\"preserve\">{value}</t></is>")


PLANNING, SETTINGS = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml"


def test_every_problem_of_a_plan_in_one_run(plan: Path) -> None:
    put(plan, PLANNING, {
        "G2": "J-28",  # Décalage typed as text: parsed by retrosheet, #VALUE! in the sheet
        "G3": "\u221228",  # a Unicode minus, text too
        "L4": "Fini",  # not a status of the list: the Dashboard does not count it as done
        "F5": "T999",  # unknown anchor
        "A6": "T050 ",  # an ID with a trailing space: MATCH does not find it
        "G7": "!#N/A",  # an error value: was read as empty, the task moved to J
        "F8": "!#DIV/0!",
        "H9": "jo",  # "jours ouvrés" for retrosheet, calendar days for the sheet's formulas
    })
    before = plan.read_bytes()
    result = run("recompute", str(plan), "--today", TODAY)
    assert result.exit_code == 2, result.output
    lines = result.output.replace("Erreur : ", "", 1).strip().splitlines()
    where = [line.split(" (")[0] for line in lines]
    assert where == ["Planning!G2", "Planning!G3", "Planning!L4", "Planning!A6", "Planning!G7",
                     "Planning!F8", "Planning!H9", "Planning!F5"], lines
    assert "'J-28' est du texte" in lines[0]
    assert "En cours, Fait" in lines[2] and "'Fini'" in lines[2]
    assert "#N/A" in lines[4] and "#DIV/0!" in lines[5]
    assert "Unité 'jo' n'est pas une valeur de la liste : jours, jours ouvrés" in lines[6]
    assert "dépendance inconnue 'T999'" in lines[7]
    assert plan.read_bytes() == before


def test_many_problems_are_capped_then_counted(plan: Path) -> None:
    put(plan, PLANNING, {f"L{r}": "Fini" for r in range(2, 27)})
    result = run("export", str(plan))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 21
    assert lines[-1] == "+5 autres problèmes"


def test_ids_differing_only_by_case_are_one_for_the_sheet(plan: Path) -> None:
    put(plan, PLANNING, {"A3": "t010"})  # T010 is on row 2
    result = run("export", str(plan))
    assert result.exit_code == 2, result.output
    assert result.output == (
        "Erreur : Planning!A3 (t010) : ID 't010' en double (aussi ligne 2) : 'T010' ne diffère "
        "que par les majuscules, que l'EQUIV de la feuille ignore\n")


def _last_day_off_row(path: Path) -> int:
    rows = grid(path, "Paramètres")
    return max(i + 1 for i, r in enumerate(rows) if isinstance(r[4], dt.date))


def test_a_day_off_typed_as_text_is_named(plan: Path) -> None:
    row = _last_day_off_row(plan) + 1
    put(plan, SETTINGS, {f"E{row}": "25/12/2027"})
    result = run("check", str(plan), "--today", TODAY)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"Erreur : Paramètres!E{row} : jour non travaillé "
                                    "'25/12/2027' tapé comme du texte")


def test_the_users_own_day_off_line_is_kept_when_holidays_are_added(plan: Path) -> None:
    row = _last_day_off_row(plan) + 1
    put(plan, SETTINGS, {f"F{row}": "Séminaire du label (date à fixer)"})
    j = (dt.date(2036, 5, 14) - dt.date(1899, 12, 30)).days  # J moves past the listed years
    set_cell_xml(plan, SETTINGS, "B3", f"<v>{j}</v>", t="n")
    result = run("recompute", str(plan), "--today", TODAY)
    assert result.exit_code == 0, result.output
    rows = grid(plan, "Paramètres")
    assert rows[row - 1][5] == "Séminaire du label (date à fixer)"
    assert rows[row - 1][4] == ""
    added = [r[4] for r in rows[row:] if isinstance(r[4], dt.date)]
    assert added and all(d.year >= 2033 for d in added)


# ---- issue 11, item 6: no false changes after a LibreOffice save -------------------------

@pytest.mark.libreoffice
@requires_soffice
def test_a_libreoffice_save_is_no_change(plan: Path, tmp_path: Path) -> None:
    """LibreOffice drops the quotes around 'Paramètres' in every formula it saves: that is
    a spelling, not a change. Then a real change (the release moved) lists only cells
    whose date changes."""
    saved = recalc(plan, tmp_path / "lo")
    with zipfile.ZipFile(saved) as z:
        assert b"'Param" not in z.read("xl/worksheets/sheet1.xml")  # respelled indeed
    before = saved.read_bytes()
    result = run("recompute", str(saved), "--dry-run", "--today", TODAY)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("plan.xlsx : 0 cellule(s) à changer, 0 relance(s) à ajouter ; "
                        "rien n'est écrit (--dry-run)")
    assert re.fullmatch(r"\d+ formule\(s\) écrite\(s\) autrement par le tableur, même sens : "
                        r"aucune date ne change", lines[1]), lines
    result = run("recompute", str(saved), "--today", TODAY)
    assert result.stdout.startswith("plan.xlsx : déjà à jour\n")
    assert saved.read_bytes() == before
    with zipfile.ZipFile(saved) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
    xml, n = re.subn(rb'(<c r="B3"[^>]*><v>)\d+(</v>)', rb"\g<1>46528\g<2>",
                     files[SETTINGS])  # 14/05 → 21/05/2027
    assert n == 1
    files[SETTINGS] = xml
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    result = run("recompute", str(saved), "--dry-run", "--today", TODAY)
    changes = [x for x in result.stdout.splitlines() if " → " in x]
    assert changes
    assert all(x.split(" : ", 1)[1].split(" → ")[0] != x.split(" → ")[1] for x in changes)


def test_after_the_release_moved_a_late_task_is_late(plan: Path) -> None:
    """Created on 01/03/2027 for a release on 14/05; the release moved to 01/04: the tasks
    due before 01/03 are late, not "past at the plan's creation: the release is too close"."""
    j = (dt.date(2027, 4, 1) - dt.date(1899, 12, 30)).days
    set_cell_xml(plan, SETTINGS, "B3", f"<v>{j}</v>", t="n")
    result = run("check", str(plan), "--today", "2027-03-10")
    late = [x for x in result.stdout.splitlines() if "T010" in x and "K2" in x]
    assert late and "en retard : échéance 04/02/2027 dépassée de 34 jours" in late[0], \
        result.stdout
    assert "à la création du plan" not in result.stdout


# ---- 17. a stray value in the sheet's far corner -------------------------------------------

MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space for the whole process


def _limited(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process that cannot take more than MEMORY_LIMIT."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run([sys.executable, "-m", "retrosheet", *args], capture_output=True,
                          text=True, preexec_fn=limit, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})


@pytest.mark.parametrize("ref", ["XFD1048576", "ZZ1048576"])
def test_a_cell_placed_far_below_its_row_costs_no_memory(plan: Path, tmp_path: Path,
                                                           ref: str) -> None:
    """calamine places a cell by its own reference, not by its row's: one written in row
    12 but referenced at XFD1048576 would make its rectangle a million rows tall (it
    asked for 550 GB and aborted). Such a sheet is read cell by cell, the far cell left
    out, the tasks' dates as before."""
    plain = exported(plan)
    far = tmp_path / "far.xlsx"
    with zipfile.ZipFile(plan) as z:
        files = {i.filename: z.read(i) for i in z.infolist()}
    files[PLANNING], n = re.subn(rb'(<row r="12"[^>]*>.*?)</row>',
                                 rb'\1<c r="' + ref.encode() + rb'"><v>1</v></c></row>',
                                 files[PLANNING], count=1, flags=re.DOTALL)
    assert n == 1
    with zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    done = _limited("export", str(far))
    assert done.returncode == 0, done.stderr[-2000:]
    assert {t["id"]: (t["start"], t["deadline"]) for t in json.loads(done.stdout)["tasks"]} \
        == plain


# AB1048576 lies inside the tables' columns: a million rows read (20 s): slow.
@pytest.mark.parametrize("ref", ["XFD5000", "XFD1048576",
                                 pytest.param("AB1048576", marks=pytest.mark.slow)])
def test_a_stray_value_far_away_costs_no_memory(plan: Path, tmp_path: Path, ref: str) -> None:
    """calamine would lay out the sheet up to that cell (XFD5000: 2.6 GB for a 50-task
    plan); the reader reads the cells there are, within the tables' columns."""
    plain = exported(plan)
    stray = tmp_path / "stray.xlsx"
    stray.write_bytes(plan.read_bytes())
    set_cell_xml(stray, PLANNING, ref, "<v>1</v>", t="n")
    set_cell_xml(stray, SETTINGS, ref, "<is><t>note</t></is>")
    done = _limited("export", str(stray))
    assert done.returncode == 0, done.stderr[-2000:]
    assert {t["id"]: (t["start"], t["deadline"]) for t in json.loads(done.stdout)["tasks"]} \
        == plain
    j = (dt.date(2027, 6, 4) - dt.date(1899, 12, 30)).days
    set_cell_xml(stray, SETTINGS, "B3", f"<v>{j}</v>", t="n")
    done = _limited("recompute", str(stray), "--today", TODAY)
    assert done.returncode == 0, done.stderr[-2000:]
    with zipfile.ZipFile(stray) as z:
        assert f'<c r="{ref}" t="n"><v>1</v></c>'.encode() in z.read(PLANNING)
    assert exported(stray)["T010"] != plain["T010"]
