"""The Monday summary (issue 10 item 6): money, risks, hard deadlines, why things are
blocked, and this week's priorities. Pure: built from the plan, its dates and the report's
task lines, so every format (text, md, html, json, Report sheet) says the same.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .kinds import Kind, kinds_of
from .labels import Labeled, Status
from .model import RELEASE, Plan, Scheduled, Task

if TYPE_CHECKING:
    from .report import TaskLine

CLOSED = (Status.DONE, Status.CANCELLED)
PRIORITIES = 5  # a Monday list that fits on a phone screen
DEPENDENTS_SHOWN = 6


class Hard(Labeled):
    """The deadlines that cannot slip: a platform or the law sets them."""

    UPLOAD = ("hard.upload",)
    PITCH = ("hard.pitch",)
    RIGHTS = ("hard.rights",)
    STOCK = ("hard.stock",)


_HARD_KIND = {Hard.UPLOAD: Kind.UPLOAD, Hard.PITCH: Kind.PITCH, Hard.RIGHTS: Kind.RIGHTS,
              Hard.STOCK: Kind.STOCK}
_HARD_KINDS = frozenset(_HARD_KIND.values())


class State(Labeled):
    DONE = ("deadline_state.done",)
    LATE = ("deadline_state.late",)
    THIS_WEEK = ("deadline_state.this_week",)
    ON_TRACK = ("deadline_state.on_track",)
    MISSING = ("deadline_state.missing",)


@dataclass(frozen=True)
class Budget:
    total: float  # planned spend over the plan
    spent: float
    unbudgeted: float  # spent on rows with no budget

    @property
    def left(self) -> float:
        return self.total - self.spent

    @property
    def share_spent(self) -> float | None:
        return self.spent / self.total if self.total else None


@dataclass(frozen=True)
class Risk:
    """A late task and the open tasks that depend on it (through their anchors)."""

    task: TaskLine
    dependents: tuple[TaskLine, ...]


@dataclass(frozen=True)
class Check:
    """One line of the hard-deadline checklist."""

    kind: Hard
    state: State
    task: TaskLine | None  # None: no such task in the plan


@dataclass(frozen=True)
class BlockedLine:
    task: TaskLine
    reason: str  # the task's notes: why it is blocked


class Why(Labeled):
    LATE = ("why.late",)
    HARD = ("why.hard",)
    BLOCKS = ("why.blocks",)
    DUE = ("why.due",)


@dataclass(frozen=True)
class Priority:
    task: TaskLine
    why: tuple[Why, ...]
    dependents: int


@dataclass
class Monday:
    budget: Budget
    risks: list[Risk] = field(default_factory=list)
    checklist: list[Check] = field(default_factory=list)
    blocked: list[BlockedLine] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)


class Dependents:
    """Task ID → IDs of every task anchored to it, directly or down a chain, in plan order;
    each worked out when first asked (a Monday asks for the late and due tasks only)."""

    def __init__(self, tasks: list[Task]) -> None:
        # Tasks as their plan positions (an ID typed twice: its last row, as `sorted` by
        # position had it): the walks and the sort are on ints, not strings.
        self.at = at = {t.id: i for i, t in enumerate(tasks)}
        self.ids = [t.id for t in tasks]
        self.children: dict[int, list[int]] = defaultdict(list)
        for t in tasks:
            me = at[t.id]
            for a in t.anchors:
                if a != RELEASE and a in at:
                    self.children[at[a]].append(me)
        self.known: dict[str, list[str]] = {}

    def get(self, root: str, default: tuple[str, ...] = ()) -> list[str] | tuple[str, ...]:
        known = self.known.get(root)
        if known is not None:
            return known
        start = self.at.get(root)
        children = self.children
        if start not in children:
            return default
        seen: set[int] = set()
        stack = list(children[start])
        while stack:
            i = stack.pop()
            if i not in seen and i != start:
                seen.add(i)
                if i in children:
                    stack.extend(children[i])
        ids = self.ids
        known = self.known[root] = [ids[i] for i in sorted(seen)]
        return known


def build_monday(plan: Plan, dates: dict[str, Scheduled], lines: list[TaskLine],
                 as_of: dt.date, sunday: dt.date, unsent: frozenset[str] = frozenset()
                 ) -> Monday:
    """The Monday sections for the tasks in `lines` (one owner's, or everyone's).
    `unsent`: follow-ups whose send is not done, never a priority (followups.py)."""
    index = plan.by_id()
    mine = [index[x.id] for x in lines if x.id in index]
    by_line = {x.id: x for x in lines}
    live = [t for t in mine if t.status is not Status.CANCELLED]
    budget = Budget(
        total=sum(t.budget or 0 for t in live),
        spent=sum(t.spent or 0 for t in live),
        unbudgeted=sum(t.spent or 0 for t in live if not t.budget))
    deps = Dependents(plan.tasks)
    open_line = {x.id: x for x in lines if x.status not in CLOSED}
    risks = []
    for x in lines:
        if x.days_late and x.status not in CLOSED:
            ids = deps.get(x.id)
            risks.append(Risk(x, tuple([open_line[d] for d in ids if d in open_line])
                              if ids else ()))
    # A late task's open dependents are its risk's: counted once, not again for priorities.
    waiting = {r.task.id: len(r.dependents) for r in risks}
    risks.sort(key=lambda r: (-len(r.dependents), -r.task.days_late, r.task.id))
    kinds = [kinds_of(t) for t in mine]  # asked once a task: a plan has 100,000 of them
    return Monday(
        budget=budget, risks=risks,
        checklist=_checklist(mine, kinds, by_line, as_of, sunday),
        blocked=[BlockedLine(by_line[t.id], " ".join(t.notes.split()))
                 for t in mine if t.status is Status.BLOCKED and t.id in by_line],
        priorities=_priorities(mine, kinds, deps, open_line, sunday, waiting, unsent))


def _state(x: TaskLine, sunday: dt.date) -> State:
    if x.status is Status.DONE:
        return State.DONE
    if x.days_late:
        return State.LATE
    return State.THIS_WEEK if x.deadline <= sunday else State.ON_TRACK


def _checklist(tasks: list[Task], kinds: list[frozenset[Kind]], lines: dict[str, TaskLine],
               as_of: dt.date, sunday: dt.date) -> list[Check]:
    physical = any(ks & {Kind.STOCK, Kind.PRESSING} for ks in kinds)
    hard_ones = [(t, ks) for t, ks in zip(tasks, kinds, strict=True)
                 if ks & _HARD_KINDS and t.status is not Status.CANCELLED and t.id in lines]
    out: list[Check] = []
    for hard, kind in _HARD_KIND.items():
        xs = sorted((lines[t.id] for t, ks in hard_ones if kind in ks),
                    key=lambda x: (x.deadline, x.id))
        if not xs:
            if hard is not Hard.STOCK or physical:
                out.append(Check(hard, State.MISSING, None))
            continue
        out += [Check(hard, _state(x, sunday), x) for x in xs]
    return out


def _priorities(tasks: list[Task], kinds: list[frozenset[Kind]], deps: Dependents,
                open_line: dict[str, TaskLine], sunday: dt.date,
                waiting: dict[str, int], unsent: frozenset[str]) -> list[Priority]:
    """The few open tasks to do first this week: late ones, hard deadlines, the ones others
    wait for, then what is due. `waiting`: the late tasks' open dependents, counted."""
    # The order's first two keys split the tasks into four tiers (late and hard first):
    # only the tiers that fill the list are ranked, and only the tasks shown get a line.
    tiers: tuple[list[tuple[TaskLine, bool]], ...] = ([], [], [], [])
    for t, ks in zip(tasks, kinds, strict=True):
        x = open_line.get(t.id)
        if x is None or t.id in unsent or (not x.days_late and x.deadline > sunday):
            continue
        hard = bool(ks & _HARD_KINDS)
        tiers[(0 if x.days_late else 2) + (0 if hard else 1)].append((x, hard))
    out: list[Priority] = []
    for tier in tiers:
        if len(out) >= PRIORITIES:
            break
        ranked = [(x, hard, waiting[x.id] if x.days_late else
                   sum(1 for d in deps.get(x.id) if d in open_line)) for x, hard in tier]
        # The few first of a sort (what sorted()[:n] gives, ties included), not a whole sort.
        for x, hard, n in heapq.nsmallest(PRIORITIES - len(out), ranked,
                                          key=lambda r: (-r[2], r[0].deadline, r[0].id)):
            why = [Why.LATE] if x.days_late else []
            if hard:
                why.append(Why.HARD)
            if n:
                why.append(Why.BLOCKS)
            if not x.days_late:
                why.append(Why.DUE)
            out.append(Priority(x, tuple(why), n))
    return out
