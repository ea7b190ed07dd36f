"""examples/ is what examples/make_examples.py makes: run the script and compare.

When a change to retrosheet changes the report, these tests fail until the examples are
regenerated: `python3 examples/make_examples.py`, then review and commit the diff.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPT = EXAMPLES / "make_examples.py"
SCHEMA = Path(__file__).resolve().parents[1] / "retrosheet" / "schemas" / "report-v3.json"
STALE = "examples/{} is stale: run `python3 examples/make_examples.py` and commit the result"


def make(out: Path) -> Path:
    done = subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr + done.stdout
    return out


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make(tmp_path_factory.mktemp("examples"))


def grid(path: Path, sheet: str) -> list[list[Any]]:
    return [list(r) for r in
            CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()]


@pytest.mark.parametrize("name", ["rapport.txt", "rapport.md", "rapport.json"])
def test_committed_report_is_what_the_script_makes(made: Path, name: str) -> None:
    fresh = (made / name).read_text(encoding="utf-8")
    assert (EXAMPLES / name).read_text(encoding="utf-8") == fresh, STALE.format(name)


def test_committed_workbook_holds_what_the_script_makes(made: Path) -> None:
    committed, fresh = EXAMPLES / "nuit-blanche.xlsx", made / "nuit-blanche.xlsx"
    for sheet in ("Planning", "Contacts", "Paramètres", "Rapport", "Historique"):
        assert grid(committed, sheet) == grid(fresh, sheet), STALE.format("nuit-blanche.xlsx")


def test_the_example_is_a_campaign_halfway_through(made: Path) -> None:
    rep = json.loads((made / "rapport.json").read_text(encoding="utf-8"))
    assert (rep["title"], rep["artist"], rep["release"], rep["as_of"], rep["j"]) == (
        "Nuit blanche", "Lune Rousse", "2027-05-14", "2027-04-29", "J-15")
    assert rep["late"] and rep["blocked"] and rep["due_this_week"] and rep["due_next_week"]
    assert any(f["chase"] for f in rep["followups_due"])
    verdicts = {r["verdict"] for r in rep["results"]["by_action"]}
    assert {"worked", "improve", "failed", "pending"} <= verdicts
    contacts = sum(r["contacts"] for r in rep["replies"])
    assert 8 <= contacts <= 12
    assert {r["axis"] for r in rep["replies"]} == {"Radio", "Presse", "Playlists"}

    book = made / "nuit-blanche.xlsx"
    planning = grid(book, "Planning")
    status = planning[0].index("Statut")
    assert {"Fait", "En cours", "Bloqué", "À faire"} <= {r[status] for r in planning[1:]}
    team = grid(book, "Paramètres")
    assert ["Camille Roux", "camille@lune-rousse.example", "Manager"] in [r[:3] for r in team]
    report = grid(book, "Rapport")
    assert "J-15" in report[0][0]
    history = grid(book, "Historique")
    indicators = [r for r in rep["results"]["by_indicator"] if r["kpi"] and (
        r["objective"] is not None or r["result"] is not None)]
    assert len(history) == 1 + len(rep["progress"]) + len(indicators)  # axes, indicators


def test_report_json_follows_its_schema(made: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads((made / "rapport.json").read_text(encoding="utf-8")), schema)


def test_html_report_is_there(made: Path) -> None:
    html = (made / "rapport.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "Nuit blanche" in html
    assert (EXAMPLES / "rapport.html").exists()


def test_two_runs_give_the_same_files(made: Path, tmp_path: Path) -> None:
    again = make(tmp_path / "again")
    names = sorted(p.name for p in made.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (made / name).read_bytes() == (again / name).read_bytes(), name
