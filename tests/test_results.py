"""Results per indicator (issue 10 item 5, issue 11 item 3): the report's two defects and
the rules that fix them (retrosheet/results.py)."""

from __future__ import annotations

import datetime as dt

from retrosheet.labels import Status
from retrosheet.model import Plan, Task
from retrosheet.new import new_plan
from retrosheet.report import Verdict, build_report

J = dt.date(2027, 5, 14)


def single(**figures: dict[str, float | Status]) -> Plan:
    plan = new_plan("single", J, lang="fr").plan
    tasks = plan.by_id()
    for tid, values in figures.items():
        for key, value in values.items():
            setattr(tasks[tid], key, value)
    return plan


def by_axis(plan: Plan, day: dt.date) -> dict[str, tuple[float | None, float | None, Verdict]]:
    rep = build_report(plan, day, findings=[])
    return {r.key: (r.objective, r.result, r.verdict) for r in rep.results_by_axis}


def test_pre_saves_are_not_judged_before_j() -> None:
    """The pre-save set-up is done at J-28 and 62 of 150 pre-saves are in at J-15: the
    campaign runs until J, so no verdict yet (it said "n'a pas marché")."""
    plan = single(T240={"status": Status.DONE, "result": 62})
    rep = build_report(plan, J - dt.timedelta(days=15), findings=[])
    action = next(r for r in rep.results_by_action if r.key == "T240")
    assert (action.reached, action.verdict) == (62 / 150, Verdict.PENDING)
    assert by_axis(plan, J - dt.timedelta(days=15))["Distribution"][2] is Verdict.PENDING
    # From J on, the campaign is over and judged.
    assert by_axis(plan, J)["Distribution"] == (150, 62, Verdict.FAILED)


def test_streams_count_the_latest_measure_not_the_sum() -> None:
    """Streams at J+7 (target 3 000) and J+28 (target 10 000) measure the same counter:
    the axis' objective is 10 000, not 13 000; its result the J+28 figure."""
    def streams(plan: Plan, day: dt.date) -> tuple[float | None, float | None, Verdict]:
        rep = build_report(plan, day, findings=[])
        r = next(r for r in rep.results_by_indicator if r.key == "Admin" and r.kpi == "streams")
        return r.objective, r.result, r.verdict

    plan = single()
    assert streams(plan, J)[:2] == (10000, None)
    plan = single(T480={"status": Status.DONE, "result": 2800})
    assert streams(plan, J + dt.timedelta(days=8)) == (3000, 2800, Verdict.IMPROVE)
    plan = single(T480={"status": Status.DONE, "result": 2800},
                  T550={"status": Status.DONE, "result": 11000})
    day = J + dt.timedelta(days=30)
    assert streams(plan, day) == (10000, 11000, Verdict.WORKED)
    rep = build_report(plan, day, findings=[])
    admin = [r for r in rep.results_by_indicator if r.key == "Admin" and r.kpi == "streams"]
    assert [(r.result, r.measured_on, r.cumulative) for r in admin] == [
        (11000, dt.date(2027, 6, 11), True)]


def test_a_measure_typed_before_its_deadline_is_dated_today() -> None:
    """Streams typed at J-5 on the J+7 task: « Mesuré le 21/05/2027 » was a day to come."""
    plan = single(T480={"result": 900})
    day = J - dt.timedelta(days=5)
    rep = build_report(plan, day, findings=[])
    admin = [r for r in rep.results_by_indicator if r.key == "Admin" and r.kpi == "streams"]
    assert [(r.result, r.measured_on) for r in admin] == [(900, day)]


def test_different_units_are_never_added() -> None:
    """Publicité has pre-saves (J-3) and streams (J+14): two indicators, no axis total."""
    plan = single(T380={"status": Status.DONE, "result": 120},
                  T510={"status": Status.DONE, "result": 4000})
    day = J + dt.timedelta(days=20)
    assert by_axis(plan, day)["Publicité"][:2] == (None, None)
    rep = build_report(plan, day, findings=[])
    ads = {r.kpi: (r.objective, r.result, r.verdict) for r in rep.results_by_indicator
           if r.key == "Publicité"}
    assert {k: ads[k] for k in ("pré-saves", "streams")} == {
        "pré-saves": (100, 120, Verdict.WORKED), "streams": (5000, 4000, Verdict.IMPROVE)}


def test_counts_per_action_add_up() -> None:
    tasks = [Task("A1", "Article 1", axis="Presse", kpi="articles", objective=2, result=1,
                  status=Status.DONE, offset=-20),
             Task("A2", "Article 2", axis="Presse", kpi="Articles", objective=3, result=3,
                  status=Status.DONE, offset=-10)]
    plan = new_plan("single", J, lang="fr").plan
    plan.tasks = tasks
    assert by_axis(plan, J)["Presse"] == (5, 4, Verdict.IMPROVE)
