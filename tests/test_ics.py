"""`retrosheet ics`: the calendar file, parsed back field by field and checked line by line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SINGLE
from icalendar import Calendar, Event

from retrosheet.cli import cli
from retrosheet.errors import RetrosheetError
from retrosheet.ics import plan_to_ics
from retrosheet.labels import Status
from retrosheet.model import Member
from retrosheet.new import NewPlan, new_plan

RELEASE = dt.date(2027, 5, 14)
NOW = dt.datetime(2027, 3, 1, 9, 30, tzinfo=dt.UTC)
UID = re.compile(r"^(?P<id>[TR]\d{3}(?:-\d)?)\.nuit-blanche-[0-9a-f]{8}@retrosheet$")


def make(release: dt.date = RELEASE, *, lang: str = "fr", title: str = "Nuit blanche",
         emails: dict[str, tuple[str, str]] | None = None) -> NewPlan:
    """The `single` template; `emails` maps a role to (name, e-mail) on the team table."""
    made = new_plan(SINGLE, release, lang=lang, title=title)
    if emails:
        st = made.plan.settings
        team = tuple(dataclasses.replace(m, name=emails[m.role][0], email=emails[m.role][1])
                     if m.role in emails else m for m in st.team)
        made.plan.settings = dataclasses.replace(st, team=team)
    return made


def events(data: bytes) -> list[Event]:
    out = [c for c in Calendar.from_ical(data).walk("VEVENT") if isinstance(c, Event)]
    assert data.count(b"BEGIN:VEVENT") == len(out)
    return out


def by_uid_id(data: bytes) -> dict[str, Event]:
    out = {}
    for ev in events(data):
        m = UID.match(str(ev["UID"]))
        assert m, ev["UID"]
        out[m["id"]] = ev
    return out


def strict_lines(data: bytes) -> list[str]:
    """The content lines, after checking RFC 5545 §3.1 framing strictly."""
    assert data.endswith(b"\r\n")
    raw = data[:-2].split(b"\r\n")
    for line in raw:
        assert b"\n" not in line and b"\r" not in line, line  # CRLF only, no bare LF/CR
        assert len(line) <= 75, (len(line), line)
        line.decode("utf-8")  # folding never splits a multi-octet character
    # Unfold: a line starting with a space or tab continues the previous one.
    unfolded: list[str] = []
    for text in (x.decode("utf-8") for x in raw):
        if text[:1] in (" ", "\t"):
            unfolded[-1] += text[1:]
        else:
            unfolded.append(text)
    stack: list[str] = []
    for text in unfolded:
        if text.startswith("BEGIN:"):
            stack.append(text[6:])
        elif text.startswith("END:"):
            assert stack and stack.pop() == text[4:], text
    assert stack == []
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    return unfolded


def test_calendar_is_strict_rfc5545() -> None:
    made = make(emails={"Manager": ("Léa Dupré-Ørsted", "lea@example.com")})
    data = plan_to_ics(made.plan, made.dates, now=NOW)
    lines = strict_lines(data)
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//retrosheet//retrosheet//EN"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "Nuit blanche"
    # Every event has what RFC 5545 requires and what calendars need to update it.
    for ev in events(data):
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
            assert prop in ev, prop
        assert ev.decoded("DTSTAMP") == NOW
    # All-day: DATE values, never DATE-TIME.
    starts = [x for x in lines if x.startswith("DTSTART")]
    assert starts and all(re.fullmatch(r"DTSTART;VALUE=DATE:\d{8}", x) for x in starts)
    assert sum(x == "BEGIN:VEVENT" for x in lines) == len(made.plan.tasks)


def test_one_event_per_task_and_follow_up() -> None:
    made = make()
    got = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))
    assert set(got) == {t.id for t in made.plan.tasks}
    assert any(tid.startswith("R") for tid in got)  # follow-up rows are there


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_done_and_cancelled_tasks_ring_no_reminder(lang: str) -> None:
    """Done: kept, marked in its title, no reminder. Cancelled: kept as a cancelled event
    (no reminder), so a calendar that imported it while it was to do updates it by UID
    instead of keeping the old event and its reminder."""
    made = make(lang=lang)
    first = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))
    assert first["T040"].walk("VALARM") and first["R170-1"].walk("VALARM")
    assert "STATUS" not in first["T040"]
    status = {"T040": Status.DONE, "R170-1": Status.CANCELLED, "T030": Status.DONE,
              "T050": Status.BLOCKED, "T060": Status.IN_PROGRESS}
    for t in made.plan.tasks:
        t.status = status.get(t.id, t.status)
    later = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW + dt.timedelta(days=3)))
    assert set(later) == set(first)  # every UID the calendar has is in the new file
    colon = " :" if lang == "fr" else ":"
    for tid in ("T040", "R170-1", "T030"):  # T030 spans several days: two reminders before
        ev = later[tid]
        assert ev.walk("VALARM") == [], tid
        assert str(ev["SUMMARY"]) == (f"{status[tid].label(lang)}{colon} "
                                      f"{first[tid]['SUMMARY']}")
        assert ev.decoded("SEQUENCE") > first[tid].decoded("SEQUENCE")
    assert str(later["R170-1"]["STATUS"]) == "CANCELLED"
    assert "STATUS" not in later["T040"]
    # Blocked and in progress are still to do: reminded, titles unchanged.
    for tid in ("T050", "T060"):
        assert later[tid].walk("VALARM") and later[tid]["SUMMARY"] == first[tid]["SUMMARY"]
    strict_lines(plan_to_ics(made.plan, made.dates, now=NOW))


def test_dates_are_the_engine_dates() -> None:
    made = make()
    got = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))
    multi = 0
    for tid, ev in got.items():
        d = made.dates[tid]
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        assert type(start) is dt.date and type(end) is dt.date
        assert start == d.start
        assert end == d.deadline + dt.timedelta(days=1)
        multi += d.start < d.deadline
    assert multi >= 1  # T030 (mix, 10 working days) spans from its start to its deadline
    assert got["T030"].decoded("DTSTART") < got["T030"].decoded("DTEND") - dt.timedelta(days=1)


def test_summary_description_and_categories() -> None:
    made = make()
    t = made.plan.by_id()["T040"]
    d = made.dates["T040"]
    ev = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))["T040"]
    assert str(ev["SUMMARY"]) == "T040 · Réaliser la séance photo presse"
    n = (d.deadline - RELEASE).days
    desc = str(ev["DESCRIPTION"])
    assert desc.splitlines()[:4] == [
        "Axe : Contenu", "Responsable : Artiste", "Statut : À faire",
        f"Échéance : J{n:+d} ({d.deadline:%d/%m/%Y})",
    ]
    assert t.notes in desc
    assert ev["CATEGORIES"].to_ical() == b"Contenu"
    assert str(ev["TRANSP"]) == "TRANSPARENT"
    # A follow-up row says what it follows; a task with a platform names it.
    follow = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))["R170-1"]
    assert "Relance de T170" in str(follow["DESCRIPTION"])
    assert "Plateforme : Radios locales" in str(
        by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))["T170"]["DESCRIPTION"])


def test_english_plan_and_status() -> None:
    made = make(lang="en")
    made.plan.by_id()["T040"].status = Status.DONE
    ev = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))["T040"]
    desc = str(ev["DESCRIPTION"])
    assert "Axis: Content" in desc and "Status: Done" in desc and "Deadline: J-" in desc
    assert ev["CATEGORIES"].to_ical() == b"Content"
    assert str(ev["SUMMARY"]).startswith("Done: T040 · ")
    assert ev.walk("VALARM") == []
    made.plan.by_id()["T040"].status = Status.TODO
    ev = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))["T040"]
    assert str(ev.walk("VALARM")[0]["DESCRIPTION"]).startswith("Tomorrow: T040 · ")


def test_uids_survive_a_release_move_and_dates_follow() -> None:
    first = make(RELEASE)
    moved = make(dt.date(2027, 9, 17))
    a = by_uid_id(plan_to_ics(first.plan, first.dates, now=NOW))
    b = by_uid_id(plan_to_ics(moved.plan, moved.dates, now=NOW))
    assert {str(e["UID"]) for e in a.values()} == {str(e["UID"]) for e in b.values()}
    assert len(a) == len(first.plan.tasks)
    for tid, ev in b.items():
        assert ev.decoded("DTSTART") == moved.dates[tid].start
        assert ev.decoded("DTEND") == moved.dates[tid].deadline + dt.timedelta(days=1)
        assert ev.decoded("DTSTART") != a[tid].decoded("DTSTART")
    # Another plan does not collide; a later export supersedes an earlier one.
    other = make(title="Autre titre")
    other_uids = {str(e["UID"]) for e in events(plan_to_ics(other.plan, other.dates, now=NOW))}
    assert not other_uids & {str(e["UID"]) for e in a.values()}
    later = by_uid_id(plan_to_ics(first.plan, first.dates,
                                  now=NOW + dt.timedelta(days=1)))
    assert later["T040"].decoded("SEQUENCE") > a["T040"].decoded("SEQUENCE")


def test_reminder_the_day_before() -> None:
    made = make()
    got = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))
    for tid, ev in got.items():
        alarms = ev.walk("VALARM")
        d = made.dates[tid]
        assert len(alarms) == (1 if d.start == d.deadline else 2), tid
        first = alarms[0]
        assert str(first["ACTION"]) == "DISPLAY"
        assert first.decoded("TRIGGER") == -dt.timedelta(days=1)
        assert str(ev["SUMMARY"]) in str(first["DESCRIPTION"])
    # A multi-day task also warns the day before its deadline (DTEND is the day after).
    second = got["T030"].walk("VALARM")[1]
    assert second["TRIGGER"].params["RELATED"] == "END"
    assert second.decoded("TRIGGER") == -dt.timedelta(days=2)
    assert str(second["DESCRIPTION"]).startswith("Échéance demain : T030")


def test_attendee_and_organizer_from_the_team_emails() -> None:
    made = make(emails={"Manager": ("Léa", "lea@example.com"),
                        "Promo radio": ("Promo radio", "radio@example.com")})
    owner = {t.id: t.owner for t in made.plan.tasks}
    got = by_uid_id(plan_to_ics(made.plan, made.dates, now=NOW))
    radio = got["T170"]
    assert owner["T170"] == "Promo radio"
    assert str(radio["ATTENDEE"]) == "mailto:radio@example.com"
    assert radio["ATTENDEE"].params["CN"] == "Promo radio"
    assert radio["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
    assert str(radio["ORGANIZER"]) == "mailto:lea@example.com"
    assert radio["ORGANIZER"].params["CN"] == "Léa"
    # The Manager's tasks go to Léa, who holds the role; the description says both.
    manager = got["T010"]
    assert owner["T010"] == "Manager"
    assert str(manager["ATTENDEE"]) == "mailto:lea@example.com"
    assert "Responsable : Manager (Léa)" in str(manager["DESCRIPTION"])
    # No e-mail known: no attendee, the owner's name is in the description.
    artist = got["T030"]
    assert owner["T030"] == "Artiste"
    assert "ATTENDEE" not in artist and "ORGANIZER" not in artist
    assert "Responsable : Artiste" in str(artist["DESCRIPTION"])


def test_owner_filter_is_case_insensitive() -> None:
    made = make()
    data = plan_to_ics(made.plan, made.dates, owner="  promo RADIO ", now=NOW)
    strict_lines(data)
    got = by_uid_id(data)
    assert set(got) == {t.id for t in made.plan.tasks if t.owner == "Promo radio"}
    assert len(got) == 5
    assert str(Calendar.from_ical(data)["X-WR-CALNAME"]) == "Nuit blanche — promo RADIO"


def test_unknown_owner_is_an_error_naming_the_owners() -> None:
    made = make()
    with pytest.raises(RetrosheetError) as err:
        plan_to_ics(made.plan, made.dates, owner="Personne", now=NOW)
    assert "Personne" in str(err.value) and "Promo radio" in str(err.value)
    assert "\n" not in str(err.value)


def test_untitled_plan_gets_a_name_and_uids() -> None:
    made = new_plan(SINGLE, RELEASE)
    made.plan.settings.team = (Member("X"),)
    data = plan_to_ics(made.plan, made.dates, now=NOW)
    strict_lines(data)
    cal = Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "retrosheet — single"
    uids = [str(e["UID"]) for e in events(data)]
    assert len(set(uids)) == len(uids) == len(made.plan.tasks)
    assert all(re.fullmatch(r"[TR][\d-]+\.single-[0-9a-f]{8}@retrosheet", u) for u in uids)
    stamp = events(data)[0].decoded("DTSTAMP")
    assert stamp == NOW


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_cli_ics_from_a_generated_workbook(tmp_path: Path) -> None:
    plan = tmp_path / "plan.xlsx"
    code, out = _invoke("new", SINGLE, "--release", "2027-05-14", "-o", str(plan),
                        "--title", "Nuit blanche", "--today", "2027-02-01")
    assert code == 0, out
    ics = tmp_path / "out.ics"
    code, out = _invoke("ics", str(plan), "-o", str(ics))
    assert (code, out) == (0, "")
    data = ics.read_bytes()
    strict_lines(data)
    made = make()
    got = by_uid_id(data)
    assert set(got) == {t.id for t in made.plan.tasks}
    for tid, ev in got.items():
        assert ev.decoded("DTSTART") == made.dates[tid].start
        assert ev.decoded("DTEND") == made.dates[tid].deadline + dt.timedelta(days=1)
    # Exported again: the same UIDs.
    again = tmp_path / "again.ics"
    assert _invoke("ics", str(plan), "-o", str(again))[0] == 0
    assert {str(e["UID"]) for e in events(again.read_bytes())} == {
        str(e["UID"]) for e in got.values()}
    # --owner
    lea = tmp_path / "radio.ics"
    code, out = _invoke("ics", str(plan), "--owner", "promo radio", "-o", str(lea))
    assert code == 0, out
    assert len(events(lea.read_bytes())) == 5


def test_cli_ics_unknown_owner_and_missing_file(tmp_path: Path) -> None:
    plan = tmp_path / "plan.xlsx"
    assert _invoke("new", SINGLE, "--release", "2027-05-14", "-o", str(plan))[0] == 0
    code, out = _invoke("ics", str(plan), "--owner", "Personne", "-o",
                        str(tmp_path / "x.ics"))
    assert code == 2
    assert out.startswith("Erreur : aucune tâche n'a pour responsable 'Personne'")
    assert out.count("\n") == 1
    assert not (tmp_path / "x.ics").exists()
    code, out = _invoke("ics", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "x.ics"))
    assert code == 2 and out.count("\n") == 1 and "fichier introuvable" in out


def test_without_icalendar_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    made = make()
    monkeypatch.setitem(sys.modules, "icalendar", None)  # import icalendar → ImportError
    with pytest.raises(RetrosheetError, match=r"pip install 'retrosheet\[report\]'"):
        plan_to_ics(made.plan, made.dates, now=NOW)
