"""The built-in templates: complete, bilingual, and true to the lead times of docs/lead-times.md."""

from __future__ import annotations

import datetime as dt

import pytest

from retrosheet.followups import parse_rule
from retrosheet.labels import Axis, TaskType, Unit
from retrosheet.new import new_plan
from retrosheet.templates import BUILTIN, load

FRIDAYS = [dt.date(2027, 5, 14), dt.date(2027, 11, 19), dt.date(2028, 1, 7)]


@pytest.mark.parametrize("name", list(BUILTIN))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_loads_in_both_languages_with_a_note_per_task(name: str, lang: str) -> None:
    tasks = load(name, lang).tasks
    assert len(tasks) >= 20
    for t in tasks:
        assert t.action and t.owner and t.notes, t.id
        assert not t.id.startswith("R")
    other = load(name, "en" if lang == "fr" else "fr").tasks
    assert [t.action for t in tasks] != [t.action for t in other]  # really translated
    milestones_at_j = [t for t in tasks if t.type is TaskType.MILESTONE
                       and t.anchors == ("J",) and t.offset == 0]
    assert len(milestones_at_j) == 1


@pytest.mark.parametrize("name", list(BUILTIN))
def test_uses_both_units_durations_chains_two_anchors_and_followups(name: str) -> None:
    tasks = load(name, "fr").tasks
    assert {t.unit for t in tasks} == {Unit.DAYS, Unit.WORKING_DAYS}
    assert any((t.duration or 0) > 1 for t in tasks)
    assert any(len(t.anchors) == 2 for t in tasks)
    ids = {t.id for t in tasks}
    assert any(a in ids for t in tasks for a in t.anchors)
    assert any(parse_rule(t) for t in tasks)


def test_single_and_album_cover_every_axis() -> None:
    for name in ("single", "album"):
        axes = {Axis.parse(t.axis) for t in load(name, "fr").tasks}
        assert axes == set(Axis), name


@pytest.mark.parametrize("release", FRIDAYS)
@pytest.mark.parametrize("name", ["single", "album"])
def test_platform_lead_times_hold(name: str, release: dt.date) -> None:
    made = new_plan(name, release)
    limit = 35 if release.month in (11, 12) else 21
    uploads = [t for t in made.plan.tasks if Axis.parse(t.axis) is Axis.DISTRIBUTION
               and any(w in t.action.lower() for w in ("livr", "distributeur"))]
    assert uploads, "no distribution upload task"
    for t in uploads:
        assert made.dates[t.id].deadline <= release - dt.timedelta(days=limit), t.id
    pitches = [t for t in made.plan.tasks if "spotify" in (t.platform + t.action).lower()
               and "pitch" in t.action.lower()]
    assert pitches
    for t in pitches:
        assert made.dates[t.id].deadline <= release - dt.timedelta(days=7), t.id


@pytest.mark.parametrize("name", list(BUILTIN))
def test_every_template_schedules_in_every_season(name: str) -> None:
    for release in FRIDAYS:
        made = new_plan(name, release, region="Alsace-Moselle")
        assert len(made.dates) == len(made.plan.tasks)


@pytest.mark.parametrize("name", list(BUILTIN))
@pytest.mark.parametrize("release", [*FRIDAYS, dt.date(2027, 6, 19)])
def test_templates_pass_their_own_checks(name: str, release: dt.date) -> None:
    from retrosheet.checks import check_plan

    made = new_plan(name, release)
    made.plan.settings.created = dt.date(2026, 9, 1)
    assert [str(f) for f in check_plan(made.plan, dt.date(2026, 9, 1))] == []
