"""The weekly report, item by item, on a plan built to hold every case (docs/contract.md §6)."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import jsonschema
import pytest

from retrosheet.followups import expand_followups
from retrosheet.labels import Reply, Status, TaskType
from retrosheet.model import Contact, Member, Plan, Settings, Source, Task
from retrosheet.render import to_markdown, to_text
from retrosheet.rendering import render_report
from retrosheet.report import Report, Verdict, build_report
from retrosheet.report_cells import report_rows

J = dt.date(2027, 5, 14)
AS_OF = dt.date(2027, 4, 28)  # a Wednesday: week of 26/04 to 02/05, J-16


def plan(lang: str = "fr") -> Plan:
    tasks = [
        Task("T010", "Livrer au distributeur", axis="Distribution", owner="Léa", offset=-35,
             status=Status.DONE),
        Task("T020", "Mailing radios", axis="Radio", owner="Sam", offset=-21, followup="+7 x2",
             status=Status.DONE, objective=20, result=25, budget=600, spent=550,
             kpi="diffusions", platform="Radios locales"),
        Task("T030", "Communiqué de presse", axis="Presse", owner="Léa", offset=-28,
             status=Status.IN_PROGRESS),  # 16/04: late
        Task("T040", "Séance photo", axis="Contenu", owner="Noé", offset=-20,
             status=Status.BLOCKED),  # 23/04 (Sat 24 → Fri 23): late and blocked
        Task("T050", "Pub Meta", axis="Publicité", owner="Sam", offset=-30, status=Status.DONE,
             objective=100, result=40, budget=150, spent=180, kpi="pré-saves",
             platform="Instagram"),  # overspent, did not work
        Task("T060", "Teaser TikTok", axis="Réseaux sociaux", owner="Noé", offset=-14,
             objective=10000, kpi="vues", platform="TikTok"),  # due this week (30/04)
        Task("T070", "Pitch Spotify", axis="Playlists", owner="Léa", offset=-10,
             platform="Spotify"),  # due next week (04/05)
        Task("T080", "Post annulé", axis="Réseaux sociaux", owner="Noé", offset=-13,
             status=Status.CANCELLED),
        Task("T090", "Sortie", type=TaskType.MILESTONE, duration=None, owner="Léa"),
        Task("T100", "Concert de sortie", axis="Concerts", owner="Sam", offset=8,
             objective=200, result=150, kpi="billets", status=Status.DONE, platform="Shotgun"),
    ]
    settings = Settings(release=J, lang=lang, title="Nuit blanche", artist="Lune Rousse",
                        team=(Member("Léa", "lea@example.org", "Manager"),
                              Member("Sam", "sam@example.org", "Promo radio")))
    p = Plan(settings, expand_followups(tasks, lang))
    p.contacts = [
        Contact("C1", "Radio", "FIP", "Anne", "anne@fip.example", "T020", reply=Reply.YES,
                replied=dt.date(2027, 4, 20)),
        Contact("C2", "Radio", "Radio Nova", "Bob", "bob@nova.example", "T020"),
        Contact("C3", "Radio", "RTL2", "", "prog@rtl2.example", "T020", reply=Reply.NONE),
        Contact("C4", "Presse", "Libération", "Chloé", "chloe@libe.example", "T030",
                reply=Reply.NO, replied=dt.date(2027, 4, 22)),
    ]
    return p


@pytest.fixture(params=["fr", "en"])
def rep(request: pytest.FixtureRequest) -> Report:
    p = plan(request.param)
    return build_report(p, AS_OF)


def test_header_and_week(rep: Report) -> None:
    assert rep.days_to_release == 16 and rep.j_label == "J-16"
    assert rep.week == (dt.date(2027, 4, 26), dt.date(2027, 5, 2))


def test_late_and_blocked(rep: Report) -> None:
    assert [(x.id, x.deadline, x.days_late) for x in rep.late] == [
        ("T030", dt.date(2027, 4, 16), 12),
        ("T040", dt.date(2027, 4, 23), 5),
    ]
    assert [x.id for x in rep.blocked] == ["T040"]


def test_due_this_week_and_next_by_owner(rep: Report) -> None:
    this = {o: [x.id for x in xs] for o, xs in rep.due_this_week.items()}
    nxt = {o: [x.id for x in xs] for o, xs in rep.due_next_week.items()}
    # R020-1 is 30/04 (23/04 + 7), R020-2 is 07/05; T080 is cancelled.
    assert this == {"Noé": ["T060"], "Sam": ["R020-1"]}
    assert nxt == {"Léa": ["T070"], "Sam": ["R020-2"]}


def test_followups_due_and_contacts_to_chase(rep: Report) -> None:
    assert len(rep.followups_due) == 1
    due = rep.followups_due[0]
    assert due.line.id == "R020-1" and due.waiting == 2
    assert [(c.outlet, c.email, c.followup, c.round) for c in due.chase] == [
        ("Radio Nova", "bob@nova.example", dt.date(2027, 4, 30), 1),
        ("RTL2", "prog@rtl2.example", dt.date(2027, 4, 30), 1),
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_tasks_without_an_owner_are_grouped_under_an_empty_owner_shown_as_no_owner(
        lang: str) -> None:
    """The JSON says "" (as each task's owner does), never a display dash; the group
    comes last and reads "Sans responsable" / "No owner" in every format."""
    p = plan(lang)
    p.by_id()["T060"].owner = ""
    rep = build_report(p, AS_OF)
    assert list(rep.due_this_week) == ["Sam", ""]
    groups = rep.to_dict()["due_this_week"]
    assert [(g["owner"], [x["owner"] for x in g["tasks"]]) for g in groups] == [
        ("Sam", ["Sam"]), ("", [""])]
    shown = "Sans responsable" if lang == "fr" else "No owner"
    assert f"\n  {shown}\n    T060 " in to_text(rep)
    assert f"**{shown}**" in to_markdown(rep)
    assert "—\n" not in to_text(rep)
    assert f'<p class="owner">{shown} (1)</p>' in render_report(rep, "html")
    assert [shown] in [[c.value for c in row if c and c.value] for row in report_rows(rep)]


@pytest.mark.parametrize("status", [Status.TODO, Status.IN_PROGRESS, Status.BLOCKED,
                                    Status.CANCELLED])
def test_a_follow_up_is_not_due_before_its_send_is_done(status: Status) -> None:
    """No one follows up a mailing never sent: R020-1 and R020-2 wait for T020, neither
    late nor due nor to send nor a priority, in the data, the JSON and the text; the late
    send's risk still names them."""
    p = plan()
    p.by_id()["T020"].status = status
    for day in (AS_OF, dt.date(2027, 5, 3)):  # R020-1 due this week, then 3 days past
        rep = build_report(p, day)
        ids = {x.id for x in rep.late} | {x.id for xs in (*rep.due_this_week.values(),
                                                          *rep.due_next_week.values())
                                          for x in xs}
        assert not ids & {"R020-1", "R020-2"}
        assert rep.followups_due == []
        assert rep.monday is not None
        assert not {x.task.id for x in rep.monday.priorities} & {"R020-1", "R020-2"}
        doc = rep.to_dict()
        listed = {x["id"] for x in doc["late"]} | {
            x["id"] for key in ("due_this_week", "due_next_week") for g in doc[key]
            for x in g["tasks"]}
        assert not listed & {"R020-1", "R020-2"} and doc["followups_due"] == []
        assert not [x for x in to_text(rep).splitlines() if x.lstrip().startswith("R020-")]
    risks = {r.task.id: [d.id for d in r.dependents] for r in rep.monday.risks}
    if status is not Status.CANCELLED:
        assert "R020-1" in risks["T020"]  # the late send: what waits for it
    # Once sent, its follow-ups are due again (test_followups_due_and_contacts_to_chase).
    p.by_id()["T020"].status = Status.DONE
    assert [x.line.id for x in build_report(p, AS_OF).followups_due] == ["R020-1"]


def test_progress_by_axis(rep: Report) -> None:
    by = {p.axis: p for p in rep.progress}
    social = by["Réseaux sociaux" if rep.lang == "fr" else "Social"]
    assert (social.total, social.done, social.cancelled, social.late) == (2, 0, 1, 0)
    radio = by["Radio"]
    assert (radio.total, radio.done) == (3, 1)  # T020 and its two follow-ups
    presse = by["Presse" if rep.lang == "fr" else "Press"]
    assert (presse.late, presse.share_done) == (1, 0.0)


def test_results_verdicts_cost_per_unit(rep: Report) -> None:
    by_action = {r.key: r for r in rep.results_by_action}
    assert set(by_action) == {"T020", "T050", "T100"}  # measured or spent
    radio, ads, live = by_action["T020"], by_action["T050"], by_action["T100"]
    assert (radio.reached, radio.cost_per_unit, radio.verdict) == (1.25, 22.0, Verdict.WORKED)
    # Pre-saves count until J and the concert's tickets until J+8: no verdict at J-16.
    assert (ads.reached, ads.cost_per_unit, ads.verdict) == (0.4, 4.5, Verdict.PENDING)
    assert (live.reached, live.verdict) == (0.75, Verdict.PENDING)
    later = build_report(plan(rep.lang), J + dt.timedelta(days=10))
    judged = {r.key: r.verdict for r in later.results_by_action}
    assert (judged["T050"], judged["T100"]) == (Verdict.FAILED, Verdict.IMPROVE)
    platforms = {r.key: r for r in rep.results_by_platform}
    assert platforms["TikTok"].verdict is Verdict.PENDING  # no result yet
    axes = {r.key: r for r in rep.results_by_axis}
    assert axes["Radio"].budget == 600 and axes["Radio"].spent == 550


def test_reply_rate_by_axis(rep: Report) -> None:
    rates = {r.axis: (r.contacts, r.replied, r.yes, r.no) for r in rep.replies}
    press = "Presse" if rep.lang == "fr" else "Press"
    assert rates == {"Radio": (3, 1, 1, 0), press: (1, 1, 0, 1)}


def test_findings_include_overspend(rep: Report) -> None:
    codes = {(f.code, f.task) for f in rep.findings}
    assert ("over_budget", "T050") in codes


def test_owner_filter() -> None:
    p = plan()
    rep = build_report(p, AS_OF, owner="sam")
    assert {x.owner for x in rep.timeline} == {"Sam"}
    assert rep.late == [] and list(rep.due_this_week) == ["Sam"]


def test_text_report_fr_exact_lines() -> None:
    p = plan("fr")
    text = to_text(build_report(p, AS_OF))
    lines = text.splitlines()
    assert lines[0] == ("Rapport — Nuit blanche — Lune Rousse — au 28/04/2027 : J-16 "
                        "(sortie le 14/05/2027)")
    assert "En retard (2)" in lines
    assert "  T030 16/04/2027 Communiqué de presse — Léa (12 j de retard)" in lines
    assert "À faire cette semaine (du 26/04 au 02/05)" in lines
    assert ("    à relancer : Radio Nova (Bob, bob@nova.example) — envoyé le 23/04/2027, "
            "relance 1 le 30/04/2027") in lines
    assert any(x.startswith("  Mailing radios : ") and "a marché" in x for x in lines)
    assert "  Radio : 1/3 réponses (33\u202f%), 1 oui, 0 non" in lines


def test_text_report_en_exact_lines() -> None:
    p = plan("en")
    lines = to_text(build_report(p, AS_OF)).splitlines()
    assert lines[0] == ("Report — Nuit blanche — Lune Rousse — as of 2027-04-28: J-16 "
                        "(release on 2027-05-14)")
    assert "  T030 2027-04-16 Communiqué de presse — Léa (12 d late)" in lines
    assert "Due this week (04-26 to 05-02)" in lines
    assert "  Radio: 1/3 replies (33%), 1 yes, 0 no" in lines


def test_markdown_has_every_section() -> None:
    p = plan("fr")
    md = to_markdown(build_report(p, AS_OF))
    for title in ("## En retard (2)", "## À faire cette semaine", "## Semaine prochaine",
                  "## Relances à envoyer (1)", "## Bloqué (1)", "## Avancement par axe",
                  "## Résultats par axe", "## Résultats par plateforme",
                  "## Résultats par action", "## Taux de réponse par axe",
                  "## Points de contrôle"):
        assert title in md, title
    assert "| Radio | diffusions | 20 | 25 | 125\u202f% | 600\u202f€ | 550\u202f€ |" in md


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_json_validates_against_the_published_schema(lang: str) -> None:
    p = plan(lang)
    doc = json.loads(json.dumps(build_report(p, AS_OF).to_dict()))
    schema = json.loads(resources.files("retrosheet").joinpath(
        "schemas/report-v3.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())
    assert doc["late"][0]["id"] == "T030" and doc["late"][0]["status"] == "in_progress"
    assert doc["followups_due"][0]["chase"][0]["followup"] == "2027-04-30"
    bad = dict(doc, version=1)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    # v2: the Monday sections are there and checked too.
    assert set(doc["monday"]) == {"budget", "risks", "checklist", "blocked", "priorities"}
    broken = dict(doc, monday=dict(doc["monday"], budget={"total": 1}))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_json_written_is_the_json_of_the_report_data(lang: str) -> None:
    """The command writes each task's JSON text made straight (report_json.task_text): the
    same text as the report's data encoded, quotes, accents and control characters too."""
    from retrosheet.report_json import json_text, report_chunks, task_dict, task_text

    p = plan(lang)
    p.tasks[0].action = 'Dire "bonjour" \\ à\tl\'équipe\n'
    p.tasks[1].owner = "Zoë\u2028"
    p.tasks[2].source = Source("Planning", 12, {"deadline": "K"})
    rep = build_report(p, AS_OF)
    assert rep.late and rep.monday and rep.monday.risks
    assert any(x.cell == "Planning!K12" for x in rep.timeline)
    for x in rep.timeline:
        assert json.loads(task_text(x, lang)) == task_dict(x, lang)
        assert task_text(x, lang) == json.dumps(task_dict(x, lang), ensure_ascii=False)
    assert "".join(report_chunks(rep)) == json_text(rep.to_dict())
