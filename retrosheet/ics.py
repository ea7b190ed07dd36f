"""The plan's deadlines as an iCalendar file (RFC 5545), for `retrosheet ics`.

One all-day event per task and follow-up row: on the deadline, or from the start to the
deadline for tasks that take several days, with a reminder the day before while the task is
still to do. UIDs depend on the plan's identity and the task ID, never on dates: re-importing
after the release moved updates the events instead of duplicating them.

A done task stays (the campaign's calendar shows what was done, when), its title marked
`Fait : …`, without a reminder. A cancelled task stays too, as a cancelled event (STATUS
CANCELLED, `Annulé : …`, no reminder): a calendar that imported it while it was to do
updates the event by its UID and drops its reminder, where leaving it out of the file would
leave the old event ringing there (docs/calendar.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from .errors import RetrosheetError, msg
from .labels import Status, TaskType, axis_label, header, normalize, platform_label
from .model import Member, Plan, Scheduled, Settings, Task
from .owners import owner_tasks
from .values import one_line
from .words import formats as fmt
from .words import t

if TYPE_CHECKING:
    from icalendar import Alarm, Event, vCalAddress

PRODID = "-//retrosheet//retrosheet//EN"
UID_DOMAIN = "retrosheet"
# SEQUENCE counts minutes from this instant: each export supersedes the previous one.
_SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

def j_label(day: dt.date, release: dt.date) -> str:
    """`J-28`, `J`, `J+7`: a date relative to the release day."""
    n = (day - release).days
    return "J" if n == 0 else f"J{n:+d}"


def _slug(text: str) -> str:
    return "-".join(normalize(text).split())[:40].strip("-")


def plan_key(settings: Settings) -> str:
    """What identifies a plan across exports: `nuit-blanche-3f2a9c1b`.

    Built from the title, artist, template and creation day, never from the release
    date, so moving the release keeps every UID. The short hash keeps two untitled plans
    made from the same template apart.
    """
    identity = "\x1f".join((settings.title.strip(), settings.artist.strip(),
                            settings.template.strip(),
                            settings.created.isoformat() if settings.created else ""))
    digest = hashlib.sha1(identity.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    slug = _slug(settings.title or settings.artist or settings.template) or "plan"
    return f"{slug}-{digest}"


def event_uid(settings: Settings, task_id: str) -> str:
    """`T040.nuit-blanche-3f2a9c1b@retrosheet`: stable across exports and date moves."""
    return f"{task_id}.{plan_key(settings)}@{UID_DOMAIN}"


def find_member(team: tuple[Member, ...], owner: str) -> Member | None:
    """The team member an owner cell names: by name, or else by role.

    Templates name owners by role (`Manager`); a team table that gives `Léa` the role
    `Manager` makes her the owner of those tasks.
    """
    key = owner.strip().casefold()
    if not key:
        return None
    for m in team:
        if m.name.strip().casefold() == key:
            return m
    for m in team:
        if m.role.strip().casefold() == key:
            return m
    return None


def plan_owner(team: tuple[Member, ...]) -> Member | None:
    """Who runs the plan: the member whose role is Manager, or else the first one."""
    for m in team:
        if normalize(m.role) == "manager":
            return m
    for m in team:
        if normalize(m.name) == "manager":
            return m
    return team[0] if team else None


def _address(m: Member) -> vCalAddress:
    from icalendar import vCalAddress, vText

    addr = vCalAddress(f"mailto:{m.email.strip()}")
    addr.params["CN"] = vText(one_line(m.name) or m.email.strip())
    return addr


def _description(task: Task, d: Scheduled, settings: Settings) -> str:
    lang = settings.lang
    status = task.status or Status.TODO

    def line(key: str, value: str) -> str:
        return fmt.labelled(header(key, lang), value, lang)

    lines = []
    if task.axis:
        lines.append(line("axis", axis_label(task.axis, lang)))
    if task.owner:
        member = find_member(settings.team, task.owner)
        who = task.owner.strip()
        if member is not None and member.name.strip() and \
                member.name.strip().casefold() != who.casefold():
            who = f"{who} ({member.name.strip()})"  # a role held by a named member
        lines.append(line("owner", who))
    if task.platform:
        lines.append(line("platform", platform_label(task.platform, lang)))
    lines.append(line("status", status.label(lang)))
    if d.start != d.deadline:
        lines.append(line("start", f"{j_label(d.start, settings.release)} "
                                   f"({fmt.date(d.start, lang)})"))
    lines.append(line("deadline", f"{j_label(d.deadline, settings.release)} "
                                  f"({fmt.date(d.deadline, lang)})"))
    if task.type is TaskType.FOLLOWUP and task.parent:
        lines.append(f"{t('ics.followup_of', lang)} {task.parent}")
    if task.notes.strip():
        lines += ["", line("notes", task.notes.strip())]
    return "\n".join(lines)


def _alarm(text: str, trigger: dt.timedelta, related_end: bool = False) -> Alarm:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    if related_end:
        alarm.add("trigger", trigger, parameters={"RELATED": "END"})
    else:
        alarm.add("trigger", trigger)
    return alarm


def _event(task: Task, d: Scheduled, settings: Settings, stamp: dt.datetime,
           sequence: int, organizer: Member | None) -> Event:
    from icalendar import Event, vText

    lang = settings.lang
    summary = f"{task.id} · {task.action}" if task.action else task.id
    closed = task.status in (Status.DONE, Status.CANCELLED)
    ev = Event()
    ev.add("uid", event_uid(settings, task.id))
    ev.add("dtstamp", stamp)
    ev.add("sequence", sequence)
    ev.add("summary", fmt.labelled(task.status.label(lang), summary, lang)
           if task.status is not None and closed else summary)
    if task.status is Status.CANCELLED:
        ev.add("status", "CANCELLED")
    ev.add("dtstart", d.start)
    ev.add("dtend", d.deadline + dt.timedelta(days=1))
    ev.add("description", _description(task, d, settings))
    ev.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
    axis = axis_label(task.axis, lang).strip()
    if axis:
        ev.add("categories", [axis])
    member = find_member(settings.team, task.owner)
    if member is not None and member.email.strip():
        boss = organizer if organizer is not None and organizer.email.strip() else member
        ev.add("organizer", _address(boss))
        attendee = _address(member)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["CUTYPE"] = vText("INDIVIDUAL")
        ev.add("attendee", attendee)
    if closed:
        return ev  # nothing left to remind anyone of
    if d.start == d.deadline:
        ev.add_component(_alarm(fmt.labelled(t("ics.tomorrow", lang), summary, lang),
                                -dt.timedelta(days=1)))
    else:
        ev.add_component(_alarm(fmt.labelled(t("ics.starts_tomorrow", lang), summary, lang),
                                -dt.timedelta(days=1)))
        # DTEND is the day after the deadline: two days before it is the eve of the deadline.
        ev.add_component(_alarm(fmt.labelled(t("ics.due_tomorrow", lang), summary, lang),
                                -dt.timedelta(days=2), related_end=True))
    return ev


def calendar_name(settings: Settings) -> str:
    # A line break typed in the cell would end the calendar's name line: one line.
    name = " — ".join(x for x in (one_line(settings.title), one_line(settings.artist)) if x)
    return name or f"retrosheet — {settings.template or t('ics.plan', settings.lang)}"


def plan_to_ics(
    plan: Plan,
    dates: dict[str, Scheduled],
    owner: str | None = None,
    *,
    now: dt.datetime,
) -> bytes:
    """The plan's deadlines as an .ics file: one event per task (module docstring).

    `owner` keeps one owner's tasks (case-insensitive, as `report --owner`); an owner
    who has no task is an error, so a typo does not give an empty calendar. `now` is the
    DTSTAMP (the caller's clock); it also sets SEQUENCE, so each export
    supersedes the previous one in calendars that imported it.
    """
    try:
        from icalendar import Calendar
    except ImportError as exc:  # the "report" extra
        raise RetrosheetError(msg("ics.needs_icalendar")) from exc
    st = plan.settings
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    sequence = max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60))
    tasks = plan.tasks
    if owner is not None:
        tasks = owner_tasks(plan, owner)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = calendar_name(st)
    if owner is not None:
        name = f"{name} — {one_line(owner)}"
    cal.add("x-wr-calname", name)
    organizer = plan_owner(st.team)
    ordered = sorted(tasks, key=lambda t: (dates[t.id].deadline, dates[t.id].start, t.id))
    for task in ordered:
        cal.add_component(_event(task, dates[task.id], st, stamp, sequence, organizer))
    return bytes(cal.to_ical())
