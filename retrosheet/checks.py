"""Checks on a plan (SPEC §5): redundancy, incoherence, timing, platform rules.

The rules are data (rules.py: one row each, with its message and source); this module
runs them. Structural hooks (IDs, anchors, cycles, rules, durations) and the checks that
need no dates live here; date hooks in check_timing.py. Pure: takes a Plan, returns
findings, never raises on what the plan contains, since a broken plan is exactly what
`check` has to describe. When the structure is broken no date can be trusted, so the
date-based checks are skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .check_timing import timing
from .checker import CLOSED, DEFAULT_THRESHOLDS, Checker, Finding, Thresholds, money_text
from .effective import EffectivePlan, effective_of
from .errors import PlanError
from .followups import MAX_FOLLOWUPS, followup_id, parse_rule
from .labels import Reply, TaskType, normalize, platform_label
from .model import Plan, Task
from .rules import Severity
from .schedule import Structure, structure_of
from .words import formats, t

__all__ = ["Finding", "Severity", "Thresholds", "check_plan", "has_errors"]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def check_plan(
    plan: Plan | EffectivePlan, today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Finding]:
    """Every finding of the rules table, errors first, then warnings, then info, by row.

    The effective plan is checked (the follow-up rows its rules ask for included). When
    no date can be computed, the plan as typed is, and every structural problem is
    listed. `today` keeps weekly runs quiet about the past: an owner's overloaded week or
    an axis's silence that is already over is not reported.
    """
    failure: PlanError | None = None
    try:
        eff: EffectivePlan | None = effective_of(plan)
    except PlanError as exc:
        eff, failure = None, exc
    target = eff.plan if eff is not None else plan
    assert isinstance(target, Plan)  # effective_of only fails on a Plan
    c = Checker(target, today, thresholds)
    structure(c, eff.structure() if eff is not None else None)
    if not c.found:
        if eff is not None:
            timing(c, eff)
        elif failure is not None:
            failed(c, failure)
    content(c)
    contacts(c)
    c.out.sort(key=lambda item: (item[1].severity.rank, item[0], item[1].row or 0))
    return [f for _, f in c.out]


def failed(c: Checker, exc: PlanError) -> None:
    """No date could be computed though the structure is sound: the calendar (an unknown
    country or region) or an offset leading out of the calendar."""
    if exc.task is None:
        c.add("bad_calendar", detail=exc.text(c.lang))
    else:
        c.add("schedule_error", c.index.get(exc.task), "offset", detail=exc.text(c.lang))


def structure(c: Checker, found: Structure | None = None) -> None:
    """What makes dates impossible; all of it, not just the first (SPEC §3): found by the
    scheduler's own validation (schedule.structure_of, or `found`: what it found of these
    tasks), worded as findings."""
    for p in (found or structure_of(c.plan.tasks)).problems:
        facts = dict(p.facts)
        if p.kind == "duplicate_id":
            row, twin = facts.pop("row"), facts.pop("twin")
            facts["also"] = t("check.duplicate_id.also", c.lang, row=row) if row else ""
            facts["case"] = ("" if twin == p.task.id
                             else t("err.read.case_only", c.lang, twin=repr(twin)))
        c.add(p.kind, p.task, p.key, **facts)


def content(c: Checker) -> None:
    """Checks that need no dates: owners, money, leftover follow-ups."""
    lg = c.lang
    total_budget = total_spent = 0.0
    unwanted: dict[str, frozenset[str] | None] = {}  # a task's: worked out once
    for task in c.plan.tasks:
        if not task.owner.strip() and not task.is_milestone and task.status not in CLOSED:
            c.add("no_owner", task, "owner")
        # Only a templates' platform in another language: the user's own text is theirs.
        label = platform_label(task.platform.strip(), lg)
        if normalize(label) != normalize(task.platform):
            c.add("platform_language", task, "platform", text=task.platform.strip(),
                  label=label)
        budget, spent = task.budget, task.spent
        total_budget += budget or 0
        total_spent += spent or 0
        if budget is not None and spent is not None and spent > budget:
            over = spent - budget
            # No percentage of a zero budget.
            pct = f" (+{formats.percent(over / budget, lg)})" if budget > 0 else ""
            c.add("over_budget", task, "spent", spent=money_text(spent, lg),
                  budget=money_text(budget, lg), over=money_text(over, lg), pct=pct)
        orphan(c, task, unwanted)
    # Over budget overall even when each row looks fine (spend typed on unbudgeted rows).
    budgeted = sum(1 for t in c.plan.tasks if t.budget)
    if budgeted > 1 and total_spent > total_budget:
        c.add("total_over_budget", spent=money_text(total_spent, lg),
              budget=money_text(total_budget, lg),
              over=money_text(total_spent - total_budget, lg))


def orphan(c: Checker, task: Task, unwanted: dict[str, frozenset[str] | None]) -> None:
    """A generated follow-up row whose rule no longer asks for it. `unwanted`: a parent
    task's follow-up IDs its rule does not ask for (None: a wrong rule), each parent's
    worked out once."""
    # A row read from a sheet has no `parent`: its task is the one it depends on.
    parent_id = task.parent or (task.anchors[0] if task.anchors else None)
    if task.type is not TaskType.FOLLOWUP or not parent_id:
        return
    parent = c.index.get(parent_id)
    if parent is None:
        return  # an unknown anchor, already reported when anchored to it
    if parent.id in unwanted:
        ids = unwanted[parent.id]
    else:
        try:
            rule = parse_rule(parent)
        except PlanError:
            ids = None  # reported as bad_followup_rule
        else:
            count = rule.count if rule else 0
            ids = frozenset(followup_id(parent.id, n) for n in range(count + 1,
                                                                      MAX_FOLLOWUPS + 1))
        unwanted[parent.id] = ids
    if ids is not None and task.id in ids:
        text = parent.followup.strip()
        why = (t("check.orphan_followup.changed", c.lang, rule=text) if text
               else t("check.orphan_followup.removed", c.lang))
        c.add("orphan_followup", task, "id", parent=parent.id, why=why)


def contacts(c: Checker) -> None:
    """Light checks: each contact points to a task; an answer has its date."""
    for contact in c.plan.contacts:
        who = contact.outlet or contact.name or contact.id or "?"
        if not contact.task.strip():
            c.add_contact("contact_no_task", contact, "task", who=who)
        elif contact.task not in c.index:
            c.add_contact("contact_unknown_task", contact, "task", who=who, task=contact.task)
        if contact.reply in (Reply.YES, Reply.NO) and contact.replied is None:
            c.add_contact("contact_reply_undated", contact, "replied", who=who,
                          reply=contact.reply.label(c.lang))
