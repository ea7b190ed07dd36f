"""Checks on a plan (SPEC §5): redundancy, incoherence, timing, platform lead times.

Pure: takes a Plan, returns findings. Never raises on what the plan contains, since a
broken plan is exactly what `check` has to describe. Structural problems (IDs, anchors,
cycles, rules, durations) come first; when there are any, no date can be trusted, so the
date-based checks are skipped.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Final

from .effective import EffectivePlan, effective_of
from .errors import PlanError
from .followups import MAX_FOLLOWUPS, followup_id, parse_rule
from .labels import Axis, Labeled, Reply, Status, TaskType, Unit, axis_label, normalize
from .model import RELEASE, Contact, Plan, Scheduled, Task
from .workdays import WorkCalendar


class Severity(Labeled):
    ERROR = ("erreur", "error")
    WARNING = ("attention", "warning")
    INFO = ("info", "info")

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One thing `check` reports, located like a spreadsheet user names a place."""

    severity: Severity
    code: str  # stable snake_case id, for programs (report json, tests)
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
            place = f"{self.sheet}, {'ligne' if self.lang == 'fr' else 'row'} {self.row}"
        else:
            place = self.cell or self.sheet or ""
        if self.task:
            return f"{place} ({self.task})" if place else self.task
        return place

    def __str__(self) -> str:
        where = self.where
        head = f"{where} " if where else ""
        colon = " :" if self.lang == "fr" else ":"  # French sets a space before the colon
        return f"{head}{self.severity.label(self.lang)}{colon} {self.message}"


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
    distribution_days_peak: int = 35  # …5 weeks when J is in November or December

    def silent_for(self, axis_key: str) -> int:
        return self.silent_days.get(
            axis_key, SILENT_DAYS.get(axis_key, self.default_silent_days))


DEFAULT_THRESHOLDS = Thresholds()

# Statuses that end a task: no more planning advice for it.
_CLOSED = (Status.DONE, Status.CANCELLED)

_PITCH = ("pitch",)
_SPOTIFY = ("spotify",)
_UPLOAD = ("upload", "livr", "envoi", "envoy", "distributeur", "distributor", "deliver")
_CHECK = ("verif", "check", "controle")


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def check_plan(
    plan: Plan | EffectivePlan, today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Finding]:
    """Every finding of SPEC §5, errors first, then warnings, then info, by row.

    The effective plan is checked (the follow-up rows its rules ask for included). When
    no date can be computed, the plan as typed is, and every structural problem is
    listed. `today` keeps weekly runs quiet about the past: an owner's overloaded week or
    an axis's silence that is already over is not reported.
    """
    failure: PlanError | None = None
    try:
        eff: EffectivePlan | None = effective_of(plan)
    except PlanError as exc:
        eff, failure = None, exc
    target = eff.plan if eff is not None else plan
    assert isinstance(target, Plan)  # effective_of only fails on a Plan
    c = _Checker(target, today, thresholds)
    # Computed dates prove there is no cycle: no need to look for one.
    c.structure(look_for_cycles=eff is None)
    if not c.found:
        if eff is not None:
            c.dates(eff)
        elif failure is not None:
            c.failed(failure)
    c.content()
    c.contacts()
    c.out.sort(key=lambda item: (item[1].severity.rank, item[0], item[1].row or 0))
    return [f for _, f in c.out]


# ---------------------------------------------------------------- formatting helpers


def _day(day: dt.date, lang: str) -> str:
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def _num(x: float, lang: str) -> str:
    if x == int(x):
        return str(int(x))
    text = f"{x:.2f}"
    return text.replace(".", ",") if lang == "fr" else text


_COMBINING = re.compile("[\u0300-\u036f]")
_NON_WORD = re.compile("[^a-z0-9]+")


def _fold(text: str) -> str:
    """labels.normalize for Latin text, without its per-character loop or its bounded
    cache: this runs on every action of 10,000-row plans, each one different."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NON_WORD.sub(" ", text.lower()).strip()


def _has(words: list[str], stems: tuple[str, ...]) -> bool:
    return any(w.startswith(s) for w in words for s in stems)


@functools.lru_cache(maxsize=1024)  # a plan has a dozen axes, each on many rows
def _axis_key(text: str) -> str:
    axis = Axis.parse(text)
    return axis.name if isinstance(axis, Axis) else normalize(text)


def _plural(n: int, fr: str, en: str, lang: str) -> str:
    word = fr if lang == "fr" else en
    return f"{n} {word}{'s' if n > 1 else ''}"


class _Checker:
    """Collects findings; one method per family of checks."""

    def __init__(self, plan: Plan, today: dt.date, thresholds: Thresholds) -> None:
        self.plan = plan
        self.today = today
        self.th = thresholds
        self.lang = "fr" if plan.settings.lang == "fr" else "en"
        self.release = plan.settings.release
        # (group, finding): group 0 plan-wide, 1 Planning rows, 2 Contacts rows.
        self.out: list[tuple[int, Finding]] = []
        # First task of each usable ID: what anchors can point to.
        self.index: dict[str, Task] = {}
        for t in plan.tasks:
            if t.id and t.id != RELEASE:
                self.index.setdefault(t.id, t)

    @property
    def found(self) -> bool:
        return bool(self.out)

    def t(self, fr: str, en: str) -> str:
        return fr if self.lang == "fr" else en

    def day(self, day: dt.date) -> str:
        return _day(day, self.lang)

    def add(self, severity: Severity, code: str, message: str,
            task: Task | None = None, key: str = "") -> None:
        src = task.source if task else None
        self.out.append((1 if task else 0, Finding(
            severity, code, message,
            task=(task.id or None) if task else None,
            sheet=src.sheet if src else None,
            cell=src.cell(key) if src and key else None,
            row=src.row if src else None,
            lang=self.lang,
        )))

    def add_contact(self, severity: Severity, code: str, message: str,
                    contact: Contact, key: str) -> None:
        src = contact.source
        self.out.append((2, Finding(
            severity, code, message,
            task=contact.task or None,
            sheet=src.sheet if src else None,
            cell=src.cell(key) if src else None,
            row=src.row if src else None,
            lang=self.lang,
        )))

    # ------------------------------------------------------------------ structure

    def structure(self, look_for_cycles: bool = True) -> None:
        """What makes dates impossible; all of it, not just the first (SPEC §3)."""
        E = Severity.ERROR
        first: dict[str, Task] = {}
        for task in self.plan.tasks:
            if not task.id:
                self.add(E, "missing_id", self.t("tâche sans ID", "the task has no ID"),
                         task, "id")
            elif task.id == RELEASE:
                self.add(E, "reserved_id", self.t(
                    f"l'ID {RELEASE} est réservé au jour de sortie",
                    f"ID {RELEASE} is reserved for release day"), task, "id")
            elif task.id in first:
                prev = first[task.id].source
                also = (self.t(f" (déjà ligne {prev.row})", f" (also row {prev.row})")
                        if prev else "")
                self.add(E, "duplicate_id", self.t(
                    f"ID {task.id} en double{also}", f"duplicate ID {task.id}{also}"),
                    task, "id")
            else:
                first[task.id] = task
            if not task.is_milestone and task.duration is not None and task.duration < 1:
                self.add(E, "bad_duration", self.t(
                    f"durée {task.duration} : au moins 1 jour ouvré",
                    f"duration {task.duration} is below 1 working day"), task, "duration")
            if not task.anchors:
                self.add(E, "missing_anchor", self.t(
                    f"aucune référence : écrire {RELEASE} ou un ID de tâche",
                    f"no anchor: write {RELEASE} or a task ID"), task, "anchor")
            for a in task.anchors:
                if a != RELEASE and a not in self.index:
                    self.add(E, "unknown_anchor", self.t(
                        f"référence inconnue {a} : aucune tâche n'a cet ID",
                        f"unknown anchor {a}: no task has that ID"), task, "anchor")
            if task.type is not TaskType.FOLLOWUP and task.followup:
                try:
                    parse_rule(task)
                except PlanError as exc:
                    self.add(E, "bad_followup_rule", self.t(
                        f"règle de relance « {task.followup.strip()} » invalide : écrire +14 "
                        f"ou +7 x2 (au plus {MAX_FOLLOWUPS} relances)", exc.message),
                        task, "followup")
        if look_for_cycles:
            self.cycles()

    def cycles(self) -> None:
        """Each cycle of anchors once, named in full, on the row that closes it."""
        seen: set[frozenset[str]] = set()
        done: set[str] = set()
        for root in self.index:
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
                anchors = [a for a in self.index[tid].anchors if a in self.index]
                if i < len(anchors):
                    stack.append((tid, i + 1))
                    nxt = anchors[i]
                    if nxt in on_path:
                        cycle = path[path.index(nxt):]
                        if frozenset(cycle) not in seen:
                            seen.add(frozenset(cycle))
                            text = " → ".join([*cycle, nxt])
                            self.add(Severity.ERROR, "anchor_cycle", self.t(
                                f"les références forment un cycle : {text}",
                                f"anchors form a cycle: {text}"), self.index[tid], "anchor")
                    elif nxt not in done:
                        stack.append((nxt, 0))
                    continue
                path.pop()
                on_path.discard(tid)
                done.add(tid)

    # ---------------------------------------------------------------------- dates

    def failed(self, exc: PlanError) -> None:
        """No date could be computed though the structure is sound: the calendar (an
        unknown country or region) or an offset leading out of the calendar."""
        if exc.task is None:
            self.add(Severity.ERROR, "bad_calendar", self.t(
                f"jours fériés introuvables : {exc.message}", exc.message))
            return
        self.add(Severity.ERROR, "schedule_error", self.t(
            f"dates impossibles à calculer : {exc.message}", exc.message),
            self.index.get(exc.task), "offset")

    def dates(self, eff: EffectivePlan) -> None:
        dates, cal = eff.dates, eff.calendar
        live = [t for t in self.plan.tasks if t.status is not Status.CANCELLED]
        nominal = self.nominal(dates)
        self.duplicates(live, dates)
        self.after_release(live, dates, nominal)
        self.followups(live, dates)
        self.past_at_creation(live, dates)
        self.typed_dates(live, dates, cal)
        self.owner_load(live, dates)
        self.silences(live, dates)
        self.lead_times(live, dates, nominal)

    def nominal(self, dates: dict[str, Scheduled]) -> dict[str, int]:
        """Each task's offset from J, in whole days, along the anchor chain the scheduler took.

        This is what the user meant, not the calendar's result. A working week counts as a
        week (5 working days = 7 days): counting working days as days would call a
        follow-up "+14" of a send "1 working day after J-16 + 8 working days" meant for J-2.
        """
        raw: dict[str, float] = {}

        def chosen(task: Task) -> list[str]:
            used = dates[task.id].anchor_date
            return [a for a in task.anchors
                    if (self.release if a == RELEASE else dates[a].deadline) == used]

        for root in self.index:
            stack = [root]
            while stack:
                tid = stack[-1]
                if tid in raw:
                    stack.pop()
                    continue
                task = self.index[tid]
                anchors = chosen(task)
                pending = [a for a in anchors if a != RELEASE and a not in raw]
                if pending:
                    stack.extend(pending)
                    continue
                stack.pop()
                base = min(0.0 if a == RELEASE else raw[a] for a in anchors)
                step = task.offset * (7 / 5 if task.unit is Unit.WORKING_DAYS else 1)
                raw[tid] = base + step
        return {tid: round(n) for tid, n in raw.items()}

    def duplicates(self, tasks: list[Task], dates: dict[str, Scheduled]) -> None:
        first: dict[tuple[str, str, dt.date], Task] = {}
        for task in tasks:
            action = _fold(task.action)
            if not action:
                continue
            key = (_axis_key(task.axis), action, dates[task.id].deadline)
            if key not in first:
                first[key] = task
                continue
            other = first[key]
            self.add(Severity.WARNING, "duplicate_task", self.t(
                f"même axe, même action et même date ({self.day(key[2])}) que {other.id} : "
                f"tâche en double ?",
                f"same axis, action and date ({self.day(key[2])}) as {other.id}: "
                f"a duplicate?"), task, "action")

    def after_release(self, tasks: list[Task], dates: dict[str, Scheduled],
                      nominal: dict[str, int]) -> None:
        for task in tasks:
            n, d = nominal[task.id], dates[task.id].deadline
            if n < 0 and d > self.release:
                self.add(Severity.ERROR, "dated_after_release", self.t(
                    f"prévue avant la sortie (J{n} par ses références) mais datée du "
                    f"{self.day(d)}, après J ({self.day(self.release)})",
                    f"meant before release (J{n} along its anchors) but dated "
                    f"{self.day(d)}, after J ({self.day(self.release)})"), task, "deadline")

    def sender(self, task: Task) -> Task | None:
        if task.parent:
            return self.index.get(task.parent)
        return next((self.index[a] for a in task.anchors if a in self.index), None)

    def followups(self, tasks: list[Task], dates: dict[str, Scheduled]) -> None:
        for task in tasks:
            if task.type is not TaskType.FOLLOWUP:
                continue
            send = self.sender(task)
            if send is None:
                continue
            d, s = dates[task.id].deadline, dates[send.id].deadline
            if d <= s:
                self.add(Severity.ERROR, "followup_before_send", self.t(
                    f"relance le {self.day(d)}, avant ou le jour même de son envoi "
                    f"{send.id} ({self.day(s)})",
                    f"follow-up on {self.day(d)}, on or before its send {send.id} "
                    f"({self.day(s)})"), task, "deadline")

    def past_at_creation(self, tasks: list[Task], dates: dict[str, Scheduled]) -> None:
        created = self.plan.settings.created
        if created is None:
            return
        for task in tasks:
            d = dates[task.id].deadline
            if task.status in _CLOSED or d >= created:
                continue
            if self.today > created:
                # Used since its creation (the release may have moved): the task is late,
                # nothing says the release was too close when the plan was made.
                late = (self.today - d).days
                self.add(Severity.WARNING, "late", self.t(
                    f"en retard : échéance {self.day(d)} dépassée de "
                    f"{_plural(late, 'jour', 'day', 'fr')}",
                    f"late: deadline {self.day(d)} passed {_plural(late, 'jour', 'day', 'en')} "
                    "ago"), task, "deadline")
                continue
            late = (created - d).days
            self.add(Severity.WARNING, "past_at_creation", self.t(
                f"échéance {self.day(d)} déjà passée de {_plural(late, 'jour', 'day', 'fr')} "
                f"à la création du plan ({self.day(created)}) : la sortie est trop proche "
                f"pour ce modèle",
                f"deadline {self.day(d)} already {_plural(late, 'jour', 'day', 'en')} past "
                f"when the plan was created ({self.day(created)}): the release is too close "
                f"for this template"), task, "deadline")

    def typed_dates(self, tasks: list[Task], dates: dict[str, Scheduled],
                    cal: WorkCalendar) -> None:
        """Dates typed over the formulas: recompute puts the computed ones back."""
        for task in tasks:
            got = dates[task.id]
            for key, typed, computed in (("start", task.start, got.start),
                                         ("deadline", task.deadline, got.deadline)):
                if key not in task.typed or typed is None:
                    continue
                if not task.is_milestone and not _is_working(cal, typed):
                    # A milestone may be a Saturday concert; work may not.
                    self.add(Severity.WARNING, "typed_non_working_day", self.t(
                        f"date saisie à la main {self.day(typed)} : jour non travaillé "
                        f"(le calcul donne {self.day(computed)})",
                        f"hand-typed date {self.day(typed)} is not a working day "
                        f"(computed: {self.day(computed)})"), task, key)
                elif typed != computed:
                    self.add(Severity.INFO, "typed_date_replaced", self.t(
                        f"date saisie à la main {self.day(typed)}, le calcul donne "
                        f"{self.day(computed)} : le recalcul la remplacera",
                        f"hand-typed date {self.day(typed)} differs from the computed "
                        f"{self.day(computed)}: recompute will replace it"), task, key)

    def owner_load(self, tasks: list[Task], dates: dict[str, Scheduled]) -> None:
        weeks: dict[tuple[str, dt.date], list[Task]] = defaultdict(list)
        for task in tasks:
            if task.status in _CLOSED or task.is_milestone or not task.owner.strip():
                continue  # a milestone is an event, not work
            d = dates[task.id].deadline
            monday = d - dt.timedelta(days=d.weekday())
            weeks[(normalize(task.owner), monday)].append(task)
        limit = self.th.max_tasks_per_owner_week
        for (_, monday), group in weeks.items():
            if len(group) <= limit or monday + dt.timedelta(days=6) < self.today:
                continue
            owner = group[0].owner.strip()
            ids = ", ".join(t.id for t in group)
            self.add(Severity.WARNING, "owner_overloaded", self.t(
                f"{owner} a {len(group)} tâches la semaine du {self.day(monday)} "
                f"(max {limit}) : {ids}",
                f"{owner} has {len(group)} tasks in the week of {self.day(monday)} "
                f"(max {limit}): {ids}"), group[0], "owner")

    def silences(self, tasks: list[Task], dates: dict[str, Scheduled]) -> None:
        if not tasks:
            return
        start = max(min(dates[t.id].deadline for t in tasks),
                    self.release - dt.timedelta(days=self.th.campaign_days_before_release))
        end = self.release + dt.timedelta(days=self.th.campaign_days_after_release)
        axes: dict[str, list[Task]] = defaultdict(list)
        for task in tasks:
            if task.axis.strip() and start <= dates[task.id].deadline <= end:
                axes[_axis_key(task.axis)].append(task)
        for key, group in axes.items():
            limit = self.th.silent_for(key)
            if len(group) < 2 or limit <= 0:
                continue
            group.sort(key=lambda t: dates[t.id].deadline)
            for before, after in pairwise(group):
                a, b = dates[before.id].deadline, dates[after.id].deadline
                gap = (b - a).days
                if gap <= limit or b < self.today:
                    continue
                axis = axis_label(after.axis.strip(), self.lang)
                self.add(Severity.INFO, "axis_silent", self.t(
                    f"axe {axis} muet {gap} jours, du {self.day(a)} ({before.id}) au "
                    f"{self.day(b)} (seuil {limit} jours)",
                    f"axis {axis} silent for {gap} days, from {self.day(a)} ({before.id}) "
                    f"to {self.day(b)} (threshold {limit} days)"), after, "deadline")

    def lead_times(self, tasks: list[Task], dates: dict[str, Scheduled],
                   nominal: dict[str, int]) -> None:
        """Platform deadlines from domain.md; follow-ups and milestones are not sends."""
        th = self.th
        for task in tasks:
            if task.status in _CLOSED or task.is_milestone or task.type is TaskType.FOLLOWUP:
                continue
            distribution = _axis_key(task.axis) == Axis.DISTRIBUTION.name
            if not distribution and "spotify" not in (task.action + task.platform).lower():
                continue  # neither rule can apply: spare the text folding on big plans
            d = dates[task.id].deadline
            action = _fold(task.action).split()
            spotify = _has(action, _SPOTIFY) or _has(_fold(task.platform).split(), _SPOTIFY)
            if spotify and _has(action, _PITCH):
                limit = self.release - dt.timedelta(days=th.spotify_pitch_days)
                if d > limit:
                    n = th.spotify_pitch_days
                    self.add(Severity.ERROR, "spotify_pitch_late", self.t(
                        f"pitch Spotify éditorial le {self.day(d)}, après J-{n} "
                        f"({self.day(limit)}) : trop tard pour Release Radar",
                        f"Spotify editorial pitch on {self.day(d)}, after J-{n} "
                        f"({self.day(limit)}): too late for Release Radar"), task, "deadline")
            if (distribution and _has(action, _UPLOAD)
                    and not _has(action, _CHECK) and nominal[task.id] <= 0):
                peak = self.release.month in (11, 12)
                n = th.distribution_days_peak if peak else th.distribution_days
                limit = self.release - dt.timedelta(days=n)
                if d > limit:
                    why = self.t(
                        "en novembre–décembre, les distributeurs demandent 5 semaines"
                        if peak else "les distributeurs demandent 3 semaines pour que "
                        "tous les stores soient prêts",
                        "in November–December distributors need 5 weeks"
                        if peak else "distributors need 3 weeks for every store to be ready")
                    self.add(Severity.ERROR, "distribution_upload_late", self.t(
                        f"envoi au distributeur le {self.day(d)}, après J-{n} "
                        f"({self.day(limit)}) : {why}",
                        f"distributor upload on {self.day(d)}, after J-{n} "
                        f"({self.day(limit)}): {why}"), task, "deadline")

    # ------------------------------------------------ checks that need no dates

    def content(self) -> None:
        for task in self.plan.tasks:
            if (not task.owner.strip() and not task.is_milestone
                    and task.status not in _CLOSED):
                self.add(Severity.WARNING, "no_owner",
                         self.t("aucun responsable", "no owner"), task, "owner")
            budget, spent = task.budget, task.spent
            if budget is not None and spent is not None and spent > budget:
                over = spent - budget
                lg = self.lang
                # French puts a space before %; no percentage of a zero budget.
                pct = (f" (+{round(100 * over / budget)}{' %' if lg == 'fr' else '%'})"
                       if budget > 0 else "")
                self.add(Severity.WARNING, "over_budget", self.t(
                    f"dépensé {_num(spent, lg)} € pour un budget de {_num(budget, lg)} € : "
                    f"{_num(over, lg)} € de plus{pct}",
                    f"spent €{_num(spent, lg)} against a budget of €{_num(budget, lg)}: "
                    f"€{_num(over, lg)} over{pct}"), task, "spent")
            self.orphan(task)

    def orphan(self, task: Task) -> None:
        """A generated follow-up row whose rule no longer asks for it."""
        if task.type is not TaskType.FOLLOWUP or not task.parent:
            return
        parent = self.index.get(task.parent)
        if parent is None:
            return  # an unknown anchor, already reported when anchored to it
        try:
            rule = parse_rule(parent)
        except PlanError:
            return  # reported as bad_followup_rule
        count = rule.count if rule else 0
        generated = {followup_id(parent.id, n) for n in range(1, MAX_FOLLOWUPS + 1)}
        wanted = {followup_id(parent.id, n) for n in range(1, count + 1)}
        if task.id in generated and task.id not in wanted:
            rule_text = parent.followup.strip()
            self.add(Severity.WARNING, "orphan_followup", self.t(
                f"relance générée pour {parent.id}, dont la règle "
                f"{f'« {rule_text} »' if rule_text else 'a été effacée'} n'en demande plus",
                f"follow-up generated for {parent.id}, whose rule "
                f"{repr(rule_text) + ' no longer asks for it' if rule_text else 'was removed'}"),
                task, "id")

    def contacts(self) -> None:
        """Light checks: each contact points to a task; an answer has its date."""
        for contact in self.plan.contacts:
            who = contact.outlet or contact.name or contact.id or "?"
            if not contact.task.strip():
                self.add_contact(Severity.WARNING, "contact_no_task", self.t(
                    f"contact {who} : aucune action d'envoi (colonne Action vide)",
                    f"contact {who}: no sending task (Action column is empty)"),
                    contact, "task")
            elif contact.task not in self.index:
                self.add_contact(Severity.ERROR, "contact_unknown_task", self.t(
                    f"contact {who} : l'action {contact.task} n'est pas un ID de tâche",
                    f"contact {who}: action {contact.task} is not a task ID"),
                    contact, "task")
            if contact.reply in (Reply.YES, Reply.NO) and contact.replied is None:
                reply = contact.reply.label(self.lang)
                self.add_contact(Severity.INFO, "contact_reply_undated", self.t(
                    f"contact {who} : réponse « {reply} » sans date de réponse",
                    f"contact {who}: reply {reply!r} without a reply date"),
                    contact, "replied")


def _is_working(cal: WorkCalendar, day: dt.date) -> bool:
    try:
        return cal.is_working(day)
    except (ValueError, OverflowError):
        return True  # a date past the calendar's range: nothing sensible to say
