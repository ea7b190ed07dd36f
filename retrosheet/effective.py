"""The effective plan: what a plan means, the same on every surface.

A plan read from a sheet may lack the follow-up rows its rules ask for (someone typed
`+7 x2` and did not recompute). Every command and every button asks this module what the
plan is: the tasks with those rows generated, every task's dates, and the facts the
checks, the report and the Dashboard share (contacts' follow-up dates). Nothing else
expands follow-ups or computes a date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from .errors import PlanError, RetrosheetError, in_language
from .followups import Rule, contact_followups, expand_followups, followup_id, parse_rule
from .labels import TaskType
from .model import Contact, Plan, Scheduled, Task
from .schedule import Structure, calendar_for, check_tasks, schedule
from .workdays import WorkCalendar


@dataclass
class EffectivePlan:
    """A plan as it means: `plan.tasks` include the generated follow-up rows."""

    plan: Plan
    dates: dict[str, Scheduled]
    calendar: WorkCalendar
    added: list[Task] = field(default_factory=list)  # follow-up rows the sheet lacks
    rules: dict[str, Rule | None] = field(default_factory=dict)  # task ID → its rule
    _index: dict[str, Task] = field(default_factory=dict, repr=False)
    # What the scheduler found of the structure of these tasks (no problem: it gave dates).
    _structure: tuple[list[Task], Structure] | None = field(default=None, repr=False)

    @property
    def tasks(self) -> list[Task]:
        return self.plan.tasks

    def rule(self, task_id: str) -> Rule | None:
        """A task's follow-up rule (None: no rule, or one the checks report as wrong)."""
        if task_id not in self.rules:
            if len(self._index) != len(self.plan.tasks):  # built once, not once a task
                self._index = self.plan.by_id()
            task = self._index.get(task_id)
            try:
                self.rules[task_id] = parse_rule(task) if task is not None else None
            except PlanError:
                self.rules[task_id] = None
        return self.rules[task_id]

    def structure(self) -> Structure | None:
        """What the scheduler found of the tasks' structure, so that `check` does not look
        again (None: not known for these tasks, e.g. a copy with other tasks)."""
        got = self._structure
        return got[1] if got is not None and got[0] is self.plan.tasks else None

    def contact_dates(self, contact: Contact) -> list[dt.date | None]:
        """A contact's follow-up dates (Relance 1, 2): from the day it was sent (else its
        task's deadline) by its task's rule; none once it answered or without a rule."""
        task_dates = self.dates.get(contact.task)
        if task_dates is None:
            return [None, None]
        sent = contact.sent or task_dates.deadline
        return contact_followups(contact, self.rule(contact.task), sent, self.calendar)

    def orphans(self) -> list[Task]:
        """Follow-up rows whose task no longer has a rule asking for them."""
        index = self.plan.by_id()
        out = []
        for t in self.plan.tasks:
            if t.type is not TaskType.FOLLOWUP or not t.anchors:
                continue
            parent = index.get(t.anchors[0])
            if parent is None:
                continue
            rule = self.rule(parent.id)
            wanted = {followup_id(parent.id, n) for n in range(1, (rule.count if rule else 0) + 1)}
            if t.id.startswith(followup_id(parent.id, 0)[:-1]) and t.id not in wanted:
                out.append(t)
        return out


def effective(plan: Plan) -> EffectivePlan:
    """The plan with the follow-up rows its rules ask for, and every task's dates.

    The plan given is not changed. Raises PlanError (naming the cell) when no date can be
    computed: an unknown anchor, a cycle, a duplicate ID, a malformed rule.
    """
    lang = plan.settings.lang
    try:
        # Every problem at once, a malformed rule with the others.
        found = check_tasks(plan.tasks)
        tasks = expand_followups(list(plan.tasks), lang)
        known = {id(t) for t in plan.tasks}
        added = [t for t in tasks if id(t) not in known]
        if added:  # the rows made have IDs and anchors too
            found = check_tasks(tasks)
        full = dataclasses.replace(plan, tasks=tasks)
        cal = calendar_for(plan.settings)
        dates = schedule(tasks, plan.settings.release, cal, found)
    except RetrosheetError as exc:
        raise in_language(exc, lang) from None
    return EffectivePlan(full, dates, cal, added, _structure=(tasks, found))


def effective_of(plan: Plan | EffectivePlan) -> EffectivePlan:
    """`plan` as an effective plan (already one: as it is)."""
    return plan if isinstance(plan, EffectivePlan) else effective(plan)
