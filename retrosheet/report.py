"""The weekly report as data: what is late, due, blocked, who to chase, what worked.

Pure: built from a plan, its computed dates and a date (`as_of`). Renderers (text, md,
html, json) and the Report sheet only format what is here, so every format says the same.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .checks import Finding, check_plan
from .effective import EffectivePlan, effective_of
from .followups import send_of, waits_for_send
from .history import PastMeasure, week_before
from .labels import Axis, Labeled, Status, TaskType, axis_label, platform_label
from .model import Contact, Plan, Scheduled, Task
from .monday import Monday, build_monday
from .results import by_indicator, counted, measure, window_end

# 2: the Monday sections, results per indicator; 3: a risk's dependents as task IDs
# (schemas/report-v3.json)
SCHEMA_VERSION = 3
CLOSED = (Status.DONE, Status.CANCELLED)


class Verdict(Labeled):
    WORKED = ("verdict.worked",)
    IMPROVE = ("verdict.improve",)
    FAILED = ("verdict.failed",)
    PENDING = ("verdict.pending",)  # no result yet


@dataclass(frozen=True)
class VerdictThresholds:
    """Share of the objective reached: ≥ worked → worked; ≥ improve → to improve."""

    worked: float = 1.0
    improve: float = 0.5


@dataclass(frozen=True)
class TaskLine:
    id: str
    action: str
    owner: str
    axis: str
    type: TaskType
    start: dt.date
    deadline: dt.date
    status: Status
    days_late: int  # 0 when not late
    cell: str | None  # where the task sits: "Planning!K12"


@dataclass(frozen=True)
class ChaseLine:
    """A contact to chase: it has not answered and its follow-up date has come."""

    outlet: str
    name: str
    email: str
    task: str
    sent: dt.date
    followup: dt.date
    round: int  # 1 or 2


@dataclass(frozen=True)
class FollowUpDue:
    line: TaskLine
    waiting: int | None  # contacts of the sending task still without reply (None: no contact)
    chase: tuple[ChaseLine, ...]


@dataclass(frozen=True)
class AxisProgress:
    axis: str
    total: int
    done: int
    in_progress: int
    late: int
    blocked: int
    cancelled: int

    @property
    def share_done(self) -> float:
        counted = self.total - self.cancelled
        return self.done / counted if counted else 0.0


@dataclass(frozen=True)
class Result:
    """Objective, result and spend for one action, axis or platform."""

    key: str  # task ID, axis or platform
    label: str
    kpi: str
    objective: float | None
    result: float | None
    budget: float | None
    spent: float | None
    verdict: Verdict
    measured_on: dt.date | None = None  # a cumulative indicator: the measure counted
    cumulative: bool = False
    # An indicator: its measure on History nearest to 7 days before (retrosheet/history.py)
    previous: float | None = None
    previous_on: dt.date | None = None

    @property
    def change(self) -> float | None:
        """Week on week: this measure less the previous one (None: either is missing)."""
        if self.result is None or self.previous is None:
            return None
        return self.result - self.previous

    @property
    def reached(self) -> float | None:
        if not self.objective or self.result is None:
            return None
        return self.result / self.objective

    @property
    def cost_per_unit(self) -> float | None:
        if not self.result or self.spent is None:
            return None
        return self.spent / self.result


@dataclass(frozen=True)
class ReplyRate:
    axis: str
    contacts: int
    replied: int
    yes: int
    no: int

    @property
    def rate(self) -> float:
        return self.replied / self.contacts if self.contacts else 0.0


@dataclass
class Report:
    title: str
    artist: str
    release: dt.date
    as_of: dt.date
    lang: str
    owner: str | None
    late: list[TaskLine] = field(default_factory=list)
    due_this_week: dict[str, list[TaskLine]] = field(default_factory=dict)
    due_next_week: dict[str, list[TaskLine]] = field(default_factory=dict)
    followups_due: list[FollowUpDue] = field(default_factory=list)
    blocked: list[TaskLine] = field(default_factory=list)
    progress: list[AxisProgress] = field(default_factory=list)
    results_by_action: list[Result] = field(default_factory=list)
    results_by_axis: list[Result] = field(default_factory=list)
    results_by_platform: list[Result] = field(default_factory=list)
    results_by_indicator: list[Result] = field(default_factory=list)  # key: the axis
    replies: list[ReplyRate] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    timeline: list[TaskLine] = field(default_factory=list)  # every task, by deadline
    monday: Monday | None = None  # budget, risks, hard deadlines, blocked, priorities

    @property
    def days_to_release(self) -> int:
        """J-n: positive before the release, negative after."""
        return (self.release - self.as_of).days

    @property
    def j_label(self) -> str:
        n = -self.days_to_release
        return "J" if n == 0 else f"J{n:+d}"

    @property
    def week(self) -> tuple[dt.date, dt.date]:
        monday = self.as_of - dt.timedelta(days=self.as_of.weekday())
        return monday, monday + dt.timedelta(days=6)

    def to_dict(self) -> dict[str, Any]:
        from .report_json import report_to_dict

        return report_to_dict(self)


def _verdict(objective: float | None, result: float | None, done: bool,
             th: VerdictThresholds, closed: bool = True) -> Verdict:
    """No verdict before the measuring window closes (see retrosheet/results.py)."""
    if not objective or result is None or not closed:
        return Verdict.PENDING
    share = result / objective
    if share >= th.worked:
        return Verdict.WORKED
    if not done:
        return Verdict.PENDING  # under way: too early to say it did not work
    return Verdict.IMPROVE if share >= th.improve else Verdict.FAILED


def _sum(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def build_report(
    source: Plan | EffectivePlan,
    as_of: dt.date,
    *,
    owner: str | None = None,
    thresholds: VerdictThresholds | None = None,
    findings: list[Finding] | None = None,
    history: Sequence[PastMeasure] = (),
) -> Report:
    """The report of a plan as of `as_of`, for everyone or for one owner: the effective
    plan's tasks (follow-up rows its rules ask for included) and dates. `history`: the
    indicators' measures recorded on History (history.past_measures), for each indicator's
    change since the week before."""
    th = thresholds or VerdictThresholds()
    eff = effective_of(source)
    plan, dates = eff.plan, eff.dates
    lang = plan.settings.lang
    st = plan.settings
    rep = Report(title=st.title, artist=st.artist, release=st.release, as_of=as_of, lang=lang,
                 owner=owner)
    sunday = rep.week[1]
    next_sunday = sunday + dt.timedelta(days=7)
    wanted = (lambda t: True) if owner is None else (
        lambda t: t.owner.strip().casefold() == owner.strip().casefold())
    index = plan.by_id()
    unsent = frozenset(t.id for t in plan.tasks if waits_for_send(t, index))

    def line(t: Task) -> TaskLine:
        d = dates[t.id]
        status = t.status or Status.TODO
        late = (as_of - d.deadline).days if d.deadline < as_of and status not in CLOSED \
            and t.id not in unsent else 0
        cell = t.source.cell("deadline") if t.source else None
        return TaskLine(t.id, t.action, t.owner, axis_label(t.axis, lang), t.type, d.start,
                        d.deadline, status, late,
                        f"{t.source.sheet}!{cell}" if t.source and cell else None)

    mine = [t for t in plan.tasks if wanted(t)]
    lines = sorted((line(t) for t in mine), key=lambda x: (x.deadline, x.id))
    rep.timeline = lines
    for x in lines:
        if x.status in CLOSED:
            continue
        if x.days_late:
            rep.late.append(x)
        elif x.id in unsent:
            pass  # a follow-up of a send not done: nothing to chase yet
        elif x.deadline <= sunday:
            rep.due_this_week.setdefault(x.owner, []).append(x)
        elif x.deadline <= next_sunday:
            rep.due_next_week.setdefault(x.owner, []).append(x)
        if x.status is Status.BLOCKED:
            rep.blocked.append(x)
    # By owner, tasks without one ("", shown as "no owner") last.
    rep.due_this_week = dict(sorted(rep.due_this_week.items(), key=lambda g: (not g[0], g[0])))
    rep.due_next_week = dict(sorted(rep.due_next_week.items(), key=lambda g: (not g[0], g[0])))
    rep.followups_due = _followups_due(eff, [x for x in lines if x.id not in unsent], sunday)
    rep.progress = _progress(mine, lines, lang)
    (rep.results_by_action, rep.results_by_axis, rep.results_by_platform,
     rep.results_by_indicator) = _results(mine, lang, th, dates, st.release, as_of)
    rep.results_by_indicator = [_with_previous(r, history, as_of)
                                for r in rep.results_by_indicator]
    rep.replies = _replies(plan, lang)
    rep.monday = build_monday(plan, dates, lines, as_of, sunday, unsent)
    rep.findings = findings if findings is not None else check_plan(eff, as_of)
    return rep


def _followups_due(eff: EffectivePlan, lines: list[TaskLine],
                   sunday: dt.date) -> list[FollowUpDue]:
    plan = eff.plan
    index = plan.by_id()
    by_task: dict[str, list[Contact]] = defaultdict(list)
    for c in plan.contacts:
        by_task[c.task].append(c)
    out = []
    for x in lines:
        task = index[x.id]
        if x.type is not TaskType.FOLLOWUP or x.status in CLOSED or x.deadline > sunday:
            continue
        sender = send_of(task, index)
        chase: list[ChaseLine] = []
        waiting: int | None = None
        if sender is not None and by_task.get(sender.id):
            waiting = 0
            for c in by_task.get(sender.id, []):
                if c.answered:
                    continue
                waiting += 1
                sent = c.sent or eff.dates[sender.id].deadline
                rounds = eff.contact_dates(c)
                # The follow-up row R090-2 is round 2: its contacts are chased on their
                # own round-2 date.
                n = _round(task.id)
                day = rounds[n - 1] if n <= len(rounds) else None
                if day is not None and day <= sunday:
                    chase.append(ChaseLine(c.outlet, c.name, c.email, sender.id, sent, day, n))
        out.append(FollowUpDue(x, waiting, tuple(chase)))
    return out


def _round(followup_id: str) -> int:
    """`R090-2` → 2: which follow-up of its task a row is (1 when the ID does not say)."""
    tail = followup_id.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() and "-" in followup_id else 1


def _axis_order(lang: str, present: set[str]) -> list[str]:
    known = [a.label(lang) for a in Axis if a.label(lang) in present]
    return known + sorted(present - set(known))


def _progress(tasks: list[Task], lines: list[TaskLine], lang: str) -> list[AxisProgress]:
    by_axis: dict[str, list[TaskLine]] = defaultdict(list)
    for x in lines:
        by_axis[x.axis or "—"].append(x)
    out = []
    for axis in _axis_order(lang, set(by_axis)):
        xs = by_axis[axis]
        out.append(AxisProgress(
            axis, len(xs),
            sum(x.status is Status.DONE for x in xs),
            sum(x.status is Status.IN_PROGRESS for x in xs),
            sum(bool(x.days_late) for x in xs),
            sum(x.status is Status.BLOCKED for x in xs),
            sum(x.status is Status.CANCELLED for x in xs),
        ))
    return out


def _results(tasks: list[Task], lang: str, th: VerdictThresholds,
             dates: dict[str, Scheduled], release: dt.date, as_of: dt.date
             ) -> tuple[list[Result], list[Result], list[Result], list[Result]]:
    measured = [t for t in counted(tasks) if (
        t.objective is not None or t.result is not None or t.budget is not None
        or t.spent is not None)]
    # By action: the actions that have a result or a spend to show, not every plan line.
    actions = [Result(t.id, t.action, t.kpi, t.objective, t.result, t.budget, t.spent,
                      _verdict(t.objective, t.result, t.status is Status.DONE, th,
                               as_of >= window_end(t, dates[t.id].deadline, release)))
               for t in measured if t.result is not None or t.spent is not None]

    def figures(key: str, ts: list[Task]) -> Result:
        # One indicator: its figures; several: they do not add up, so no objective.
        groups = by_indicator(ts)
        m = measure(next(iter(groups.values())), dates, release, as_of) \
            if len(groups) == 1 else None
        return Result(key, key, m.kpi if m else "", m.objective if m else None,
                      m.result if m else None, _sum([t.budget for t in ts]),
                      _sum([t.spent for t in ts]),
                      _verdict(m.objective, m.result, m.done, th, m.closed) if m
                      else Verdict.PENDING,
                      m.measured_on if m else None, m.cumulative if m else False)

    def group(key_of: Any) -> list[Result]:
        groups: dict[str, list[Task]] = defaultdict(list)
        for t in measured:
            key = key_of(t)
            if key:
                groups[key].append(t)
        return [figures(key, groups[key]) for key in sorted(groups)]

    by_axis = group(lambda t: axis_label(t.axis, lang))
    order = {a: i for i, a in enumerate(_axis_order(lang, {r.key for r in by_axis}))}
    by_axis.sort(key=lambda r: order[r.key])
    indicators = []
    of_axis: dict[str, list[Task]] = defaultdict(list)  # one walk, not one an axis
    for t in measured:
        of_axis[axis_label(t.axis, lang)].append(t)
    for r in by_axis:
        ts = of_axis[r.key]
        for ind in by_indicator(ts).values():
            m = measure(ind, dates, release, as_of)
            indicators.append(Result(r.key, r.key, m.kpi, m.objective, m.result, None, None,
                                     _verdict(m.objective, m.result, m.done, th, m.closed),
                                     m.measured_on, m.cumulative))
    return actions, by_axis, group(lambda t: platform_label(t.platform.strip(), lang)), indicators


def _with_previous(r: Result, history: Sequence[PastMeasure], as_of: dt.date) -> Result:
    past = week_before(history, r.key, r.kpi, as_of)
    return r if past is None else replace(r, previous=past.value, previous_on=past.day)


def _replies(plan: Plan, lang: str) -> list[ReplyRate]:
    index = plan.by_id()
    by_axis: dict[str, list[Contact]] = defaultdict(list)
    for c in plan.contacts:
        axis = c.axis or (index[c.task].axis if c.task in index else "")
        by_axis[axis_label(axis, lang) or "—"].append(c)
    from .labels import Reply

    return [ReplyRate(axis, len(cs), sum(c.answered for c in cs),
                      sum(c.reply is Reply.YES for c in cs),
                      sum(c.reply is Reply.NO for c in cs))
            for axis in _axis_order(lang, set(by_axis)) for cs in [by_axis[axis]]]
