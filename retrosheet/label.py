"""A label's Monday: one report over every release it runs (pure, no file).

Each release keeps its own weekly report (report.build_report); this module puts them side
by side and looks for what no single plan can see:

- two releases by the same team within a few days (the same day is an error): they
  compete for the same press, radio and playlist attention, and for the team's time;
- a person carrying too many open tasks in one week across releases;
- the same outlet (a radio, a magazine, a curator) contacted for two releases in the same
  week;
- budget per release and in total.

Who is who across plans is label_people's (one person however the plans write them; a
role is nobody another plan can share). Two plans have "the same team" when they share a
person or the same artist.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .checks import Finding, Severity
from .effective import effective
from .errors import RetrosheetError
from .label_people import People, fold, spelling_key
from .labels import Labeled, Status
from .model import Plan, Scheduled
from .report import CLOSED, Report, TaskLine, build_report
from .words import formats as fmt
from .words import t

LABEL_SCHEMA_VERSION = 1


class State(Labeled):
    """Where a release stands this week, worst first."""

    BLOCKED = ("release_state.blocked",)
    LATE = ("release_state.late",)
    ON_TRACK = ("release_state.on_track",)
    RELEASED = ("release_state.released",)


@dataclass(frozen=True)
class LabelThresholds:
    # Releases by one team closer than this compete for the same attention and people.
    release_gap_days: int = 7
    # Open tasks one person can carry in a week, all releases together (the per-plan check
    # uses the same default, so a label sees overload where each plan alone looks fine).
    max_tasks_per_person_week: int = 8


@dataclass(frozen=True)
class Release:
    """One plan of the label, with what its own weekly report says."""

    name: str  # where it was read: a file name or a Google Sheets title
    plan: Plan
    dates: dict[str, Scheduled]
    report: Report

    @property
    def title(self) -> str:
        st = self.plan.settings
        return " — ".join(x for x in (st.title, st.artist) if x) or self.name

    @property
    def budget(self) -> float:
        return sum(t.budget or 0.0 for t in self.plan.tasks if t.status is not Status.CANCELLED)

    @property
    def spent(self) -> float:
        return sum(t.spent or 0.0 for t in self.plan.tasks)

    @property
    def state(self) -> State:
        rep = self.report
        if rep.blocked:
            return State.BLOCKED
        if rep.late:
            return State.LATE
        return State.RELEASED if rep.as_of >= rep.release else State.ON_TRACK

    @property
    def done_share(self) -> float:
        total = sum(p.total - p.cancelled for p in self.report.progress)
        return sum(p.done for p in self.report.progress) / total if total else 0.0


@dataclass(frozen=True)
class ReleaseTask:
    """A task line of the label report: which release it belongs to, then the task."""

    release: str  # Release.title
    line: TaskLine


@dataclass(frozen=True)
class Unreadable:
    """A plan that could not be read: listed at the end, the others still reported."""

    name: str
    error: RetrosheetError | str  # what another program said (the system) is its own text
    spec: str = ""  # the PLAN as read (a path, a Sheet's URL or key)

    def text(self, lang: str) -> str:
        """The error's one line in `lang` (the report's), after the plan's name: "x.xlsx: no
        such file" under the name x.xlsx says "no such file", the name once."""
        said = self.error.line(lang) if isinstance(self.error, RetrosheetError) else self.error
        for sep in (": ", " : "):  # English and French punctuation
            if said.startswith(self.name + sep):
                return said[len(self.name) + len(sep):]
        return said


@dataclass
class LabelReport:
    as_of: dt.date
    lang: str
    owner: str | None
    releases: list[Release]
    late: list[ReleaseTask] = field(default_factory=list)
    due_this_week: list[ReleaseTask] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)

    @property
    def week(self) -> tuple[dt.date, dt.date]:
        monday = self.as_of - dt.timedelta(days=self.as_of.weekday())
        return monday, monday + dt.timedelta(days=6)

    @property
    def budget(self) -> float:
        return sum(r.budget for r in self.releases)

    @property
    def spent(self) -> float:
        return sum(r.spent for r in self.releases)

    def to_dict(self) -> dict[str, object]:
        from .label_json import label_to_dict

        return label_to_dict(self)


def release_of(name: str, plan: Plan, as_of: dt.date) -> Release:
    """A plan of the label with its own weekly report as of `as_of` (its effective plan:
    follow-up rows its rules ask for included)."""
    eff = effective(plan)
    return Release(name, eff.plan, eff.dates, build_report(eff, as_of))


def known_people(plans: list[Plan]) -> set[str]:
    """Every name an `--owner` may give: task owners, team names, roles and e-mails."""
    out = {t.owner.strip() for p in plans for t in p.tasks if t.owner.strip()}
    for p in plans:
        out |= {x.strip() for m in p.settings.team for x in (m.name, m.role, m.email)
                if x.strip()}
    return out


def build_label_report(releases: list[Release], as_of: dt.date, *, lang: str = "fr",
                       owner: str | None = None,
                       thresholds: LabelThresholds | None = None,
                       unreadable: list[Unreadable] | None = None) -> LabelReport:
    """The label's report over `releases` (each already reported alone), as of `as_of`.

    With `owner`, the tasks are that person's across releases (a name, a role or an
    e-mail, matched as label_people matches an owner).
    """
    th = thresholds or LabelThresholds()
    ordered = sorted(releases, key=lambda r: (r.plan.settings.release, r.title))
    rep = LabelReport(as_of, lang, owner, ordered, unreadable=list(unreadable or []))
    people = People([r.plan for r in ordered])
    for i, r in enumerate(ordered):
        wanted = _owner_filter(people, i, owner)
        for x in r.report.late:
            if wanted(x.owner):
                rep.late.append(ReleaseTask(r.title, x))
        for group in r.report.due_this_week.values():
            rep.due_this_week.extend(ReleaseTask(r.title, x) for x in group if wanted(x.owner))
    rep.late.sort(key=lambda t: (-t.line.days_late, t.line.deadline, t.release, t.line.id))
    rep.due_this_week.sort(key=lambda t: (t.line.deadline, t.release, t.line.id))
    rep.findings = (_release_clashes(ordered, people, as_of, th, lang)
                    + _overloads(ordered, people, as_of, th, lang)
                    + _same_outlet(ordered, as_of, lang))
    rep.findings.sort(key=lambda f: f.severity.rank)
    return rep


def _owner_filter(people: People, index: int, owner: str | None) -> Callable[[str], bool]:
    if owner is None:
        return lambda name: True
    target, wanted = fold(owner), people.of(index, owner)
    return lambda name: bool(name) and (
        fold(name) == target or (bool(wanted) and people.of(index, name) == wanted))


def _release_clashes(releases: list[Release], people: People, as_of: dt.date,
                     th: LabelThresholds, lang: str) -> list[Finding]:
    out = []
    for i, a in enumerate(releases):
        for j, b in enumerate(releases[i + 1:], start=i + 1):
            gap = (b.plan.settings.release - a.plan.settings.release).days
            if gap >= th.release_gap_days:
                break  # sorted by release date: every later one is further away
            if _copies(a, b):
                out.append(Finding(Severity.ERROR, "label_same_release_twice", t(
                    "report.label.same_release_twice", lang, a=a.title, name_a=a.name,
                    name_b=b.name), lang=lang))
                continue
            if b.plan.settings.release < as_of:
                continue  # both already out: there is nothing left to move
            shared = people.in_plan(i) & people.in_plan(j)
            same_artist = fold(a.plan.settings.artist) and (
                fold(a.plan.settings.artist) == fold(b.plan.settings.artist))
            if not shared and not same_artist:
                continue
            who = ", ".join(sorted(people.name(p) for p in shared)) or (
                a.plan.settings.artist.strip())
            when = fmt.date(a.plan.settings.release, lang)
            if gap == 0:
                out.append(Finding(Severity.ERROR, "label_same_release_day", t(
                    "report.label.same_release_day", lang, a=a.title, b=b.title, when=when,
                    who=who), lang=lang))
            else:
                out.append(Finding(Severity.WARNING, "label_close_releases", t(
                    "report.label.close_releases", lang, a=a.title, b=b.title, when=when,
                    when_b=fmt.date(b.plan.settings.release, lang), n=gap, who=who),
                    lang=lang))
    return out


def _copies(a: Release, b: Release) -> bool:
    """One release in two files (« nuit.xlsx » and its copy, a synced folder's conflicted
    copy): same title, artist, day and tasks. Counted twice, it doubles the label's budget
    and clashes with itself."""
    sa, sb = a.plan.settings, b.plan.settings
    return ((fold(sa.title), fold(sa.artist), sa.release)
            == (fold(sb.title), fold(sb.artist), sb.release)
            and [x.id for x in a.plan.tasks] == [x.id for x in b.plan.tasks])


def _open_deadlines(r: Release) -> list[tuple[TaskLine, dt.date]]:
    return [(x, x.deadline) for x in r.report.timeline if x.status not in CLOSED]


def _overloads(releases: list[Release], people: People, as_of: dt.date,
               th: LabelThresholds, lang: str) -> list[Finding]:
    """A person over the limit in a week from this one on, counting every release, when
    the load spans two releases or more (one plan's own overload is its own check)."""
    monday0 = as_of - dt.timedelta(days=as_of.weekday())
    weeks: dict[tuple[str, dt.date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for i, r in enumerate(releases):
        for x, deadline in _open_deadlines(r):
            person = people.of(i, x.owner)
            monday = deadline - dt.timedelta(days=deadline.weekday())
            if person and monday >= monday0:
                weeks[(person, monday)][r.title] += 1
    out = []
    for (person, monday), per_release in sorted(weeks.items(), key=lambda kv: (kv[0][1],
                                                                               kv[0][0])):
        total = sum(per_release.values())
        if len(per_release) < 2 or total <= th.max_tasks_per_person_week:
            continue
        name = people.name(person)
        parts = ", ".join(f"{n} ({title})" for title, n in sorted(per_release.items()))
        out.append(Finding(Severity.WARNING, "label_person_overloaded", t(
            "report.label.person_overloaded", lang, name=name, total=total,
            monday=fmt.date(monday, lang), n=len(per_release), parts=parts,
            limit=th.max_tasks_per_person_week), lang=lang))
    return out


def _same_outlet(releases: list[Release], as_of: dt.date, lang: str) -> list[Finding]:
    """One outlet receiving two releases' sends in the same week: the second dilutes the
    first, and the outlet hears twice from the same label."""
    monday0 = as_of - dt.timedelta(days=as_of.weekday())
    seen: dict[tuple[str, dt.date], dict[str, tuple[str, str]]] = defaultdict(dict)
    for r in releases:
        # A send whose task was cancelled will not happen: it dilutes nothing.
        cancelled = {x.id for x in r.plan.tasks if x.status is Status.CANCELLED}
        for c in r.plan.contacts:
            if c.task in cancelled:
                continue
            outlet = spelling_key(c.outlet)
            sent = c.sent or (r.dates[c.task].deadline if c.task in r.dates else None)
            if not outlet or sent is None:
                continue
            monday = sent - dt.timedelta(days=sent.weekday())
            if monday >= monday0:
                seen[(outlet, monday)].setdefault(r.title, (c.outlet.strip(), c.task))
    out = []
    for (_, monday), per_release in sorted(seen.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if len(per_release) < 2:
            continue
        outlet = next(iter(per_release.values()))[0]
        parts = ", ".join(f"{title} ({task})" for title, (_, task) in sorted(
            per_release.items()))
        out.append(Finding(Severity.WARNING, "label_same_outlet_week", t(
            "report.label.same_outlet_week", lang, outlet=outlet, n=len(per_release),
            monday=fmt.date(monday, lang), parts=parts), lang=lang))
    return out
