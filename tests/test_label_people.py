"""Who is who across a label's plans, as a label's folder really holds them: plans fresh
from `retrosheet new` (team rows that only repeat their role), one person written with an
e-mail in one plan and by name in another, a role spelled another way, a cancelled send.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from retrosheet.cli import cli
from retrosheet.followups import expand_followups
from retrosheet.label import build_label_report, release_of
from retrosheet.label_people import TEMPLATE_ROLES, People, spelling_key
from retrosheet.labels import Status
from retrosheet.model import Contact, Member, Plan, Settings, Task
from retrosheet.templates import BUILTIN, load

DAY = "2027-03-12"  # a Friday
AS_OF = dt.date(2027, 4, 28)


def _new(folder: Path, name: str, template: str, *args: str) -> Path:
    path = folder / name
    result = CliRunner().invoke(cli, ["new", template, "--release", DAY, "-o", str(path),
                                      *args])
    assert result.exit_code == 0, result.output
    return path


def _edit(path: Path, team: list[tuple[str, str, str]], owners: dict[str, str]) -> None:
    """The team fills in its team table and retypes some owners, as people do."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        head = next((c.row for c in ws["A"] if c.value in ("Nom", "Name")
                     and ws.cell(c.row, 3).value in ("Rôle", "Role")), None)
        if head is not None:
            for i in range(12):
                for col, value in enumerate(team[i] if i < len(team) else ("", "", ""), 1):
                    ws.cell(head + 1 + i, col).value = value or None
    planning = wb.worksheets[0]
    for (cell,) in planning.iter_rows(min_row=2, min_col=5, max_col=5):
        if cell.value in owners:
            cell.value = owners[cell.value]
    wb.save(path)


def _report(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["report", *args, "--as-of", "2027-02-22",
                                      "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_teams_fresh_from_new_share_nobody(tmp_path: Path) -> None:
    """Two plans of two artists, team tables as `new` wrote them (« Manager », « Label »
    … naming only roles), out the same day: no team in common, nobody overloaded by
    the other team's tasks."""
    _new(tmp_path, "nuit.xlsx", "single", "--artist", "Léa Sol")
    _new(tmp_path, "paper.xlsx", "ep", "--artist", "The Owls", "--lang", "en")
    _new(tmp_path, "vertige.xlsx", "clip", "--artist", "Kobe")
    assert _report(str(tmp_path))["findings"] == []


def test_one_person_by_e_mail_in_one_plan_and_by_name_in_another(tmp_path: Path) -> None:
    nuit = _new(tmp_path, "nuit.xlsx", "single", "--artist", "Léa Sol")
    _edit(nuit, [("Léa Martin", "lea@label.fr", "Manager"), ("Label", "", "Label")], {})
    vertige = _new(tmp_path, "vertige.xlsx", "clip", "--artist", "Kobe")
    _edit(vertige, [("Léa MARTIN", "", "Manager"), ("Label", "", "Label")],
          {"Manager": "lea@label.fr"})
    data = _report(str(tmp_path))
    assert [(f["code"], f["message"]) for f in data["findings"]] == [(  # type: ignore
        "label_same_release_day", "« Kobe » et « Léa Sol » sortent le même jour (12/03/2027) "
        "avec la même équipe (Léa Martin) : décalez l'une des deux")]
    # Her week: the tasks she holds as Manager in one plan and by e-mail in the other.
    mine = _report(str(tmp_path), "--owner", "Léa Martin")
    tasks = mine["late"] + mine["due_this_week"]  # type: ignore[operator]
    assert {(t["release"], t["owner"]) for t in tasks} == {
        ("Léa Sol", "Manager"), ("Kobe", "lea@label.fr")}


def _busy(owner: str, n: int) -> list[Task]:
    """`n` open tasks of `owner` due the week of AS_OF (J = 14/05/2027)."""
    return [Task(f"T{10 * (i + 1):03d}", f"Envoi {i + 1}", axis="Presse", owner=owner,
                 offset=-16 + (i % 3)) for i in range(n)]


def _plan(title: str, team: tuple[Member, ...], tasks: list[Task],
          contacts: list[Contact] = ()) -> Plan:  # type: ignore[assignment]
    p = Plan(Settings(release=dt.date(2027, 5, 14), title=title, artist=title, team=team),
             expand_followups(tasks, "fr"))
    p.contacts = list(contacts)
    return p


def _findings(*plans: Plan) -> list[tuple[str, str]]:
    rep = build_label_report([release_of(p.settings.title, p, AS_OF) for p in plans], AS_OF)
    return [(f.code, f.message) for f in rep.findings]


def test_a_role_spelled_another_way_holds_the_templates_tasks() -> None:
    """« Attaché(e) de presse » in the team table holds the « Attaché·e de presse » tasks:
    Zoé carries 5 + 5 tasks that week across two releases (named as the row that also
    gives her e-mail writes her)."""
    a = _plan("Aube", (Member("Zoé Blanc", "", "Attaché(e) de presse"),),
              _busy("Attaché·e de presse", 5))
    b = _plan("Brume", (Member("Zoe Blanc", "zoe@presse.fr", "Presse"),), _busy("Zoé Blanc", 5))
    found = dict(_findings(a, b))
    assert found["label_person_overloaded"] == (
        "Zoe Blanc a 10 tâches la semaine du 26/04/2027 sur 2 sorties : 5 (Aube — Aube), "
        "5 (Brume — Brume) (au-delà de 8)")


def test_a_role_without_a_team_table_is_nobody_another_plan_shares() -> None:
    a = _plan("Aube", (), _busy("Label", 5))
    b = _plan("Brume", (Member("Label", "", "Label"),), _busy("Label", 5))
    assert _findings(a, b) == []
    people = People([a, b])
    assert people.in_plan(0) == people.in_plan(1) == set()
    assert people.of(0, "Label") != people.of(1, "Label")


def test_a_cancelled_send_is_not_a_second_pitch() -> None:
    fip = [Contact("C1", "Radio", "FIP", "", "", "T010")]
    a = _plan("Aube", (Member("Noé", "", "Manager"),), _busy("Noé", 1), fip)
    b = _plan("Brume", (Member("Sam", "", "Manager"),), _busy("Sam", 1), fip)
    assert [code for code, _ in _findings(a, b)] == ["label_same_outlet_week"]
    b.tasks[0].status = Status.CANCELLED
    assert _findings(a, b) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_template_roles_are_the_built_in_templates_owners(lang: str) -> None:
    owners = {spelling_key(t.owner) for name in BUILTIN for t in load(name, lang).tasks if t.owner}
    assert owners <= TEMPLATE_ROLES


def test_a_first_name_suggests_the_people_who_have_it() -> None:
    """`--owner Léa` in a label where she is « Léa Martin », « Lea MARTIN » and
    « Léa MARTIN »: suggested once, accents and case as written most carefully."""
    from retrosheet.label_people import closest_names

    known = {"Lea MARTIN", "Léa MARTIN", "Léa Martin", "Léa Sol", "Label", "Noah Smith"}
    assert closest_names("Léa", known) == ["Léa Martin", "Léa Sol", "Label"]
    assert closest_names("Lea Marti", known) == ["Léa Martin"]


def test_releases_already_out_are_not_asked_to_move() -> None:
    """Two releases of one team, the same day, both out by the report's day: nothing to
    move any more (the error stood on every Monday after). One still to come, a day after
    one already out: it can still move."""
    team = (Member("Noé", "", "Manager"),)
    a = _plan("Aube", team, _busy("Noé", 1))
    b = _plan("Brume", team, _busy("Noé", 1))
    assert [c for c, _ in _findings(a, b)] == ["label_same_release_day"]
    later = dt.date(2027, 6, 1)
    reps = [release_of(p.settings.title, p, later) for p in (a, b)]
    assert build_label_report(reps, later).findings == []
    b.settings.release = dt.date(2027, 6, 2)
    reps = [release_of(p.settings.title, p, later) for p in (a, b)]
    assert build_label_report(reps, later).findings == []  # weeks apart
    a.settings.release = dt.date(2027, 5, 31)
    reps = [release_of(p.settings.title, p, later) for p in (a, b)]
    assert [f.code for f in build_label_report(reps, later).findings] == [
        "label_close_releases"]
