from __future__ import annotations

import datetime as dt

import pytest

from retrosheet.errors import PlanError
from retrosheet.followups import expand_followups, followup_id, parse_rule
from retrosheet.labels import TaskType
from retrosheet.model import Source, Task
from retrosheet.schedule import schedule
from retrosheet.workdays import WorkCalendar


def test_rules_make_rows_after_their_task_anchored_to_it() -> None:
    tasks = [Task("T010", action="Mailing radios", followup="+14", owner="Léa"),
             Task("T020", action="CP presse", followup="+7 x2"), Task("T030")]
    out = expand_followups(tasks, "fr")
    assert [t.id for t in out] == ["T010", "R010-1", "T020", "R020-1", "R020-2", "T030"]
    r = out[1]
    assert (r.type, r.anchors, r.offset, r.owner, r.action) == (
        TaskType.FOLLOWUP, ("T010",), 14, "Léa", "Relance 1 : Mailing radios")
    assert [out[3].offset, out[4].offset] == [7, 14]
    dates = schedule(out, dt.date(2027, 5, 14), WorkCalendar())
    assert dates["R010-1"].deadline == dates["T010"].deadline + dt.timedelta(days=14)


def test_expanding_twice_adds_nothing_and_keeps_user_edits() -> None:
    once = expand_followups([Task("T010", followup="+7 x2")], "en")
    once[1].owner = "Sam"
    once[1].notes = "called twice"
    twice = expand_followups(once, "en")
    assert [t.id for t in twice] == ["T010", "R010-1", "R010-2"]
    assert twice[1].owner == "Sam" and twice[1].notes == "called twice"
    assert twice[2].action == "Follow-up 2: "


@pytest.mark.parametrize("rule", ["+14", "14", "+14j", "+7 x2", "+7x3", "+ 7 × 2", "+10 days"])
def test_rule_syntax(rule: str) -> None:
    assert parse_rule(Task("T1", followup=rule)) is not None


@pytest.mark.parametrize(("rule", "message", "english"), [
    ("soon", "la règle de relance 'soon' n'est pas de la forme +14 ou +7 x2",
     "follow-up rule 'soon' is not of the form +14 or +7 x2"),
    ("+0", "règle de relance '+0' : le délai doit être d'au moins 1 jour",
     "follow-up rule '+0': the delay must be at least 1 day"),
    ("+7 x20", "règle de relance '+7 x20' : 20 relances, la limite est 10",
     "follow-up rule '+7 x20': 20 follow-ups, the limit is 10"),
])
def test_bad_rules(rule: str, message: str, english: str) -> None:
    task = Task("T1", followup=rule, source=Source("Planning", 4, {"followup": "M"}))
    with pytest.raises(PlanError) as err:
        parse_rule(task)
    assert str(err.value) == "Planning!M4 (T1) : " + message
    assert err.value.line("en") == "Planning!M4 (T1): " + english


def test_ids() -> None:
    assert followup_id("T010", 2) == "R010-2"
    assert followup_id("PR3", 1) == "R-PR3-1"
