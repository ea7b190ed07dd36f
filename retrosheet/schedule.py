"""The scheduler: every task's start and deadline from J, anchors and offsets (SPEC §3)."""

from __future__ import annotations

import datetime as dt

from .labels import Unit
from .model import RELEASE, Plan, Scheduled, Settings, Task
from .workdays import WorkCalendar


def check_tasks(tasks: list[Task]) -> dict[str, Task]:
    """Index tasks by ID, refusing what no date can be computed for."""
    index: dict[str, Task] = {}
    for task in tasks:
        if not task.id:
            raise task.error("id", "the task has no ID")
        if task.id == RELEASE:
            raise task.error("id", f"ID {RELEASE!r} is reserved for the release day")
        if task.id in index:
            first = index[task.id].source
            where = f" (also row {first.row})" if first else ""
            raise task.error("id", f"duplicate ID {task.id!r}{where}")
        if not task.is_milestone and task.duration is not None and task.duration < 1:
            raise task.error("duration", f"duration {task.duration} is below 1 working day")
        if not task.anchors:
            raise task.error("anchor", "no anchor: write J or a task ID")
        index[task.id] = task
    for task in tasks:
        for a in task.anchors:
            if a != RELEASE and a not in index:
                raise task.error("anchor", f"unknown anchor {a!r}: no task has that ID")
    return index


def _order(index: dict[str, Task]) -> list[Task]:
    """Tasks so that each comes after its anchors; a cycle is named in full."""
    done: set[str] = set()
    order: list[Task] = []
    for root in index:
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
            anchors = [a for a in index[tid].anchors if a != RELEASE]
            if i < len(anchors):
                stack.append((tid, i + 1))
                nxt = anchors[i]
                if nxt in on_path:
                    cycle = [*path[path.index(nxt):], nxt]
                    raise index[tid].error(
                        "anchor", "anchors form a cycle: " + " → ".join(cycle)
                    )
                if nxt not in done:
                    stack.append((nxt, 0))
                continue
            path.pop()
            on_path.discard(tid)
            done.add(tid)
            order.append(index[tid])
    return order


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
        raise task.error("offset", f"offset {task.offset} leads out of the calendar") from exc
    return {t.id: out[t.id] for t in tasks}


def calendar_for(settings: Settings) -> WorkCalendar:
    return WorkCalendar(settings.country, settings.region, settings.days_off)


def compute(plan: Plan) -> dict[str, Scheduled]:
    """The plan's dates with the calendar its settings describe."""
    return schedule(plan.tasks, plan.settings.release, calendar_for(plan.settings))
