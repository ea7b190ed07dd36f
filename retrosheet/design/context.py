"""What every sheet of the design is built from: the plan, its dates, the day, the refs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final, Literal

from .. import layout as L
from ..labels import Labeled, Status, sheet_name
from ..model import Plan, Scheduled, Task
from ..words import langs
from .model import paper_for

VALIDATION_EXTRA_ROWS: Final = 300  # dropdowns also on the rows a user adds below the table
DONE_OR_CANCELLED: Final = (Status.DONE, Status.CANCELLED)
# Planning prints at this scale: its 11-point text stays above 8 points on paper.
PLANNING_SCALE: Final = 80


def or_equals(cell: str, statuses: tuple[Labeled, ...]) -> str:
    labels = [x for lang in langs() for s in statuses for x in dict.fromkeys([s.label(lang)])]
    return "OR(" + ",".join(f'{cell}="{x}"' for x in labels) + ")"


@dataclass
class Context:
    plan: Plan
    dates: dict[str, Scheduled]
    today: dt.date
    lang: str = field(init=False)
    refs: L.Refs = field(init=False)
    rows: list[Task] = field(init=False)
    weeks: range = field(init=False)
    paper: Literal["A4", "Letter"] = field(init=False)
    planning_scale: int = PLANNING_SCALE

    def __post_init__(self) -> None:
        self.lang = self.plan.settings.lang
        self.refs = L.Refs(sheet_name("settings", self.lang))
        d = self.dates
        self.rows = sorted(self.plan.tasks, key=lambda t: (d[t.id].deadline, d[t.id].start))
        self.weeks = L.strip_weeks(self.plan.settings.release, d.values())
        self.paper = paper_for(self.plan.settings.country)
