"""The scheduler: every task's start and deadline from J, anchors and offsets (docs/dates.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .errors import Msg, PlanError, msg, raise_all
from .followups import MAX_FOLLOWUPS, parse_rule
from .labels import TaskType, Unit
from .model import RELEASE, Plan, Scheduled, Settings, Task
from .workdays import WorkCalendar


@dataclass(frozen=True)
class Problem:
    """One structural problem of the tasks, for both who report it: the scheduler raises
    `error` (its words: err.read.*), `check` words it from its rule `kind` (rules.py) and
    `facts`."""

    kind: str
    task: Task
    key: str  # the field at fault: its cell is named
    error: PlanError
    facts: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Structure:
    index: dict[str, Task]  # the first task of each usable ID
    order: list[str]  # the IDs, each after those it names
    problems: list[Problem]


def structure_of(tasks: Sequence[Task]) -> Structure:
    """Every structural problem of the tasks, each once, all of them (SPEC §3): a missing,
    reserved or duplicate ID (case apart: the sheet's MATCH ignores it), a duration below
    1, no anchor or an unknown one, a malformed follow-up rule, each cycle of anchors. The
    one validation of the tasks: the scheduler raises these, `check` lists them."""
    index: dict[str, Task] = {}
    folded: dict[str, Task] = {}  # MATCH in the sheet does not tell "a1" from "A1"
    problems: list[Problem] = []

    def add(kind: str, task: Task, key: str, said: Msg | PlanError, **facts: object) -> None:
        error = said if isinstance(said, PlanError) else task.error(key, said)
        problems.append(Problem(kind, task, key, error, facts))

    for task in tasks:
        twin = (index.get(task.id) or folded.get(task.id.casefold())) if task.id else None
        if not task.id:
            add("missing_id", task, "id", msg("err.read.no_id_task"))
        elif task.id == RELEASE:
            add("reserved_id", task, "id", msg("err.read.reserved_id", id=repr(RELEASE)))
        elif twin is not None:
            row = twin.source.row if twin.source else None
            where = msg("err.read.also_row", row=row) if row else ""
            case = "" if twin.id == task.id else msg("err.read.case_only", twin=repr(twin.id))
            add("duplicate_id", task, "id", msg("err.read.duplicate", id=repr(task.id),
                                                where=where, case=case),
                id=task.id, row=row, twin=twin.id)
        else:
            index[task.id] = task
            folded[task.id.casefold()] = task
        if not task.is_milestone and task.duration is not None and task.duration < 1:
            add("bad_duration", task, "duration", msg("err.read.duration_low", n=task.duration),
                n=task.duration)
        if not task.anchors:
            add("missing_anchor", task, "anchor", msg("err.read.no_anchor"))
    for task in tasks:  # what needs every ID known
        for a in task.anchors:
            if a != RELEASE and a not in index:
                add("unknown_anchor", task, "anchor",
                    msg("err.read.unknown_anchor", anchor=repr(a)), anchor=a)
        if task.type is not TaskType.FOLLOWUP and task.followup:
            try:
                parse_rule(task)
            except PlanError as exc:
                add("bad_followup_rule", task, "followup", exc, rule=task.followup.strip(),
                    max=MAX_FOLLOWUPS)
    order, cycles = anchor_order({tid: t.anchors for tid, t in index.items()})
    for cycle in cycles:  # on the row that closes it
        named = " → ".join(cycle)
        add("anchor_cycle", index[cycle[-2]], "anchor", msg("err.read.cycle", cycle=named),
            cycle=named)
    return Structure(index, order, problems)


def check_tasks(tasks: Sequence[Task]) -> Structure:
    """The tasks' structure, or every problem it has at once (`PlanErrors`, the first
    20 shown)."""
    found = structure_of(tasks)
    raise_all([p.error for p in found.problems])
    return found


def anchor_order(anchors: Mapping[str, Sequence[str]]) -> tuple[list[str], list[list[str]]]:
    """The IDs so that each comes after the IDs it names, and every cycle once, named in
    full (`[a, b, a]`: its last-but-one ID names the first). Names that are not keys of
    `anchors` (J, unknown IDs) are left out. The one cycle search of the code."""
    done: set[str] = set()
    seen: set[frozenset[str]] = set()
    order: list[str] = []
    cycles: list[list[str]] = []
    for root, named in anchors.items():
        if root in done:
            continue
        # Most rows name only rows already placed (or J): placed at once, as the walk
        # below would place them, without its stack.
        for a in named:
            if a not in done and a in anchors:
                break
        else:
            done.add(root)
            order.append(root)
            continue
        path: list[str] = []
        on_path: set[str] = set()
        # (ID, how many of its names are followed, its names that are keys): the names
        # are listed once, when the ID is entered.
        stack: list[tuple[str, int, list[str] | None]] = [(root, 0, None)]
        while stack:
            tid, i, names = stack.pop()
            if names is None:
                path.append(tid)
                on_path.add(tid)
                names = [a for a in anchors[tid] if a in anchors]
            if i < len(names):
                stack.append((tid, i + 1, names))
                nxt = names[i]
                if nxt in on_path:
                    cycle = path[path.index(nxt):]
                    if frozenset(cycle) not in seen:
                        seen.add(frozenset(cycle))
                        cycles.append([*cycle, nxt])
                elif nxt not in done:
                    stack.append((nxt, 0, None))
                continue
            path.pop()
            on_path.discard(tid)
            done.add(tid)
            order.append(tid)
    return order, cycles


def deadline_from(
    anchor_date: dt.date, offset: int, unit: Unit, cal: WorkCalendar, milestone: bool = False
) -> dt.date:
    if unit is Unit.WORKING_DAYS:
        return cal.workday(anchor_date, offset)
    if milestone or unit is Unit.FIXED_DAYS:
        # An event keeps its day (a Saturday concert stays on Saturday).
        return anchor_date + dt.timedelta(days=offset)
    return cal.round_away(anchor_date, offset)


def start_from(deadline: dt.date, duration: int | None, cal: WorkCalendar) -> dt.date:
    if not duration or duration <= 1:
        return deadline
    return cal.workday(deadline, -(duration - 1))


def schedule(tasks: list[Task], release: dt.date, cal: WorkCalendar,
             found: Structure | None = None) -> dict[str, Scheduled]:
    """Every task's dates, in the order of `tasks`. Raises PlanError naming the cell.
    `found`: the structure `check_tasks` already gave for these very tasks."""
    if found is None:
        found = check_tasks(tasks)
    out: dict[str, Scheduled] = {}
    try:
        for task in (found.index[tid] for tid in found.order):
            anchors = task.anchors
            if len(anchors) == 1:  # most rows: no min() of one
                a = anchors[0]
                anchor = release if a == RELEASE else out[a].deadline
            else:
                anchor = min(release if a == RELEASE else out[a].deadline for a in anchors)
            milestone = task.is_milestone
            deadline = deadline_from(anchor, task.offset, task.unit, cal, milestone)
            start = start_from(deadline, None if milestone else task.duration, cal)
            out[task.id] = Scheduled(start=start, deadline=deadline, anchor_date=anchor)
    except (OverflowError, ValueError) as exc:
        raise task.error("offset", msg("err.read.out_of_calendar", n=task.offset)) from exc
    return {t.id: out[t.id] for t in tasks}


def calendar_for(settings: Settings) -> WorkCalendar:
    return WorkCalendar(settings.country, settings.region, settings.days_off)


def compute(plan: Plan) -> dict[str, Scheduled]:
    """The plan's dates with the calendar its settings describe."""
    return schedule(plan.tasks, plan.settings.release, calendar_for(plan.settings))
