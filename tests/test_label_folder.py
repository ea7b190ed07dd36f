"""A label's folder as it really is: a plan given twice (the folder and a file in it), the
invoice workbook beside the plans, amounts in cents. Real .xlsx files through the command
line.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from retrosheet.cli import cli
from retrosheet.model import Member, Plan, Settings, Task
from retrosheet.portfolio import expand
from retrosheet.schedule import compute
from retrosheet.xlsx.create import write_new

J = dt.date(2027, 5, 14)
AS_OF = "2027-04-28"


def _write(folder: Path, name: str, title: str, artist: str, who: str,
           budget: float, spent: float) -> None:
    p = Plan(Settings(release=J, title=title, artist=artist, team=(Member(who, "", "Manager"),)),
             [Task("T010", "Mailing radios", axis="Radio", owner=who, offset=-15,
                   budget=budget, spent=spent)])
    write_new(p, compute(p), folder / name, dt.date(2027, 3, 1))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "label"
    d.mkdir()
    _write(d, "aube.xlsx", "Aube", "Corail", "Noé", 300, 149.5)
    _write(d, "brume.xlsx", "Brume", "Givre", "Sam", 200, 149.5)
    return d


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["report", *args, "--as-of", AS_OF])
    return result.exit_code, result.stdout, result.stderr


def test_a_plan_given_twice_is_read_and_counted_once(folder: Path) -> None:
    """The folder, a file in it, and that file by another path: two plans, not four; a
    plan does not clash with itself and its budget is not counted twice."""
    code, out, err = run(str(folder), str(folder / "aube.xlsx"),
                         str(folder / ".." / "label" / "aube.xlsx"), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [r["name"] for r in data["releases"]] == ["aube.xlsx", "brume.xlsx"]
    assert data["findings"] == []
    assert data["budget"] == {"total": 500.0, "spent": 299.0, "left": 201.0}


def test_a_sheet_by_its_url_and_its_key_is_one_plan() -> None:
    key = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF"
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0"
    keys = {key: key, url: key}
    assert expand([url, key], keys.get) == [url]


def test_the_folders_workbooks_that_are_not_plans_are_skipped(folder: Path) -> None:
    """An invoice workbook beside the plans: a folder does not mean it (said on stderr,
    exit 0); given by name it is an unreadable plan (exit 2)."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Factures"
    wb.save(folder / "factures.xlsx")
    code, out, err = run(str(folder))
    assert code == 0
    assert err == "Pas un plan, ignoré : factures.xlsx\n"
    assert "2 sorties" in out.splitlines()[0]
    code, _, err = run(str(folder / "aube.xlsx"), str(folder / "factures.xlsx"))
    assert code == 2
    assert err == ("Illisible : factures.xlsx : factures.xlsx n'a pas de feuille Planning "
                   "(feuilles : Sheet)\n")
    (folder / "aube.xlsx").unlink()
    (folder / "brume.xlsx").unlink()
    code, _, err = run(str(folder))
    assert code == 2
    assert err.splitlines()[-1] == f"Erreur : aucun plan (.xlsx, .xlsm) dans {folder}"


def test_cents_add_up(folder: Path) -> None:
    """149,50 € spent in each release: the lines and the total agree as printed."""
    code, out, err = run(str(folder))
    assert code == 0, err
    lines = out.splitlines()
    spent = [line.split()[-2] for line in lines if line.startswith(("  Aube", "  Brume",
                                                                     "  Total"))]
    assert spent == ["149,50", "149,50", "299,00"]
    assert "  Budget 500,00\u202f€ · Dépensé 299,00\u202f€ · Reste 201,00\u202f€" in lines


@pytest.mark.parametrize("user", ["fr", "en"])
def test_the_reports_language_does_not_follow_the_first_file_name(
        folder: Path, monkeypatch: pytest.MonkeyPatch, user: str) -> None:
    """French plans give a French report whoever reads it; with an English plan among
    them (sorting first), the plans disagree and the user's language decides."""
    monkeypatch.setenv("RETROSHEET_LANG", user)
    code, out, _ = run(str(folder))
    assert out.startswith("Rapport du label")
    p = Plan(Settings(release=J, lang="en", title="Paper", artist="Owls"),
             [Task("T010", "Mail", owner="Mia", offset=-15)])
    write_new(p, compute(p), folder / "0-paper.xlsx", dt.date(2027, 3, 1))
    code, out, _ = run(str(folder))
    assert code == 0
    assert out.startswith("Rapport du label" if user == "fr" else "Label report")


def test_a_copy_of_a_plan_is_said_to_be_one(folder: Path) -> None:
    """« aube (copie).xlsx » beside « aube.xlsx » (a synced folder's conflicted copy): not
    two releases by one team the same day to move apart, but one release twice."""
    shutil.copy(folder / "aube.xlsx", folder / "aube (copie).xlsx")
    code, out, err = run(str(folder), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    schema = json.loads(resources.files("retrosheet").joinpath(
        "schemas/label-report-v1.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert [(f["code"], f["severity"], f["message"]) for f in data["findings"]] == [(
        "label_same_release_twice", "error", "« Aube — Corail » est deux fois, dans "
        "aube (copie).xlsx et dans aube.xlsx (une copie ?) : n'en gardez qu'un")]


def test_a_plan_that_cannot_be_dated_does_not_stop_the_others(folder: Path) -> None:
    """A task anchored on an ID no task has: the plan is read but cannot be dated. It is
    listed, named, in the report's language, and the others are reported (it stopped the
    whole report with one unnamed line in the plan's own language)."""
    _write(folder, "echos.xlsx", "Échos", "Vent", "Lou", 0, 0)
    wb = openpyxl.load_workbook(folder / "echos.xlsx")
    ws = wb["Planning"]
    col = next(c.column for c in ws[1] if c.value == "Dépend de")
    ws.cell(2, col).value = "T999"
    wb.save(folder / "echos.xlsx")
    before = (folder / "echos.xlsx").read_bytes()
    code, out, err = run(str(folder))
    assert code == 2
    assert out.splitlines()[0].endswith(", 2 sorties")
    assert err == ("Illisible : echos.xlsx : Planning!F2 (T010) : dépendance inconnue 'T999' : "
                   "aucune tâche n'a cet ID\n")
    assert (folder / "echos.xlsx").read_bytes() == before
