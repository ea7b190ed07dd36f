"""The Monday summary (issue 10 item 6) in every format, and the terminal report's colours
and wrapping (issue 11 item 8)."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path

import click
import jsonschema
import pytest
from clirun import invoke, made_file
from conftest import SINGLE
from test_report import AS_OF, J, plan

from retrosheet.actions import load_store
from retrosheet.model import Plan, Task
from retrosheet.monday import Hard, State, Why
from retrosheet.render import to_markdown, to_text, wrap_phrases
from retrosheet.render_html import to_html
from retrosheet.report import Report, build_report


def monday_plan(lang: str = "fr") -> Plan:
    p = plan(lang)
    index = p.by_id()
    index["T040"].notes = "Photographe malade, nouvelle date à caler"
    index["T030"].budget, index["T030"].spent = 200, 120
    # Two tasks wait for the late press release; one of them waits through a chain.
    p.tasks += [Task("T031", "Interviews", axis="Presse", owner="Léa", anchors=("T030",),
                     offset=20),
                Task("T032", "Revue de presse", axis="Presse", owner="Léa", anchors=("T031",),
                     offset=20),
                Task("T033", "Déclarer les œuvres à la Sacem", axis="Admin", owner="Léa",
                     offset=-12)]
    return p


def report(lang: str = "fr") -> Report:
    p = monday_plan(lang)
    return build_report(p, AS_OF)


def test_budget_total_spent_left() -> None:
    m = report().monday
    assert m is not None
    # 600 + 150 + 200 planned; 550 + 180 + 120 spent
    assert (m.budget.total, m.budget.spent, m.budget.left) == (950, 850, 100)


@pytest.mark.parametrize(("lang", "want"), [
    ("fr", "950,00\u202f€ prévus, 862,50\u202f€ dépensés (91\u202f%), reste 87,50\u202f€ — "
           "12,50\u202f€ dépensés sur des lignes sans budget"),
    ("en", "€950.00 planned, €862.50 spent (91%), €87.50 left — €12.50 spent on rows with "
           "no budget")])
def test_budget_line_adds_up_and_says_what_the_unbudgeted_money_is(lang: str,
                                                                    want: str) -> None:
    """1 234,50 € spent showed as 1 235 € with 5 696 € left of 6 930 €, and « reste 880 € —
    dont 1 235 € sur des lignes sans budget » read as if the money left had been spent."""
    p = monday_plan(lang)
    p.by_id()["T033"].spent = 12.5  # a row with no budget
    lines = to_text(build_report(p, AS_OF)).splitlines()
    assert want in lines[lines.index("Budget") + 1], lines


def test_risks_are_late_tasks_and_what_waits_for_them() -> None:
    m = report().monday
    assert m is not None
    risks = {r.task.id: [x.id for x in r.dependents] for r in m.risks}
    assert risks == {"T030": ["T031", "T032"], "T040": []}
    assert m.risks[0].task.id == "T030"  # the one others wait for comes first


def test_hard_deadline_checklist_with_status() -> None:
    m = report().monday
    assert m is not None
    got = [(c.kind, c.state, c.task.id if c.task else None) for c in m.checklist]
    assert got == [
        (Hard.UPLOAD, State.DONE, "T010"),
        (Hard.PITCH, State.ON_TRACK, "T070"),
        (Hard.RIGHTS, State.THIS_WEEK, "T033"),  # J-12 = Sun 2 May → Fri 30 April
    ]  # no physical product in this plan: no stock line


def test_blocked_tasks_say_why() -> None:
    rep = report()
    assert rep.monday is not None
    assert [(b.task.id, b.reason) for b in rep.monday.blocked] == [
        ("T040", "Photographe malade, nouvelle date à caler")]
    assert ("  T040 23/04/2027 Séance photo — Noé (5 j de retard) : Photographe malade, "
            "nouvelle date à caler") in to_text(rep).splitlines()


def test_priorities_late_first_then_hard_deadlines() -> None:
    m = report().monday
    assert m is not None
    got = [(p.task.id, p.why) for p in m.priorities]
    assert got[0] == ("T030", (Why.LATE, Why.BLOCKS))
    assert got[1] == ("T040", (Why.LATE,))
    assert ("T033", (Why.HARD, Why.DUE)) in got
    assert len(got) <= 5


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_format_has_the_monday_sections(lang: str) -> None:
    rep = report(lang)
    titles = (["Priorités de la semaine", "Risques", "Échéances fermes", "Budget"]
              if lang == "fr" else
              ["This week's priorities", "Risks", "Hard deadlines", "Budget"])
    text, md, html = to_text(rep), to_markdown(rep), to_html(rep)
    for title in titles:
        assert any(x.startswith(title) for x in text.splitlines()), title
        assert any(x.startswith(f"## {title}") for x in md.splitlines()), title
        assert title.replace("'", "&#x27;") in html, title
    money = "950\u202f€ prévus, 850\u202f€ dépensés (89\u202f%), reste 100\u202f€" \
        if lang == "fr" else "€950 planned, €850 spent (89%), €100 left"
    assert money in text and money in md and money in html
    doc = json.loads(json.dumps(rep.to_dict()))
    assert doc["version"] == 3
    assert doc["monday"]["budget"]["left"] == 100
    assert doc["monday"]["risks"][0]["dependents"][1] == "T032"  # v3: IDs
    assert doc["monday"]["blocked"][0]["reason"].startswith("Photographe")


@pytest.mark.parametrize("owner", [(), ("--owner", "Label")])
def test_json_written_names_a_risks_dependents_by_id_and_follows_schema_v3(
        tmp_path: Path, owner: tuple[str, ...]) -> None:
    """v3: a risk's dependents as IDs, in the order of the Monday's own list (v2 gave each
    as a whole task object: 97 MB of a 100,000-row plan's 128 MB report)."""
    from retrosheet.surfaces import open_store

    path = made_file(tmp_path / "plan.xlsx", SINGLE, "--release", "2027-05-14")
    out = tmp_path / "report.json"
    day = "2027-04-20"
    r = invoke("report", path, "--as-of", day, "--format", "json", "-o", out, *owner)
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    schema = json.loads(resources.files("retrosheet").joinpath(
        "schemas/report-v3.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())
    assert doc["version"] == 3
    rep = build_report(load_store(open_store(str(path))).plan, dt.date.fromisoformat(day),
                       owner=owner[-1] if owner else None)
    assert rep.monday is not None
    want = [(x.task.id, [d.id for d in x.dependents]) for x in rep.monday.risks]
    assert [(x["task"]["id"], x["dependents"]) for x in doc["monday"]["risks"]] == want
    assert any(ids for _, ids in want)  # the plan has late tasks others wait for
    v2 = json.loads(resources.files("retrosheet").joinpath(
        "schemas/report-v2.json").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, v2)


def test_owner_report_counts_only_their_money_and_tasks() -> None:
    p = monday_plan()
    rep = build_report(p, AS_OF, owner="Sam")
    assert rep.monday is not None
    assert (rep.monday.budget.total, rep.monday.budget.spent) == (750, 730)
    assert rep.monday.risks == []


# -------------------------------------------------------------- terminal (issue 11 item 8)

def test_terminal_colours_the_verdicts() -> None:
    # After J: the pre-saves (counted until J) and the other results can be judged.
    rep = build_report(monday_plan("fr"), J + dt.timedelta(days=10))
    text = to_text(rep, lambda t, role: click.style(t, **{
        "ok": {"fg": "green"}, "late": {"fg": "red"}, "due": {"fg": "yellow"},
        "title": {"bold": True}}.get(role, {})))
    assert click.style("Verdict a marché", fg="green") in text
    assert click.style("Verdict n'a pas marché", fg="red") in text


def test_long_lines_wrap_at_phrase_joints_for_120_columns() -> None:
    rep = report()
    plain = to_text(rep)
    assert max(len(x) for x in plain.splitlines()) > 120  # the case exists
    wrapped = to_text(rep, width=120)
    lines = wrapped.splitlines()
    assert max(len(x) for x in lines) <= 120
    # Same words, only the joints moved: nothing cut mid-phrase.
    assert re.sub(r"\s+", " ", wrapped) == re.sub(r"\s+", " ", plain)
    for x in lines:
        if x != x.lstrip() and x.strip().startswith(("Objectif", "Résultat", "% atteint",
                                                     "Dépensé", "Coût/unité", "Verdict")):
            assert x.startswith("    "), x  # a continuation, indented under its line


def test_wrap_phrases_never_splits_a_word_when_a_joint_exists() -> None:
    text = "  A: " + "x" * 130 + " · Verdict a marché"
    assert wrap_phrases(text, 120, "  ") == ["  A:", "    " + "x" * 130 + " ·",
                                             "    Verdict a marché"]
    words = "  " + " ".join(["mot"] * 60)
    assert all(len(x) <= 40 for x in wrap_phrases(words, 40, "  "))
