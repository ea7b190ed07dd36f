"""The plan as data: tasks, settings, and where each came from.

Nothing here reads or writes files. Backends turn a sheet into these objects and the
engine (schedule, followups) computes on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .errors import Msg, PlanError
from .labels import Reply, Status, TaskType, Unit

RELEASE = "J"


@dataclass(slots=True)  # one per task: 100,000 on a big plan
class Source:
    """Where a task was read: lets every error name the sheet and the cell."""

    sheet: str
    row: int  # 1-based row in the sheet
    columns: dict[str, str]  # field key → column letter

    def cell(self, key: str) -> str | None:
        col = self.columns.get(key)
        return f"{col}{self.row}" if col else None


def located(source: Source | None, key: str, message: str | Msg, task: str) -> PlanError:
    """An error at the cell of `key` on the row `source` names (when it is known)."""
    return PlanError(message, sheet=source.sheet if source else None,
                     cell=source.cell(key) if source else None, task=task or None)


@dataclass(slots=True)  # 100,000 on a big plan: no dict each
class Task:
    id: str
    action: str = ""
    type: TaskType = TaskType.TASK
    axis: str = ""
    owner: str = ""
    anchors: tuple[str, ...] = (RELEASE,)
    offset: int = 0
    unit: Unit = Unit.DAYS
    duration: int | None = 1
    status: Status | None = None
    followup: str = ""
    platform: str = ""
    kpi: str = ""
    objective: float | None = None
    result: float | None = None
    budget: float | None = None
    spent: float | None = None
    notes: str = ""
    # Dates typed in the sheet (kept for checks; the engine recomputes its own).
    start: dt.date | None = None
    deadline: dt.date | None = None
    # Keys of date cells the user typed as values instead of formulas ("start", "deadline").
    typed: frozenset[str] = frozenset()
    # Generated follow-up rows: the task they follow.
    parent: str | None = None
    source: Source | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_milestone(self) -> bool:
        """A point in time (an event, or a release inside the plan): no duration."""
        return self.type in (TaskType.MILESTONE, TaskType.RELEASE)

    @property
    def is_release(self) -> bool:
        return self.type is TaskType.RELEASE

    def error(self, key: str, message: str | Msg) -> PlanError:
        """An error located at this task's cell for `key`."""
        return located(self.source, key, message, self.id)


@dataclass
class Contact:
    """An outlet reached by a sending task (a row of the Contacts sheet)."""

    id: str = ""
    axis: str = ""
    outlet: str = ""
    name: str = ""
    email: str = ""
    task: str = ""  # the sending task's ID
    sent: dt.date | None = None  # defaults to that task's deadline
    reply: Reply | None = None
    replied: dt.date | None = None
    outcome: str = ""
    followup1: dt.date | None = None
    followup2: dt.date | None = None
    notes: str = ""
    source: Source | None = None

    @property
    def answered(self) -> bool:
        return self.reply in (Reply.YES, Reply.NO)

    def error(self, key: str, message: str | Msg) -> PlanError:
        """An error located at this contact's cell for `key`, naming its task."""
        return located(self.source, key, message, self.task)


@dataclass
class Member:
    name: str
    email: str = ""
    role: str = ""


@dataclass
class Settings:
    release: dt.date
    lang: str = "fr"
    country: str = "FR"
    region: str = ""
    title: str = ""
    artist: str = ""
    template: str = ""
    created: dt.date | None = None  # the day `new` wrote the plan
    days_off: tuple[dt.date, ...] = ()  # extra days off typed by the team
    team: tuple[Member, ...] = ()
    # Where a plan read back keeps its release date and days off ("$B$3", "$E$3:$E$400"),
    # so rewritten formulas point where the user's sheet has them.
    cells: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    settings: Settings
    tasks: list[Task]
    contacts: list[Contact] = field(default_factory=list)

    def by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}


@dataclass(frozen=True)
class Scheduled:
    """A task's computed dates: what the engine owns."""

    start: dt.date
    deadline: dt.date
    anchor_date: dt.date
