"""A new plan from a template and a release date: the library side of `retrosheet new`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .effective import EffectivePlan, effective
from .labels import check_lang
from .model import Member, Plan, Scheduled, Settings
from .templates import load
from .workdays import subdivision


@dataclass
class NewPlan:
    effective: EffectivePlan

    @property
    def plan(self) -> Plan:
        """The plan with its follow-up rows."""
        return self.effective.plan

    @property
    def dates(self) -> dict[str, Scheduled]:
        return self.effective.dates

    def past_deadlines(self, today: dt.date) -> list[tuple[str, int]]:
        """Tasks already late on creation: (id, days late). The release is too close."""
        late = [t for t in self.plan.tasks if self.dates[t.id].deadline < today]
        late.sort(key=lambda t: self.dates[t.id].deadline)
        return [(t.id, (today - self.dates[t.id].deadline).days) for t in late]


def new_plan(
    template: str,
    release: dt.date,
    *,
    lang: str = "fr",
    country: str = "FR",
    region: str = "",
    title: str = "",
    artist: str = "",
    days_off: tuple[dt.date, ...] = (),
) -> NewPlan:
    check_lang(lang)
    subdivision(country, region)  # an unknown region is refused before anything else
    tpl = load(template, lang)
    owners = list(dict.fromkeys(t.owner for t in tpl.tasks if t.owner))
    settings = Settings(
        release=release, lang=lang, country=country.upper(), region=region, title=title,
        artist=artist, template=tpl.name, days_off=days_off,
        team=tuple(Member(name=o, role=o) for o in owners),
    )
    return NewPlan(effective(Plan(settings, tpl.tasks)))
