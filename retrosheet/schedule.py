"""The scheduler: every task's start and deadline from J, anchors and offsets (docs/dates.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from .errors import RetrosheetError, msg, raise_all
from .labels import Unit
from .model import RELEASE, Plan, Scheduled, Settings, Task
from .workdays import WorkCalendar


def check_tasks(tasks: list[Task]) -> dict[str, Task]:
    """Index tasks by ID, refusing what no date can be computed for: every such task at
    once (`PlanErrors`)."""
    index: dict[str, Task] = {}
    folded: dict[str, Task] = {}  # MATCH in the sheet does not tell "a1" from "A1"
    problems: list[RetrosheetError] = []
    for task in tasks:
        if not task.id:
            problems.append(task.error("id", msg("err.read.no_id_task")))
            continue
        if task.id == RELEASE:
            problems.append(task.error("id", msg("err.read.reserved_id", id=repr(RELEASE))))
            continue
        twin = index.get(task.id) or folded.get(task.id.casefold())
        if twin is not None:
            first = twin.source
            where = msg("err.read.also_row", row=first.row) if first else ""
            case = "" if twin.id == task.id else msg("err.read.case_only", twin=repr(twin.id))
            problems.append(task.error("id", msg("err.read.duplicate", id=repr(task.id),
                                                 where=where, case=case)))
            continue
        if not task.is_milestone and task.duration is not None and task.duration < 1:
            problems.append(task.error("duration", msg("err.read.duration_low", n=task.duration)))
        if not task.anchors:
            problems.append(task.error("anchor", msg("err.read.no_anchor")))
        index[task.id] = task
        folded[task.id.casefold()] = task
    for task in tasks:
        for a in task.anchors:
            if a != RELEASE and a not in index:
                problems.append(task.error("anchor",
                                           msg("err.read.unknown_anchor", anchor=repr(a))))
    raise_all(problems)
    return index


def anchor_order(anchors: Mapping[str, Sequence[str]]) -> tuple[list[str], list[list[str]]]:
    """The IDs so that each comes after the IDs it names, and every cycle once, named in
    full (`[a, b, a]`: its last-but-one ID names the first). Names that are not keys of
    `anchors` (J, unknown IDs) are left out. The one cycle search of the code."""
    done: set[str] = set()
    seen: set[frozenset[str]] = set()
    order: list[str] = []
    cycles: list[list[str]] = []
    for root in anchors:
        if root in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        stack: list[tuple[str, int]] = [(root, 0)]
        while stack:
            tid, i = stack.pop()
            if i == 0:
                path.append(tid)
                on_path.add(tid)
            names = [a for a in anchors[tid] if a in anchors]
            if i < len(names):
                stack.append((tid, i + 1))
                nxt = names[i]
                if nxt in on_path:
                    cycle = path[path.index(nxt):]
                    if frozenset(cycle) not in seen:
                        seen.add(frozenset(cycle))
                        cycles.append([*cycle, nxt])
                elif nxt not in done:
                    stack.append((nxt, 0))
                continue
            path.pop()
            on_path.discard(tid)
            done.add(tid)
            order.append(tid)
    return order, cycles


def _order(index: dict[str, Task]) -> list[Task]:
    """Tasks so that each comes after its anchors; a cycle is named in full."""
    order, cycles = anchor_order({tid: t.anchors for tid, t in index.items()})
    if cycles:
        cycle = cycles[0]
        raise index[cycle[-2]].error("anchor", msg("err.read.cycle", cycle=" → ".join(cycle)))
    return [index[tid] for tid in order]


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


def schedule(tasks: list[Task], release: dt.date, cal: WorkCalendar) -> dict[str, Scheduled]:
    """Every task's dates, in the order of `tasks`. Raises PlanError naming the cell."""
    index = check_tasks(tasks)
    out: dict[str, Scheduled] = {}
    try:
        for task in _order(index):
            anchor = min(
                release if a == RELEASE else out[a].deadline for a in task.anchors
            )
            deadline = deadline_from(anchor, task.offset, task.unit, cal, task.is_milestone)
            start = start_from(deadline, None if task.is_milestone else task.duration, cal)
            out[task.id] = Scheduled(start=start, deadline=deadline, anchor_date=anchor)
    except (OverflowError, ValueError) as exc:
        raise task.error("offset", msg("err.read.out_of_calendar", n=task.offset)) from exc
    return {t.id: out[t.id] for t in tasks}


def calendar_for(settings: Settings) -> WorkCalendar:
    return WorkCalendar(settings.country, settings.region, settings.days_off)


def compute(plan: Plan) -> dict[str, Scheduled]:
    """The plan's dates with the calendar its settings describe."""
    return schedule(plan.tasks, plan.settings.release, calendar_for(plan.settings))
