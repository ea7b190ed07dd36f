"""Follow-up (relance) rows generated from a task's rule: `+14`, `+7 x2`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import msg
from .labels import Status, TaskType, Unit, word
from .model import Contact, Task
from .workdays import WorkCalendar

_RULE = re.compile(
    r"^\+?\s*(\d+)\s*(?:j|d|jours?|days?)?\s*(?:[x×*]\s*(\d+))?$", re.IGNORECASE
)
MAX_FOLLOWUPS = 10


@dataclass(frozen=True)
class Rule:
    interval: int  # calendar days between the send and each follow-up
    count: int

    def __str__(self) -> str:
        return f"+{self.interval}" + (f" x{self.count}" if self.count > 1 else "")


def parse_rule(task: Task) -> Rule | None:
    text = task.followup.strip()
    if not text:
        return None
    m = _RULE.match(text)
    if not m:
        raise task.error("followup", msg("err.read.rule_form", rule=repr(text)))
    interval, count = int(m.group(1)), int(m.group(2) or 1)
    if interval < 1:
        raise task.error("followup", msg("err.read.rule_delay", rule=repr(text)))
    if not 1 <= count <= MAX_FOLLOWUPS:
        raise task.error("followup", msg("err.read.rule_count", rule=repr(text), count=count,
                                         max=MAX_FOLLOWUPS))
    return Rule(interval, count)


def followup_id(task_id: str, n: int) -> str:
    """`T010` → `R010-1`; other ids keep their whole text: `PR3` → `R-PR3-1`."""
    if task_id[:1] in "Tt" and task_id[1:2].isdigit():
        return f"R{task_id[1:]}-{n}"
    return f"R-{task_id}-{n}"


def make_followup(parent: Task, rule: Rule, n: int, lang: str) -> Task:
    return Task(
        id=followup_id(parent.id, n),
        type=TaskType.FOLLOWUP,
        axis=parent.axis,
        action=word("followup_of", lang).format(n=n, action=parent.action),
        owner=parent.owner,
        anchors=(parent.id,),
        offset=rule.interval * n,
        unit=Unit.DAYS,
        duration=1,
        platform=parent.platform,
        notes=word("followup_note", lang).format(rule=rule, id=parent.id),
        parent=parent.id,
    )


def send_of(task: Task, index: Mapping[str, Task]) -> Task | None:
    """The task a follow-up row chases: its parent, or else its first anchor that is a
    task (a row read back from the sheet knows its send by its Dépend de cell)."""
    if task.type is not TaskType.FOLLOWUP:
        return None
    if task.parent:
        return index.get(task.parent)
    return next((index[a] for a in task.anchors if a in index), None)


def waits_for_send(task: Task, index: Mapping[str, Task]) -> bool:
    """A follow-up whose send is not done: no one follows up a pitch never sent, so it is
    neither due nor late until the send is marked done (a cancelled send, never). The
    Dashboard and the Planning's colours say the same in formulas (design/)."""
    send = send_of(task, index)
    return send is not None and send.status is not Status.DONE


def expand_followups(tasks: list[Task], lang: str) -> list[Task]:
    """The tasks with each rule's missing follow-up rows placed after their task.

    Rows that already exist (matched by ID) are kept as the user left them, so running
    this again adds nothing.
    """
    existing = {t.id for t in tasks}
    out: list[Task] = []
    for task in tasks:
        out.append(task)
        if task.type is TaskType.FOLLOWUP:
            continue
        rule = parse_rule(task)
        if rule is None:
            continue
        for n in range(1, rule.count + 1):
            if followup_id(task.id, n) not in existing:
                out.append(make_followup(task, rule, n, lang))
    return out


CONTACT_FOLLOWUPS = 2  # the Contacts sheet has Relance 1 and Relance 2


def contact_followups(contact: Contact, rule: Rule | None, sent: dt.date,
                      cal: WorkCalendar) -> list[dt.date | None]:
    """A contact's follow-up dates (moved forward to working days, as follow-up rows are);
    none once it answered."""
    if rule is None or contact.answered:
        return [None] * CONTACT_FOLLOWUPS
    return [cal.round_away(sent, rule.interval * n)
            if n <= rule.count else None for n in range(1, CONTACT_FOLLOWUPS + 1)]
