"""recompute on a plan edited as in Excel: owned cells right, everything else untouched."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from clirun import made_file
from conftest import SINGLE
from libreoffice import recalc, soffice
from python_calamine import CalamineWorkbook

from retrosheet.cli import cli
from retrosheet.values import to_serial


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


def set_release_in_xml(path: Path, day: dt.date) -> None:
    """Change Paramètres!B3 the way Excel stores it, keeping every cached value."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    part = "xl/worksheets/sheet3.xml"  # Paramètres: third sheet of a new plan
    xml = parts[part].decode()
    xml, n = re.subn(r'(<c r="B3"[^>]*><v>)\d+(</v>)', rf"\g<1>{to_serial(day)}\g<2>", xml)
    assert n == 1
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def planning_dates(path: Path) -> dict[str, tuple[dt.date, dt.date]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Planning").to_python()
    return {r[0]: (r[9], r[10]) for r in rows[1:] if r[0]}


def exported(path: Path) -> dict[str, tuple[dt.date, dt.date]]:
    code, out, _ = run("export", str(path))
    assert code == 0
    return {t["id"]: (dt.date.fromisoformat(t["start"]), dt.date.fromisoformat(t["deadline"]))
            for t in json.loads(out)["tasks"]}


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    return made_file(tmp_path / "plan.xlsx", SINGLE, "--release", "2027-05-14",
                     "--today", "2027-03-01")


def test_a_fresh_plan_is_already_up_to_date(plan: Path) -> None:
    before = plan.read_bytes()
    code, stdout, _ = run("recompute", str(plan), "--today", "2027-03-01")
    assert code == 0
    assert stdout.splitlines()[0] == "plan.xlsx : déjà à jour"
    assert plan.read_bytes() == before


def test_moved_release_updates_cached_dates_and_nothing_else(plan: Path) -> None:
    set_release_in_xml(plan, dt.date(2027, 11, 19))
    stale = planning_dates(plan)
    with zipfile.ZipFile(plan) as z:
        before = {i.filename: z.read(i) for i in z.infolist()}
    code, stdout, _ = run("recompute", str(plan), "--today", "2027-03-01")
    assert code == 0
    assert re.match(r"plan\.xlsx : \d+ cellule\(s\) mises à jour, 0 relance\(s\) ajoutée\(s\)$",
                    stdout.splitlines()[0])
    got = planning_dates(plan)
    assert got == exported(plan)
    assert got != stale
    assert got["T010"][1] == dt.date(2027, 9, 24)  # J-56 from 19 November 2027
    with zipfile.ZipFile(plan) as z:
        after = {i.filename: z.read(i) for i in z.infolist()}
    assert list(after) == list(before)
    assert [p for p in after if after[p] != before[p]] == ["xl/worksheets/sheet1.xml"]


def test_dry_run_lists_cells_and_writes_nothing(plan: Path) -> None:
    set_release_in_xml(plan, dt.date(2027, 5, 21))
    before = plan.read_bytes()
    code, stdout, _ = run("recompute", str(plan), "--dry-run", "--today", "2027-03-01")
    assert code == 0
    lines = stdout.splitlines()
    assert "Planning!K2 (T010) : 19/03/2027 → 26/03/2027" in lines
    assert any(re.fullmatch(r"plan\.xlsx : \d+ cellule\(s\) à changer, 0 relance\(s\) à "
                            r"ajouter ; rien n'est écrit \(--dry-run\)", x) for x in lines)
    assert plan.read_bytes() == before


def _set_rule(path: Path, task: str, rule: str, tmp: Path) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Planning"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == task:
            row[12].value = rule
    out = tmp / "edited.xlsx"
    wb.save(out)
    return out


@pytest.mark.libreoffice
def test_new_rule_adds_followups_once_and_libreoffice_agrees(plan: Path, tmp_path: Path) -> None:
    edited = _set_rule(plan, "T010", "+7 x2", tmp_path)
    code, stdout, _ = run("recompute", str(edited), "--today", "2027-03-01")
    assert code == 0
    assert stdout.splitlines()[0].endswith("2 relance(s) ajoutée(s) (R010-1, R010-2)")
    dates = planning_dates(edited)
    assert dates["R010-1"][1] == dates["T010"][1] + dt.timedelta(days=7)
    assert dates == exported(edited)
    once = edited.read_bytes()
    code, stdout, _ = run("recompute", str(edited), "--today", "2027-03-01")
    assert stdout.splitlines()[0] == "edited.xlsx : déjà à jour"
    assert edited.read_bytes() == once
    if shutil.which(soffice()) is None:  # pragma: no cover - LibreOffice is in CI
        pytest.skip("LibreOffice is not installed")
    recalculated = recalc(edited, tmp_path / "lo")
    assert planning_dates(recalculated) == dates


def test_a_removed_rule_is_flagged_not_deleted(plan: Path, tmp_path: Path) -> None:
    edited = _set_rule(plan, "T230", "", tmp_path)
    rows = planning_dates(plan)
    followups = sorted(k for k in rows if k.startswith("R230-"))
    assert followups
    code, stdout, _ = run("recompute", str(edited), "--today", "2027-03-01")
    assert code == 0
    lines = stdout.splitlines()
    for fid in followups:  # check's finding, at its cell, once
        said = [x for x in lines if f"({fid}) attention : relance générée pour T230, dont "
                "la règle a été effacée" in x]
        assert len(said) == 1 and said[0].startswith("Planning!A"), lines
    assert set(followups) <= set(planning_dates(edited))


def test_new_from_a_past_plan(plan: Path, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(plan)
    ws = wb["Planning"]
    ws["L2"] = "Fait"
    ws["Q2"] = 1234
    ws["S2"] = 99
    past = tmp_path / "past.xlsx"
    wb.save(past)
    out = tmp_path / "next.xlsx"
    code, stdout, _ = run("new", "--from", str(past), "--release", "2028-03-10", "-o", str(out))
    assert code == 0
    assert stdout == f"{out} : 52 tâches reprises de past.xlsx, sortie (J) le 10/03/2028\n"
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Planning").to_python()
    assert (rows[1][11], rows[1][16], rows[1][18]) == ("À faire", "", "")
    assert exported(out)["T010"][1] == dt.date(2028, 1, 14)
    assert planning_dates(out) == exported(out)


@pytest.mark.parametrize("anchors", [("T1",), ("J", "T1048577"), ("T1048578", "T2")])
def test_a_rows_formula_from_its_shape_is_the_formula_made_for_it(anchors: tuple[str, ...]) -> None:
    """The date formulas are made once per shape and given each row's number: the same
    text as made for the row, even when an anchor's ID holds the number that marks it."""
    from functools import partial

    from retrosheet import layout as L
    from retrosheet.recompute import _by_row

    refs = L.Refs("Paramètres")
    for make in (partial(L.start_formula, refs=refs),
                 partial(L.deadline_formula, anchors=anchors, refs=refs)):
        by_row = _by_row(make)
        for r in (2, 9, 10, 77, 1048, 10485, 100101, 1048576):
            assert by_row(r) == make(r)
