"""Results per indicator: what the report and the Dashboard both say about objectives.

An indicator is a KPI within an axis, and the KPI is its unit (streams, vues, articles):
different indicators are never added. A cumulative indicator — a counter of the release
as a whole: streams, pre-saves, followers, monthly listeners, saves, tickets sold —
measured at several dates counts its latest measure, not the sum of its measures; a
count per action (articles, interviews, playlist adds, a post's views) adds up. No verdict is
given before the measuring window closes: a result is judged from its task's deadline,
and a pre-save campaign from the release day (pre-saves count until J).

Pure: the Dashboard's live formulas (retrosheet/design/dashboard.py) compute the same
figures from the Planning, and a LibreOffice test holds them to these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from .labels import Status, normalize
from .model import Scheduled, Task

# KPIs that count up over the campaign: a later measure includes the earlier ones.
CUMULATIVE: Final = frozenset(normalize(x) for x in (
    "streams", "écoutes", "pré-saves", "pre-saves", "presaves",
    "pré-sauvegardes", "abonnés", "followers", "auditeurs mensuels", "monthly listeners",
    "auditeurs", "listeners", "sauvegardes", "saves", "billets vendus", "tickets sold",
    "inscrits", "subscribers"))
# KPIs whose counting goes on until the release, whatever day the task that starts it.
UNTIL_RELEASE: Final = frozenset(normalize(x) for x in (
    "pré-saves", "pre-saves", "presaves", "pré-sauvegardes"))
# KPIs that are a level at a date (followers, monthly listeners): their change from one
# week to the next (History) says more than a sum.
LEVELS: Final = frozenset(normalize(x) for x in (
    "abonnés", "followers", "auditeurs mensuels", "monthly listeners", "auditeurs",
    "listeners", "inscrits", "subscribers"))


def indicator_key(kpi: str) -> str:
    return normalize(kpi)


def is_cumulative(kpi: str) -> bool:
    return indicator_key(kpi) in CUMULATIVE


def window_end(task: Task, deadline: dt.date, release: dt.date) -> dt.date:
    """The day a task's result can be judged."""
    if indicator_key(task.kpi) in UNTIL_RELEASE and deadline < release:
        return release
    return deadline


@dataclass(frozen=True)
class Measure:
    """One indicator's figures within a group of tasks (an axis, a platform)."""

    kpi: str  # as the plan spells it
    objective: float | None
    result: float | None
    measured_on: dt.date | None  # the measure counted: its deadline, or today if later
    # (cumulative only)
    closed: bool  # every measure counted has had its window close
    done: bool  # every measure counted is done
    cumulative: bool


def counted(tasks: Iterable[Task]) -> list[Task]:
    """The tasks whose figures count: cancelled ones do not."""
    return [t for t in tasks if t.status is not Status.CANCELLED]


def _total(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def measure(tasks: list[Task], dates: dict[str, Scheduled], release: dt.date,
            as_of: dt.date) -> Measure:
    """The figures of one indicator over `tasks` (all with that KPI)."""
    kpi = tasks[0].kpi.strip()
    cumulative = is_cumulative(kpi)
    if cumulative:
        measured = [t for t in tasks if t.result is not None]
        pool = measured or [t for t in tasks if t.objective is not None]
        if not pool:
            return Measure(kpi, None, None, None, False, False, True)
        last = max(dates[t.id].deadline for t in pool)
        at = [t for t in pool if dates[t.id].deadline == last]
        objective = _total(t.objective for t in at)
        result = _total(t.result for t in at) if measured else None
        used = at
        # A figure typed on a task still to come is today's: never "measured" in the future.
        on: dt.date | None = min(last, as_of) if measured else None
    else:
        # Once results come in, compare them with the objectives of the measured tasks
        # only: actions still to come would make every indicator look like a failure.
        with_objective = [t for t in tasks if t.objective is not None]
        measured = [t for t in with_objective if t.result is not None]
        used = measured or with_objective
        objective = _total(t.objective for t in used)
        pool = measured if with_objective else [t for t in tasks if t.result is not None]
        result = _total(t.result for t in pool)
        if not with_objective:
            used = pool
        on = None
    closed = bool(used) and all(
        as_of >= window_end(t, dates[t.id].deadline, release) for t in used)
    done = bool(used) and all(t.status is Status.DONE for t in used)
    return Measure(kpi, objective, result, on, closed, done, cumulative)


def by_indicator(tasks: Iterable[Task]) -> dict[str, list[Task]]:
    """Tasks with an objective or a result, by indicator, in order of first appearance
    (tasks with no KPI are one indicator of their own)."""
    out: dict[str, list[Task]] = {}
    for t in tasks:
        if t.objective is not None or t.result is not None:
            out.setdefault(indicator_key(t.kpi), []).append(t)
    return out
