"""The date hooks of the rules table (rules.py): each finds the rows one rule fires on.

Platform rules count from the release a task belongs to: J, or a release inside the plan
(Type Sortie/Release) that the task depends on through its anchors (SPEC §3).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from itertools import pairwise

from .checker import CLOSED, Checker, axis_key
from .effective import EffectivePlan
from .followups import send_of
from .kinds import (
    SHOW,
    STEP_LABELS,
    Kind,
    any_word,
    fold,
    is_broadcast_send,
    is_mechanical,
    is_radio_send,
    kinds_of,
    product,
)
from .labels import Status, TaskType, Unit, axis_label
from .model import RELEASE, Scheduled, Task
from .schedule import anchor_order
from .words import formats, t
from .workdays import WorkCalendar

# Which steps must be done before each one (issue 10: masters → ISRC/UPC → distributor
# upload → visible in Spotify for Artists → editorial pitch and pre-save).
REQUIRES: dict[Kind, tuple[Kind, ...]] = {
    Kind.CODES: (Kind.MASTERS,),
    Kind.UPLOAD: (Kind.CODES, Kind.MASTERS),
    Kind.S4A: (Kind.UPLOAD, Kind.CODES, Kind.MASTERS),
    Kind.PITCH: (Kind.S4A, Kind.UPLOAD, Kind.CODES, Kind.MASTERS),
    Kind.PRESAVE: (Kind.UPLOAD, Kind.CODES, Kind.MASTERS),
}
_STOP = frozenset({"le", "la", "les", "de", "des", "du", "a", "au", "aux", "et", "the", "to",
                   "of", "and", "for", "on", "in", "un", "une", "en", "sur", "with", "avec",
                   "pour", "d", "l", "s", "an"})


def timing(c: Checker, eff: EffectivePlan) -> None:
    found = eff.structure()
    Timing(c, eff.dates, eff.calendar, found.order if found else None).run()


class Timing:
    def __init__(self, c: Checker, dates: dict[str, Scheduled], cal: WorkCalendar,
                 order: list[str] | None = None) -> None:
        """`order`: the IDs, each after those it names (what the scheduler used)."""
        self.c = c
        self.dates = dates
        self.cal = cal
        # Each task's deadline, asked a million times on a 100,000-row plan.
        self.deadline = {tid: s.deadline for tid, s in dates.items()}
        self.live = [t for t in c.plan.tasks if t.status is not Status.CANCELLED]
        if order is None:
            order = anchor_order({tid: t.anchors for tid, t in c.index.items()})[0]
        self.nominal, self.release_of = self._walk(order)
        self.kinds = {t.id: kinds_of(t) for t in self.live}
        # Each hook walks these lists: made once, in plan order, not once a hook.
        self._by_kind: dict[Kind, list[Task]] = defaultdict(list)
        for task in self.live:
            for kind in self.kinds[task.id]:
                self._by_kind[kind].append(task)
        # The tasks a platform rule may be about: those of some kind, in plan order (a
        # follow-up has none).
        self._kinded = [x for x in self.live if self.kinds[x.id]]
        self._open_kinded = [x for x in self._kinded if x.status not in CLOSED]

    def run(self) -> None:
        for hook in (self.duplicates, self.after_release, self.after_event, self.followups,
                     self.past_at_creation, self.typed_dates, self.owner_load, self.silences,
                     self.releases, self.lead_times, self.step_order, self.rights,
                     self.media_windows, self.sends, self.presales):
            hook()

    def d(self, task: Task) -> dt.date:
        return self.deadline[task.id]

    def _walk(self, order: list[str]) -> tuple[dict[str, int], dict[str, str]]:
        """Along the anchors the scheduler used (the earliest), each task after them
        (`order`), in one pass:

        - its offset from J in whole days: what the user meant, not the calendar's result
          (a working week counts as a week: 5 working days = 7 days);
        - the release it counts from: J, or the Sortie/Release row it depends on.
        """
        index, release, deadline, dates = self.c.index, self.c.release, self.deadline, self.dates
        raw: dict[str, float] = {}
        out: dict[str, str] = {}
        for tid in order:
            task = index[tid]
            anchors = task.anchors
            if len(anchors) == 1:  # most rows: the one anchor is the one used
                a = anchors[0]
                base = 0.0 if a == RELEASE else raw[a]
            else:
                used = dates[tid].anchor_date
                anchors = tuple(a for a in anchors
                                if (release if a == RELEASE else deadline[a]) == used)
                a = anchors[0]
                base = min(0.0 if a == RELEASE else raw[a] for a in anchors)
            raw[tid] = base + task.offset * (7 / 5 if task.unit is Unit.WORKING_DAYS else 1)
            out[tid] = (tid if task.is_release else RELEASE if a == RELEASE
                        else a if index[a].is_release else out[a])
        return {tid: round(n) for tid, n in raw.items()}, out

    def release_day(self, rid: str) -> dt.date:
        return self.c.release if rid == RELEASE else self.dates[rid].deadline

    def of(self, rid: str) -> str:
        """`de S010 ` when a rule counts from a release inside the plan, else nothing."""
        return "" if rid == RELEASE else t("check.of_release", self.c.lang, id=rid)

    def of_kind(self, kind: Kind) -> list[Task]:
        return list(self._by_kind.get(kind, ()))

    # ------------------------------------------------------------- redundancy

    def duplicates(self) -> None:
        c, dl = self.c, self.deadline
        first: dict[tuple[str, str, dt.date], Task] = {}
        near: dict[str, list[tuple[Task, str]]] = defaultdict(list)
        for task in self.live:
            if task.type is TaskType.FOLLOWUP:
                continue  # a duplicated send is reported on the send, not its follow-ups
            action = fold(task.action)
            if not action:
                continue
            key = (axis_key(task.axis), action, dl[task.id])
            if key in first:
                c.add("duplicate_task", task, "action", day=c.day(key[2]),
                      other=first[key].id)
                continue
            first[key] = task
            near[key[0]].append((task, action))
        th = c.th
        window = dt.timedelta(days=th.near_duplicate_days)
        for group in near.values():
            if len(group) > 400:
                continue  # a generated giant plan: pairs would cost more than they tell
            group.sort(key=lambda ta: dl[ta[0].id])
            days = [dl[x.id] for x, _ in group]
            words = [frozenset(w for w in action.split() if w not in _STOP)
                     for _, action in group]
            for i, (task, _) in enumerate(group):
                # Only the tasks dated within the window before this one can be near it.
                for j in range(bisect_left(days, days[i] - window, 0, i), i):
                    if not words[i] or not words[j]:
                        continue
                    share = len(words[i] & words[j]) / len(words[i] | words[j])
                    if share >= th.near_duplicate_share:
                        other = group[j][0]
                        c.add("near_duplicate_task", task, "action", other=other.id,
                              day=c.day(days[j]), action=other.action.strip())
                        break

    # ------------------------------------------------------------------ order

    def after_release(self) -> None:
        c, dl = self.c, self.deadline
        for task in self.live:
            n, d = self.nominal[task.id], dl[task.id]
            if n < 0 and d > c.release:
                c.add("dated_after_release", task, "deadline", n=n, day=c.day(d),
                      release=c.day(c.release))

    def after_event(self) -> None:
        """A thank-you or review anchored to an event (milestone, release) dated before it."""
        c = self.c
        for task in self.of_kind(Kind.AFTER_EVENT):
            for a in task.anchors:
                event = c.index.get(a)
                if event is None or not event.is_milestone or self.d(task) >= self.d(event):
                    continue
                c.add("after_event_dated_before", task, "deadline",
                      event=f"{event.id} ({event.action.strip()})" if event.action.strip()
                      else event.id, event_day=c.day(self.d(event)), day=c.day(self.d(task)))
                break

    def followups(self) -> None:
        c, dl = self.c, self.deadline
        for task in self.live:
            if task.type is not TaskType.FOLLOWUP:
                continue
            send = send_of(task, c.index)
            if send is None:
                continue
            d, s = dl[task.id], dl[send.id]
            if d <= s:
                c.add("followup_before_send", task, "deadline", day=c.day(d), send=send.id,
                      send_day=c.day(s))

    def past_at_creation(self) -> None:
        c, dl = self.c, self.deadline
        created = c.plan.settings.created
        if created is None:
            return
        for task in self.live:
            d = dl[task.id]
            if task.status in CLOSED or d >= created:
                continue
            if c.today > created:
                # Used since its creation (the release may have moved): the task is late,
                # nothing says the release was too close when the plan was made.
                c.add("late", task, "deadline", day=c.day(d),
                      late=c.days((c.today - d).days))
                continue
            c.add("past_at_creation", task, "deadline", day=c.day(d), created=c.day(created),
                  late=c.days((created - d).days))

    def typed_dates(self) -> None:
        """Dates typed over the formulas: recompute puts the computed ones back."""
        c = self.c
        for task in self.live:
            if not task.typed:
                continue
            got = self.dates[task.id]
            for key, typed, computed in (("start", task.start, got.start),
                                         ("deadline", task.deadline, got.deadline)):
                if key not in task.typed or typed is None:
                    continue
                if (not task.is_milestone and task.unit is not Unit.FIXED_DAYS
                        and not _is_working(self.cal, typed)):
                    # A milestone may be a Saturday concert; work may not.
                    c.add("typed_non_working_day", task, key, day=c.day(typed),
                          computed=c.day(computed))
                elif typed != computed:
                    c.add("typed_date_replaced", task, key, day=c.day(typed),
                          computed=c.day(computed))

    # ------------------------------------------------------------------ people

    def owner_load(self) -> None:
        c, dl = self.c, self.deadline
        weeks: dict[tuple[str, dt.date], list[Task]] = defaultdict(list)
        # A plan has a few owners and a few hundred days: each folded, each Monday, once.
        folded: dict[str, str] = {}
        mondays: dict[dt.date, dt.date] = {}
        for task in self.live:
            if task.status in CLOSED or task.is_milestone or not task.owner.strip():
                continue  # a milestone is an event, not work
            d = dl[task.id]
            monday = mondays.get(d)
            if monday is None:
                monday = mondays[d] = d - dt.timedelta(days=d.weekday())
            owner = folded.get(task.owner)
            if owner is None:
                owner = folded[task.owner] = fold(task.owner)
            weeks[(owner, monday)].append(task)
        limit = c.th.max_tasks_per_owner_week
        for (_, monday), group in weeks.items():
            if len(group) <= limit or monday + dt.timedelta(days=6) < c.today:
                continue
            c.add("owner_overloaded", group[0], "owner", owner=group[0].owner.strip(),
                  n=len(group), day=c.day(monday), limit=limit,
                  ids=", ".join(t.id for t in group))

    def silences(self) -> None:
        c, dl = self.c, self.deadline
        if not self.live:
            return
        start = max(min(dl[t.id] for t in self.live),
                    c.release - dt.timedelta(days=c.th.campaign_days_before_release))
        end = c.release + dt.timedelta(days=c.th.campaign_days_after_release)
        # The campaign ends with its last task, at most J+14.
        stop = min(end, max(dl[t.id] for t in self.live))
        axes: dict[str, list[Task]] = defaultdict(list)
        for task in self.live:
            if task.axis.strip() and start <= dl[task.id] <= end:
                axes[axis_key(task.axis)].append(task)
        for key, group in axes.items():
            limit = c.th.silent_for(key)
            if limit <= 0:
                continue
            group.sort(key=lambda x: dl[x.id])
            axis = axis_label(group[-1].axis.strip(), c.lang)
            for before, after in pairwise(group):
                a, b = dl[before.id], dl[after.id]
                gap = (b - a).days
                if gap > limit and b >= c.today:
                    c.add("axis_silent", after, "deadline", axis=axis, gap=gap,
                          start=c.day(a), before=before.id, end=c.day(b), limit=limit)
            last = group[-1]
            gap = (stop - self.d(last)).days
            if key in c.th.stop_axes and gap > limit and stop >= c.today:
                c.add("axis_stops_early", last, "deadline", axis=axis,
                      day=c.day(self.d(last)), id=last.id, gap=gap, end=c.day(stop))

    # --------------------------------------------------------------- platforms

    def releases(self) -> None:
        """Each release on a Friday, none in August (J of a concert plan is a show)."""
        c = self.c
        day_j = [t for t in self.live if t.is_milestone and t.anchors == (RELEASE,)
                 and t.offset == 0 and not t.is_release]
        show = any(any_word(fold(t.action), SHOW) for t in day_j)
        dated: list[tuple[Task | None, str, dt.date]] = [] if show else [(None, "J", c.release)]
        dated += [(t, t.id, self.d(t)) for t in self.live if t.is_release]
        for task, what, day in dated:
            key = "deadline" if task else ""
            if day.weekday() != 4:
                c.add("release_not_friday", task, key, what=what, day=c.day(day),
                      weekday=formats.weekday(day, c.lang))
            if day.month == 8:
                c.add("august_release", task, key, what=what, day=c.day(day))

    def lead_times(self) -> None:
        """Spotify's J-7 and the distributor's lead time, from each task's own release."""
        c, th = self.c, self.c.th
        for task in self._open_kinded:
            if task.is_milestone:
                continue
            kinds = self.kinds[task.id]
            rid = self.release_of[task.id]
            r, d = self.release_day(rid), self.d(task)
            if Kind.PITCH in kinds:
                limit = r - dt.timedelta(days=th.spotify_pitch_days)
                if d > limit:
                    c.add("spotify_pitch_late", task, "deadline", day=c.day(d),
                          n=th.spotify_pitch_days, of=self.of(rid), limit=c.day(limit))
            before = self.nominal[task.id] - (0 if rid == RELEASE else self.nominal[rid])
            if Kind.UPLOAD in kinds and before <= 0:
                # The year-end slowdown is judged by when the upload happens.
                peak = d.month in (11, 12)
                n = th.distribution_days_peak if peak else th.distribution_days
                limit = r - dt.timedelta(days=n)
                if d > limit:
                    why = t("check.distribution_upload_late.why_peak" if peak
                            else "check.distribution_upload_late.why", c.lang)
                    c.add("distribution_upload_late", task, "deadline", day=c.day(d), n=n,
                          of=self.of(rid), limit=c.day(limit), why=why)

    def by_release(self, kind: Kind) -> dict[str, list[Task]]:
        out: dict[str, list[Task]] = defaultdict(list)
        for task in self.of_kind(kind):
            out[self.release_of[task.id]].append(task)
        return out

    def step_order(self) -> None:
        c = self.c
        latest: dict[tuple[str, Kind], Task] = {}
        for kind in STEP_LABELS:
            for rid, tasks in self.by_release(kind).items():
                latest[(rid, kind)] = max(tasks, key=self.d)
        for task in self._open_kinded:
            rid = self.release_of[task.id]
            for kind in sorted(self.kinds[task.id] & REQUIRES.keys(), key=lambda k: k.name):
                late = [(q, latest[(rid, q)]) for q in REQUIRES[kind] if (rid, q) in latest]
                late = [(q, y) for q, y in late if y is not task and self.d(y) > self.d(task)]
                if late:
                    q, y = late[0]
                    c.add("step_order", task, "deadline", step=t(STEP_LABELS[kind], c.lang),
                          day=c.day(self.d(task)), other=y.id,
                          other_step=t(STEP_LABELS[q], c.lang), other_day=c.day(self.d(y)))
                    break

    def rights(self) -> None:
        """Sacem, SCPP/SPPF before the first radio or TV send; SDRM before the pressing."""
        c = self.c
        first: dict[tuple[str, bool], Task] = {}
        for task in self._kinded:
            pressing = Kind.PRESSING in self.kinds[task.id]
            if pressing or is_broadcast_send(task, self.kinds[task.id]):
                key = (self.release_of[task.id], pressing)
                if key not in first or self.d(task) < self.d(first[key]):
                    first[key] = task
        for task in self.of_kind(Kind.RIGHTS):
            if task.status in CLOSED:
                continue
            before = first.get((self.release_of[task.id], is_mechanical(task)))
            if before is not None and self.d(task) > self.d(before):
                what = t("check.rights_late.pressing" if is_mechanical(task)
                         else "check.rights_late.broadcast", c.lang)
                c.add("rights_late", task, "deadline", day=c.day(self.d(task)),
                      first=before.id, what=what, first_day=c.day(self.d(before)))

    def media_windows(self) -> None:
        """Monthlies by J-90, the first radio send within J-42…J-21, stock in by J-21."""
        c, th = self.c, self.c.th
        for task in self._open_kinded:
            kinds = self.kinds[task.id]
            r = self.release_day(self.release_of[task.id])
            d = self.d(task)
            if Kind.MONTHLIES in kinds and d > r - dt.timedelta(days=th.monthlies_days):
                c.add("monthlies_late", task, "deadline", day=c.day(d),
                      limit=c.day(r - dt.timedelta(days=th.monthlies_days)))
            if Kind.STOCK in kinds and d > r - dt.timedelta(days=th.stock_days):
                c.add("stock_late", task, "deadline", day=c.day(d),
                      limit=c.day(r - dt.timedelta(days=th.stock_days)))
        radio: dict[str, list[Task]] = defaultdict(list)
        for task in self._by_kind.get(Kind.SEND, ()):
            if is_radio_send(task, self.kinds[task.id]):
                radio[self.release_of[task.id]].append(task)
        early, late = th.radio_first_days
        for rid, tasks in radio.items():
            first = min(tasks, key=self.d)
            r, d = self.release_day(rid), self.d(first)
            if first.status in CLOSED or r - dt.timedelta(days=early) <= d <= \
                    r - dt.timedelta(days=late):
                continue
            n = (d - r).days
            c.add("radio_window", first, "deadline", day=c.day(d),
                  n=f"{'+' if n > 0 else ''}{n}" if n else "",
                  start=c.day(r - dt.timedelta(days=early)),
                  end=c.day(r - dt.timedelta(days=late)))

    def sends(self) -> None:
        """A send to outlets with nobody chasing it."""
        c = self.c
        chased = {t.parent or a for t in self.live if t.type is TaskType.FOLLOWUP
                  for a in (t.anchors or ("",))}
        for task in self._open_kinded:
            if (Kind.SEND in self.kinds[task.id] and not task.followup.strip()
                    and task.id not in chased and not task.is_milestone):
                c.add("send_without_followup", task, "followup")

    def presales(self) -> None:
        c = self.c
        sales: dict[str, Task] = {}
        for task in self.of_kind(Kind.SALE):
            key = product(task)
            if key not in sales or self.d(task) < self.d(sales[key]):
                sales[key] = task
        for task in self.of_kind(Kind.PRESALE):
            sale = sales.get(product(task))
            if sale is not None and task.status not in CLOSED and self.d(task) > self.d(sale):
                c.add("presale_after_sale", task, "deadline", day=c.day(self.d(task)),
                      other=sale.id, other_day=c.day(self.d(sale)))


def _is_working(cal: WorkCalendar, day: dt.date) -> bool:
    try:
        return cal.is_working(day)
    except (ValueError, OverflowError):
        return True  # a date past the calendar's range: nothing sensible to say

