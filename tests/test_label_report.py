"""A label's Monday: `report PLAN PLAN…` over three real plan files (issue: label scale).

Two releases by the same team land the same day (an error), one person carries both
campaigns the same week, and one radio is pitched for two releases in one week. Each plan
is a real .xlsx written by retrosheet and read back through the command line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from retrosheet.cli import cli
from retrosheet.followups import expand_followups
from retrosheet.labels import Status, contact_key
from retrosheet.model import Contact, Member, Plan, Settings, Task
from retrosheet.schedule import compute
from retrosheet.xlsx.create import write_new

J = dt.date(2027, 5, 14)  # a Friday
AS_OF = dt.date(2027, 4, 28)  # Wednesday, week of 26/04–02/05: J-16
LEA = Member("Léa Martin", "lea@label.example", "Manager")


def _plan(title: str, artist: str, release: dt.date, team: tuple[Member, ...],
          tasks: list[Task], contacts: list[Contact] = (), lang: str = "fr") -> Plan:
    p = Plan(Settings(release=release, lang=lang, title=title, artist=artist, team=team),
             expand_followups(tasks, lang))
    p.contacts = list(contacts)
    return p


def _busy_week(owner: str, n: int, first_id: int) -> list[Task]:
    """`n` open tasks of `owner` due in the week of AS_OF (J-16…J-13 around 14/05)."""
    return [Task(f"T{first_id + 10 * i}", f"Post {i + 1}", axis="Réseaux sociaux",
                 owner=owner, offset=-16 + (i % 3), budget=10.0) for i in range(n)]


def plans() -> dict[str, Plan]:
    nuit = _plan("Nuit blanche", "Lune Rousse", J, (LEA, Member("Sam", "", "Promo radio")), [
        Task("T010", "Livrer au distributeur", axis="Distribution", owner="Manager",
             offset=-35, status=Status.IN_PROGRESS, budget=0),  # 09/04: late
        Task("T020", "Mailing radios", axis="Radio", owner="Sam", offset=-15,
             budget=600, spent=250),
        *_busy_week("Léa Martin", 5, 100),
    ], [Contact("C1", "Radio", "FIP", "Anne", "anne@fip.example", "T020")])
    aube = _plan("Aube", "Corail", J, (Member("Léa Martin", "LEA@label.example", "Prod"),), [
        Task("T010", "Pitch Spotify", axis="Playlists", owner="Prod", offset=-20,
             status=Status.TODO),  # 23/04 (Sat 24 → Fri 23): late
        *_busy_week("Prod", 5, 200),
    ])
    echos = _plan("Échos", "Vent d'Est", dt.date(2027, 5, 18),
                  (Member("Noé", "noe@ailleurs.example", "Manager"),), [
        Task("T010", "Envoi radio", axis="Radio", owner="Noé", offset=-19, budget=300),
    ], [Contact("C1", "Radio", "F.I.P.", "", "", "T010"),
        Contact("C2", "Radio", "fip", "Anne", "", "T010")])
    return {"nuit-blanche.xlsx": nuit, "aube.xlsx": aube, "echos.xlsx": echos}


def _type_contacts(path: Path, contacts: list[Contact]) -> None:
    """The team types its contacts under the Contacts header, as people do."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Contacts"]
    head = next(r for r in ws.iter_rows(max_row=10) if any(contact_key(c.value) for c in r))
    cols = {contact_key(c.value): c.column for c in head if contact_key(c.value)}
    for i, c in enumerate(contacts, start=head[0].row + 1):
        for key in ("id", "axis", "outlet", "name", "email", "task"):
            ws.cell(i, cols[key], getattr(c, key))
    wb.save(path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three plans, written once for the module."""
    d = tmp_path_factory.mktemp("label")
    for name, p in plans().items():
        write_new(p, compute(p), d / name, dt.date(2027, 3, 1))
        if p.contacts:
            _type_contacts(d / name, p.contacts)
    return d


@pytest.fixture
def folder(built: Path, tmp_path: Path) -> Path:
    """A copy of the plans of its own for each test (some add files or write sheets)."""
    return Path(shutil.copytree(built, tmp_path / "label"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--as-of", AS_OF.isoformat()])
    return result.exit_code, result.stdout, result.stderr


def report_json(*args: str) -> dict[str, object]:
    code, out, err = run("report", *args, "--format", "json")
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    schema = json.loads(resources.files("retrosheet").joinpath(
        "schemas/label-report-v1.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    return data


def test_cross_release_findings(folder: Path) -> None:
    data = report_json(str(folder))
    findings = {f["code"]: f for f in data["findings"]}  # type: ignore[union-attr]
    assert set(findings) == {"label_same_release_day", "label_person_overloaded",
                             "label_same_outlet_week"}
    same_day = findings["label_same_release_day"]
    assert same_day["severity"] == "error"
    assert same_day["message"] == (
        "« Aube — Corail » et « Nuit blanche — Lune Rousse » sortent le même jour "
        "(14/05/2027) avec la même équipe (Léa Martin) : décalez l'une des deux")
    # Léa: 5 tasks in each release the week of 26/04, 10 > 8; each plan alone is fine.
    assert findings["label_person_overloaded"]["message"] == (
        "Léa Martin a 10 tâches la semaine du 26/04/2027 sur 2 sorties : "
        "5 (Aube — Corail), 5 (Nuit blanche — Lune Rousse) (au-delà de 8)")
    # FIP (spelled three ways) hears from two releases in the week of 26/04.
    assert findings["label_same_outlet_week"]["message"] == (
        "FIP est contacté pour 2 sorties la semaine du 26/04/2027 : "
        "Nuit blanche — Lune Rousse (T020), Échos — Vent d'Est (T010) ; espacez les envois")


def test_each_release_with_its_state_and_late_tasks_with_their_release(folder: Path) -> None:
    data = report_json(str(folder))
    releases = {r["title"]: r for r in data["releases"]}  # type: ignore[union-attr]
    assert [r["title"] for r in data["releases"]] == [  # type: ignore[union-attr]
        "Aube", "Nuit blanche", "Échos"]
    assert releases["Nuit blanche"]["j"] == "J-16"
    assert releases["Échos"]["j"] == "J-20"
    assert releases["Nuit blanche"]["state"] == "late"
    assert releases["Échos"]["state"] == "on_track"
    late = [(t["release"], t["id"], t["days_late"]) for t in data["late"]]  # type: ignore
    assert late == [("Nuit blanche — Lune Rousse", "T010", 19), ("Aube — Corail", "T010", 5)]
    due = {(t["release"], t["id"]) for t in data["due_this_week"]}  # type: ignore
    assert ("Nuit blanche — Lune Rousse", "T020") in due
    assert ("Échos — Vent d'Est", "T010") in due
    assert releases["Nuit blanche"]["budget"] == 650.0
    assert data["budget"] == {"total": 1000.0, "spent": 250.0, "left": 750.0}


def test_owner_gives_that_persons_week_across_releases(folder: Path) -> None:
    data = report_json(str(folder), "--owner", "lea@label.example")
    tasks = data["due_this_week"] + data["late"]  # type: ignore[operator]
    assert {t["release"] for t in tasks} == {"Nuit blanche — Lune Rousse", "Aube — Corail"}
    # Léa is "Manager" in one plan and "Prod" in the other: both are hers.
    assert {t["owner"] for t in tasks} == {"Léa Martin", "Manager", "Prod"}
    assert len(data["due_this_week"]) == 10  # type: ignore[arg-type]


def test_unknown_owner_is_refused_with_the_closest_names(folder: Path) -> None:
    code, _, err = run("report", str(folder), "--owner", "Lea Martn")
    assert code == 2
    assert err == ("Erreur : 'Lea Martn' n'a aucune tâche dans ces plans ; vouliez-vous dire "
                   "Léa Martin ?\n")


def test_text_report(folder: Path) -> None:
    code, out, err = run("report", *sorted(str(p) for p in folder.iterdir()))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("Rapport du label — au 28/04/2027 (du 26/04 au 02/05), 3 sorties")
    assert "  [Nuit blanche — Lune Rousse] T010 09/04/2027 Livrer au distributeur — Manager " \
           "(19 j de retard)" in lines
    total = next(line for line in lines if line.startswith("  Total "))
    # late, due this week, blocked, budget, spent (money keeps its narrow spaces)
    assert re.split(r" {2,}", total.strip())[1:] == ["2", "12", "0", "1\u202f000\u202f€",
                                                     "250\u202f€"]
    assert "Entre les sorties (3)" in lines


def test_an_unreadable_plan_does_not_stop_the_others(folder: Path) -> None:
    (folder / "cassé.xlsx").write_text("not a workbook", encoding="utf-8")
    (folder / "~$aube.xlsx").write_bytes(b"lock")  # Excel's lock file: not a plan
    code, out, err = run("report", str(folder), "--format", "md")
    assert code == 2
    assert "## Plans illisibles (1)" in out
    assert ("- cassé.xlsx : cassé.xlsx n'est pas un classeur .xlsx/.xlsm (ce n'est pas un "
            "fichier zip)") in out
    assert "| Aube — Corail | 14/05/2027 |" in out
    assert err == ("Illisible : cassé.xlsx : cassé.xlsx n'est pas un classeur .xlsx/.xlsm "
                   "(ce n'est pas un fichier zip)\n")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_unreadable_plan_is_said_in_the_reports_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """No plan read, so the user's language decides: the error too (not always French)."""
    monkeypatch.setenv("RETROSHEET_LANG", lang)
    (tmp_path / "cassé.xlsx").write_text("not a workbook", encoding="utf-8")
    code, out, err = run("report", str(tmp_path), "--format", "json")
    assert code == 2
    said = ("cassé.xlsx n'est pas un classeur .xlsx/.xlsm (ce n'est pas un fichier zip)"
            if lang == "fr" else "cassé.xlsx is not an .xlsx/.xlsm workbook (not a zip file)")
    assert json.loads(out)["unreadable"] == [{"name": "cassé.xlsx", "error": said}]
    head = "Illisible : cassé.xlsx : " if lang == "fr" else "Unreadable: cassé.xlsx: "
    assert err == head + said + "\n"


def test_html_page(folder: Path) -> None:
    code, out, err = run("report", str(folder), "--format", "html")
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    for sid in ("releases", "late", "due-this-week", "findings"):
        assert f'<section id="{sid}">' in out
    assert "Échos — Vent d&#x27;Est" in out


def test_write_sheet_takes_one_plan(folder: Path) -> None:
    code, _, err = run("report", str(folder), "--write-sheet")
    assert code == 2
    assert err.splitlines()[-1] == "Erreur : --write-sheet et --mail prennent un seul PLAN"


def test_json_text_is_the_same_data_one_item_a_line() -> None:
    from retrosheet.report_json import json_text

    data = {"a": 1, "b": [{"x": "é\n", "y": None}, {"x": "z", "y": [1, 2]}], "c": {"d": []},
            "e": {}, "f": {"g": [3]}}
    text = json_text(data)
    assert json.loads(text) == data
    assert text.splitlines()[2:5] == ['  "b": [', '    {"x": "é\\n", "y": null},',
                                      '    {"x": "z", "y": [1, 2]}']


def test_a_release_far_behind_does_not_bury_the_others(tmp_path: Path) -> None:
    """Text, Markdown and HTML show a release's 10 latest tasks and say how many more;
    the JSON keeps them all."""
    d = tmp_path / "label"
    d.mkdir()
    behind = _plan("Retard", "X", J, (LEA,), [
        Task(f"T{i:03d}", f"Tâche {i}", owner="Léa Martin", offset=-40 - i)
        for i in range(1, 13)])
    for name, p in (("retard.xlsx", behind), ("echos.xlsx", plans()["echos.xlsx"])):
        write_new(p, compute(p), d / name, dt.date(2027, 3, 1))
    code, out, _ = run("report", str(d))
    assert code == 0
    lines = out.splitlines()
    start = lines.index("En retard (12)")
    assert sum(line.startswith("  [Retard — X] ") for line in lines[start:]) == 10
    assert "  … +2 autres tâches en retard (Retard — X)" in lines
    assert lines[start + 1] == ("  [Retard — X] T012 23/03/2027 Tâche 12 — Léa Martin "
                                "(36 j de retard)")
    assert "- … +2 autres tâches en retard (Retard — X)" in run("report", str(d), "--format",
                                                               "md")[1]
    assert "… +2 autres tâches en retard (Retard — X)" in run("report", str(d), "--format",
                                                             "html")[1]
    assert len(report_json(str(d))["late"]) == 12  # type: ignore[arg-type]


def test_a_missing_plan_is_named_once(folder: Path) -> None:
    code, _, err = run("report", str(folder / "aube.xlsx"), "absent.xlsx")
    assert code == 2
    assert err == "Illisible : absent.xlsx : fichier introuvable\n"


@pytest.mark.parametrize(("lang", "gap", "want"), [
    ("fr", 1, "« Aube — Corail » (14/05/2027) et « Échos — Vent d'Est » (15/05/2027) sortent à "
              "1 jour d'écart avec la même équipe (Léa Martin)"),
    ("fr", 3, "« Aube — Corail » (14/05/2027) et « Échos — Vent d'Est » (17/05/2027) sortent à "
              "3 jours d'écart avec la même équipe (Léa Martin)"),
    ("en", 1, "“Aube — Corail” (2027-05-14) and “Échos — Vent d'Est” (2027-05-15) are "
              "released 1 day apart by the same team (Léa Martin)"),
    ("en", 3, "“Aube — Corail” (2027-05-14) and “Échos — Vent d'Est” (2027-05-17) are "
              "released 3 days apart by the same team (Léa Martin)"),
])
def test_close_releases_in_the_reports_language(lang: str, gap: int, want: str) -> None:
    """Two releases of one team a few days apart: said in the label report's language,
    the days counted as each language counts them."""
    from retrosheet.label import build_label_report, release_of

    team = (LEA,)
    aube = _plan("Aube", "Corail", J, team, [Task("T010", "Pitch", owner="Léa Martin",
                                                  offset=-3)], lang=lang)
    echos = _plan("Échos", "Vent d'Est", J + dt.timedelta(days=gap), team,
                  [Task("T010", "Envoi", owner="Léa Martin", offset=-3)], lang=lang)
    rep = build_label_report([release_of("a", aube, AS_OF), release_of("b", echos, AS_OF)],
                             AS_OF, lang=lang)
    assert [(f.code, f.message) for f in rep.findings] == [("label_close_releases", want)]
