"""What the check hooks share: findings, thresholds, and the collector that words a finding
from its row of the rules table (rules.py)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Final

from .kinds import fold
from .labels import Axis, Status, normalize
from .model import RELEASE, Contact, Plan, Task
from .rules import RULE, Severity
from .words import REFERENCE, formats, langs, t


@dataclass(frozen=True)
class Finding:
    """One thing `check` reports, located like a spreadsheet user names a place."""

    severity: Severity
    code: str  # stable snake_case id, for programs (report json, tests): a rule's id
    message: str  # one line, in the plan's language
    task: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None  # the row even when the column concerned is absent
    lang: str = "fr"  # language of `message`, so __str__ labels the severity to match

    @property
    def where(self) -> str:
        """`Planning!K12 (T040)`, `Planning, ligne 12 (T040)`, `T040` or ``."""
        if self.sheet and self.cell:
            place = f"{self.sheet}!{self.cell}"
        elif self.sheet and self.row:
            place = t("check.row", self.lang, sheet=self.sheet, row=self.row)
        else:
            place = self.cell or self.sheet or ""
        if self.task:
            return f"{place} ({self.task})" if place else self.task
        return place

    def __str__(self) -> str:
        where = self.where
        head = f"{where} " if where else ""
        return head + formats.labelled(self.severity.label(self.lang), self.message, self.lang)


# Social accounts go cold fast; press, radio and the rest work in longer waves. Work
# nobody outside sees (production, admin, content making, delivery, paid bursts) and
# shows (work gathers around each date) come in bursts by nature: off (0).
SILENT_DAYS: Final[dict[str, int]] = {
    Axis.SOCIAL.name: 10,
    **{a.name: 0 for a in (Axis.PRODUCTION, Axis.ADMIN, Axis.CONTENT, Axis.DISTRIBUTION,
                           Axis.ADS, Axis.LIVE)},
}


def _default_silent_days() -> dict[str, int]:
    return dict(SILENT_DAYS)


@dataclass(frozen=True)
class Thresholds:
    """What counts as too much or too long. A silence threshold ≤ 0 turns that axis off."""

    max_tasks_per_owner_week: int = 8
    # Keyed by canonical Axis member name ("SOCIAL") or, for a custom axis, its normalized
    # text ("merch"). Axes left out fall back on SILENT_DAYS, then default_silent_days, so
    # Thresholds(silent_days={"SOCIAL": 7}) changes only social networks.
    silent_days: dict[str, int] = field(default_factory=_default_silent_days)
    default_silent_days: int = 21
    # The campaign window, for silences: from 6 weeks before J (radio and press waves rarely
    # start earlier, domain.md) to this many days after J.
    campaign_days_before_release: int = 42
    campaign_days_after_release: int = 14
    spotify_pitch_days: int = 7  # Spotify: pitch at least 7 days ahead for Release Radar
    distribution_days: int = 21  # distributors: upload 3 weeks ahead…
    distribution_days_peak: int = 35  # …5 weeks when the upload falls in November–December
    monthlies_days: int = 90
    radio_first_days: tuple[int, int] = (42, 21)  # first radio send between J-42 and J-21
    stock_days: int = 21
    near_duplicate_days: int = 2
    near_duplicate_share: float = 0.75
    # Axes that must keep going until the campaign ends (its last task, at most J+14).
    stop_axes: tuple[str, ...] = (Axis.SOCIAL.name,)

    def silent_for(self, axis_key: str) -> int:
        return self.silent_days.get(
            axis_key, SILENT_DAYS.get(axis_key, self.default_silent_days))


DEFAULT_THRESHOLDS = Thresholds()

# Statuses that end a task: no more planning advice for it.
CLOSED = (Status.DONE, Status.CANCELLED)


def money_text(x: float, lang: str) -> str:
    """`180 €`, `€112.50`: cents only when there are some."""
    return formats.money(x, lang, 0 if x == int(x) else 2)


@functools.lru_cache(maxsize=1024)  # a plan has a dozen axes, each on many rows
def axis_key(text: str) -> str:
    axis = Axis.parse(text)
    return axis.name if isinstance(axis, Axis) else normalize(text)


class Checker:
    """Collects findings worded from the rules table."""

    def __init__(self, plan: Plan, today: dt.date, thresholds: Thresholds) -> None:
        self.plan = plan
        self.today = today
        self.th = thresholds
        lang = plan.settings.lang
        self.lang = lang if lang in langs() else REFERENCE
        self.release = plan.settings.release
        # (group, finding): group 0 plan-wide, 1 Planning rows, 2 Contacts rows.
        self.out: list[tuple[int, Finding]] = []
        # First task of each usable ID: what anchors can point to.
        self.index: dict[str, Task] = {}
        for task in plan.tasks:
            if task.id and task.id != RELEASE:
                self.index.setdefault(task.id, task)

    @property
    def found(self) -> bool:
        return bool(self.out)

    def day(self, day: dt.date) -> str:
        return formats.date(day, self.lang)

    def days(self, n: int) -> str:
        """`3 jours`, `1 day`."""
        return t("check.days", self.lang, n=n)

    def add(self, rule_id: str, task: Task | None = None, key: str = "",
            **params: object) -> None:
        rule = RULE[rule_id]
        src = task.source if task else None
        self.out.append((1 if task else 0, Finding(
            rule.severity, rule.id, rule.text(self.lang, **params),
            task=(task.id or None) if task else None,
            sheet=src.sheet if src else None,
            cell=src.cell(key) if src and key else None,
            row=src.row if src else None,
            lang=self.lang,
        )))

    def add_contact(self, rule_id: str, contact: Contact, key: str, **params: object) -> None:
        rule = RULE[rule_id]
        src = contact.source
        self.out.append((2, Finding(
            rule.severity, rule.id, rule.text(self.lang, **params),
            task=contact.task or None,
            sheet=src.sheet if src else None,
            cell=src.cell(key) if src else None,
            row=src.row if src else None,
            lang=self.lang,
        )))


__all__ = ["CLOSED", "Checker", "Finding", "Severity", "Thresholds", "axis_key", "fold"]
