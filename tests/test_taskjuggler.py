"""Cross-check of retrosheet's scheduler against TaskJuggler (tj3), an independent scheduler.

Each plan is built in Python, scheduled by `retrosheet.schedule.schedule`, written as an
equivalent TaskJuggler project (the mapping is explained in docs/taskjuggler.md), scheduled
by `tj3`, read back from a CSV task report and compared date for date.

Run with `pytest -m taskjuggler`; the tests that need tj3 skip when it is not installed.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from retrosheet import templates
from retrosheet.errors import PlanError
from retrosheet.followups import expand_followups
from retrosheet.labels import TaskType, Unit
from retrosheet.model import RELEASE, Source, Task
from retrosheet.schedule import schedule
from retrosheet.workdays import WorkCalendar

pytestmark = pytest.mark.taskjuggler

TJ3 = shutil.which("tj3")
J = dt.date(2027, 5, 14)  # a Friday; 6 May Ascension, 8 May (Sat), 17 May Whit Monday
D = dt.date
WD = Unit.WORKING_DAYS
MILESTONE = TaskType.MILESTONE


@pytest.fixture
def tj3() -> str:
    if TJ3 is None:
        pytest.skip("TaskJuggler is not installed: no `tj3` on PATH (Debian: apt install tj3)")
    return TJ3


# --------------------------------------------------------------------------------------
# Working hours: the mapping must not depend on them, so every plan runs with two setups.


@dataclass(frozen=True)
class Hours:
    name: str
    spans: str  # `workinghours mon - fri <spans>`
    per_day: int  # `dailyworkinghours`: how many hours `1d` of length / gaplength means


OFFICE = Hours("office", "9:00 - 12:00, 13:00 - 18:00", 8)  # TaskJuggler's defaults
WHOLE_DAY = Hours("whole-day", "0:00 - 24:00", 24)  # a working day is one 24 h block
HOURS = [pytest.param(OFFICE, id="office-hours"), pytest.param(WHOLE_DAY, id="whole-days")]


# --------------------------------------------------------------------------------------
# retrosheet plan → TaskJuggler project


def _ident(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "/").replace('"', "'") + '"'


def tj_ids(tasks: Sequence[Task]) -> dict[str, str]:
    """retrosheet ID → TaskJuggler ID of the task body (unique thanks to the row number)."""
    ids = {RELEASE: "J"}
    for n, task in enumerate(tasks, 1):
        ids[task.id] = f"t{n:03d}_{_ident(task.id)}"
    return ids


def _length(task: Task) -> int:
    """Working days the body spans: the duration, or 1 for a milestone (start = deadline)."""
    if task.is_milestone or not task.duration:
        return 1
    return task.duration


def _days(n: int) -> str:
    return f"{n}d"


def _is_event(task: Task, milestones_keep_their_day: bool) -> bool:
    """A date that is never moved: fixed days, or a milestone on calendar days (README,
    tests/test_schedule.py)."""
    if task.unit is Unit.FIXED_DAYS:
        return True
    return milestones_keep_their_day and task.is_milestone and task.unit is Unit.DAYS


def to_tjp(
    tasks: Sequence[Task],
    release: dt.date,
    cal: WorkCalendar,
    hours: Hours,
    *,
    milestones_keep_their_day: bool = True,
    title: str = "retrosheet cross-check",
) -> str:
    """An equivalent TaskJuggler project, with a CSV report `dates.csv` (id, start, end).

    Every date is an instant: `<id>_close` is the close of a task's deadline day and
    `<id>_open` the opening of it (J_open and J_close for the release day). Task bodies are
    ALAP `length` tasks that precede the instants they must end before; ALAP puts them on
    the last working time at or before that bound, which is the roll-back rule. After the
    anchor (calendar days), an ASAP day of work starting at the bound lands on the first
    working day on or after it, which is the roll-forward rule. A date that keeps its day
    is a TaskJuggler milestone placed exactly on the bound instead.
    """
    ids = tj_ids(tasks)
    first, last = release - dt.timedelta(days=400), release + dt.timedelta(days=400)
    years = range(first.year, last.year + 1)
    lines = [
        f"project retrosheet {_quote(title)} {first} - {last} {{",
        '  timezone "UTC"',
        "  timingresolution 60min",
        f"  dailyworkinghours {hours.per_day}",
        f"  workinghours mon - fri {hours.spans}",
        "  workinghours sat, sun off",
        "}",
        "",
    ]
    names = cal.holidays(years)
    for day in sorted(cal.non_working(years)):
        if first <= day <= last:
            lines.append(f"leaves holiday {_quote(names.get(day, 'Jour non travaillé'))} {day}")
    lines += [
        "",
        f'task J_open "J opens ({release})" {{ milestone start {release} }}',
        f'task J_close "J closes" {{ milestone start {release + dt.timedelta(days=1)} }}',
    ]
    for task in tasks:
        body = ids[task.id]
        k = task.offset
        working = task.unit is Unit.WORKING_DAYS
        helpers: list[str] = []
        precedes: list[str] = []
        kept = _is_event(task, milestones_keep_their_day)
        forward = k > 0 and task.unit is Unit.DAYS and not kept
        for i, anchor in enumerate(task.anchors, 1):
            target = ids.get(anchor, f"unknown_{_ident(anchor)}")
            if forward:
                # After the anchor, rolled forward: one ASAP working day that may start at
                # the close of day A + k - 1; its end closes the first working day on or
                # after A + k. One per anchor; the ALAP close below takes the earliest.
                gap = f" {{ gapduration {_days(k - 1)} }}" if k > 1 else ""
                helpers += [
                    f"task {body}_fwd{i} {_quote(f'{task.id}: {anchor} + {k}, forward')} "
                    f"{{ length 1d depends {target}_close{gap} }}",
                    f"task {body}_end{i} {_quote(f'{task.id}: end of {anchor} + {k}')} "
                    f"{{ milestone depends {body}_fwd{i} }}",
                ]
                precedes.append(f"{body}_end{i}")
            elif k > 0:
                # After the anchor: an ASAP milestone k (working) days after the close of
                # the anchor day is the bound; one per anchor, so that ALAP takes the earliest.
                gap = f"gaplength {_days(k)}" if working else f"gapduration {_days(k)}"
                helpers.append(
                    f"task {body}_after{i} {_quote(f'{task.id}: {anchor} + {k}')} "
                    f"{{ milestone depends {target}_close {{ {gap} }} }}"
                )
                precedes.append(f"{body}_after{i}")
            elif working and k < 0:
                # WORKDAY(A, -n): n - 1 working days between the body and the opening of A.
                gap = f" {{ gaplength {_days(-k - 1)} }}" if k < -1 else ""
                precedes.append(f"{target}_open{gap}")
            else:
                # A + k calendar days (k <= 0), or WORKDAY(A, 0) on a working anchor day.
                gap = f" {{ gapduration {_days(-k)} }}" if k < 0 else ""
                precedes.append(f"{target}_close{gap}")
        lines += ["", *helpers]
        label = f"{task.id} {task.action}".strip()
        d = _length(task)
        if kept or forward:
            lines.append(f"task {body}_close {_quote(label)} {{")
            lines.append("  milestone")
            lines.append("  scheduling alap")
            lines += [f"  precedes {p}" for p in precedes]
            lines.append("}")
        if forward:
            # The body ends with the day its close ends; it starts d - 1 working days earlier.
            lines.append(f"task {body} {_quote(label + ' (work)')} {{ scheduling alap "
                         f"length {_days(d)} precedes {body}_close }}")
            open_gap = f" gaplength {_days(d - 1)}" if d > 1 else ""
            lines.append(
                f"task {body}_open {_quote(f'{task.id} deadline day opens')} "
                f"{{ milestone depends {body} {{ onstart{open_gap} }} }}"
            )
            continue
        if kept:
            # The opening of a day is, in working time, the close of the day before.
            lines.append(
                f"task {body}_open {_quote(f'{task.id} day opens')} {{ milestone "
                f"scheduling alap precedes {body}_close {{ gapduration 1d }} }}"
            )
            if d > 1:
                # WORKDAY(deadline, -(d-1)): d - 1 working days before the kept day opens.
                lines.append(f"task {body} {_quote(label + ' (work)')} {{ scheduling alap "
                             f"length {_days(d - 1)} precedes {body}_open }}")
            continue
        lines.append(f"task {body} {_quote(label)} {{")
        lines.append("  scheduling alap")
        lines.append(f"  length {_days(d)}")
        lines += [f"  precedes {p}" for p in precedes]
        lines.append("}")
        open_gap = f" gaplength {_days(d - 1)}" if d > 1 else ""
        lines.append(
            f"task {body}_open {_quote(f'{task.id} deadline day opens')} "
            f"{{ milestone depends {body} {{ onstart{open_gap} }} }}"
        )
        lines.append(
            f"task {body}_close {_quote(f'{task.id} deadline day closes')} "
            f"{{ milestone depends {body} {{ onstart gaplength {_days(d)} }} }}"
        )
    lines += [
        "",
        'taskreport dates "dates" {',
        "  formats csv",
        "  columns id, start, end",
        '  timeformat "%Y-%m-%d %H:%M"',
        "  hidetask 0",
        "}",
        "",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str
    report: dict[str, tuple[dt.datetime, dt.datetime]]  # TaskJuggler id → (start, end)


def run_tj3(tj3: str, tjp: str, workdir: Path) -> Run:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "plan.tjp").write_text(tjp, encoding="utf-8")
    proc = subprocess.run(
        [tj3, "--silent", "--no-color", "-o", str(workdir), "plan.tjp"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TZ": "UTC"},
        check=False,
    )
    report: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    path = workdir / "dates.csv"
    if proc.returncode == 0 and path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))
        assert rows[0] == ["Id", "Start", "End"], rows[0]
        fmt = "%Y-%m-%d %H:%M"
        for tid, start, end in rows[1:]:
            report[tid] = (dt.datetime.strptime(start, fmt), dt.datetime.strptime(end, fmt))
    return Run(proc.returncode, proc.stdout + proc.stderr, report)


def schedule_with_tj3(
    tj3: str,
    tasks: Sequence[Task],
    release: dt.date,
    cal: WorkCalendar,
    hours: Hours,
    workdir: Path,
    *,
    milestones_keep_their_day: bool = True,
) -> dict[str, tuple[dt.date, dt.date]]:
    """Each task's (start, deadline) as TaskJuggler schedules the mapped project."""
    tjp = to_tjp(tasks, release, cal, hours, milestones_keep_their_day=milestones_keep_their_day)
    run = run_tj3(tj3, tjp, workdir)
    assert run.returncode == 0, f"tj3 failed on {workdir / 'plan.tjp'}:\n{run.output}"
    assert "Warning" not in run.output and "Error" not in run.output, run.output
    ids = tj_ids(tasks)
    out: dict[str, tuple[dt.date, dt.date]] = {}
    for task in tasks:
        close = run.report[ids[task.id] + "_close"][0]
        # `_close` is the instant the deadline day ends (18:00, or 00:00 the next day): the
        # deadline is the day that instant closes, as with TaskJuggler's exclusive ends.
        deadline = (close - dt.timedelta(minutes=1)).date()
        if _is_event(task, milestones_keep_their_day) and _length(task) == 1:
            out[task.id] = (deadline, deadline)
        else:
            out[task.id] = (run.report[ids[task.id]][0].date(), deadline)
    return out


def engine_dates(
    tasks: Sequence[Task], release: dt.date, cal: WorkCalendar
) -> dict[str, tuple[dt.date, dt.date]]:
    return {tid: (s.start, s.deadline) for tid, s in schedule(list(tasks), release, cal).items()}


def assert_same(
    engine: dict[str, tuple[dt.date, dt.date]], tj: dict[str, tuple[dt.date, dt.date]]
) -> None:
    assert engine.keys() == tj.keys()
    diff = [
        f"{tid}: retrosheet start {engine[tid][0]} deadline {engine[tid][1]}, "
        f"tj3 start {tj[tid][0]} deadline {tj[tid][1]}"
        for tid in engine
        if engine[tid] != tj[tid]
    ]
    assert not diff, f"{len(diff)} of {len(engine)} tasks disagree:\n" + "\n".join(diff)


# --------------------------------------------------------------------------------------
# Plans


def t(
    tid: str,
    action: str,
    anchors: str | Iterable[str] = RELEASE,
    offset: int = 0,
    unit: Unit = Unit.DAYS,
    duration: int | None = 1,
    kind: TaskType = TaskType.TASK,
    followup: str = "",
    axis: str = "",
) -> Task:
    refs = (anchors,) if isinstance(anchors, str) else tuple(anchors)
    return Task(
        id=tid, action=action, anchors=refs, offset=offset, unit=unit,
        duration=None if kind is MILESTONE else duration, type=kind, followup=followup,
        axis=axis,
    )


def single_release_plan() -> list[Task]:
    """A single out on Friday 14 May 2027, J-56 to J+28, with follow-ups expanded."""
    tasks = [
        # Production and distribution
        t("T010", "Master final livré", offset=-56, duration=3, axis="Production"),
        t("T020", "Upload chez le distributeur", "T010", 3, axis="Distribution"),
        t("T025", "Métadonnées et ISRC vérifiés", "T020", -2, WD, axis="Distribution"),
        t("T030", "Pitch éditorial Spotify", offset=-21, unit=WD, axis="Playlists"),
        t("T040", "Artwork final validé", offset=-49, duration=2, axis="Contenu"),
        t("M050", "Précommande ouverte", "T020", 10, kind=MILESTONE, axis="Distribution"),
        t("T060", "Déclaration SACEM", "T010", 5, WD, axis="Admin"),
        # Radio: two waves, chased
        t("T100", "Envoi radios vague 1", offset=-35, followup="+14", axis="Radio"),
        t("T110", "Envoi radios vague 2", "T100", 7, followup="+7 x2", axis="Radio"),
        t("T120", "Bilan radio", ("T100", "T110"), 28, axis="Radio"),
        # Press
        t("T200", "Communiqué de presse rédigé", offset=-30, duration=3, axis="Presse"),
        t("T210", "Envoi presse", "T200", 1, WD, followup="+10", axis="Presse"),
        t("T220", "Interviews", "T210", 12, duration=4, axis="Presse"),
        t("T230", "Revue de presse", offset=7, axis="Presse"),
        # Playlists: landing on 1 May (Sat) and on 6 May (Ascension)
        t("T300", "Pitch curateurs indépendants", offset=-13, followup="+7", axis="Playlists"),
        t("T310", "Soumissions SubmitHub", offset=-8, axis="Playlists"),
        # Social: landing on 8 May (Sat and holiday), J+1 (Sat), J+3 (Whit Monday)
        t("T400", "Annonce de la sortie", offset=-6, axis="Social"),
        t("T410", "Teaser 1", "T400", -7, axis="Social"),
        t("T420", "Teaser 2", "T400", -3, duration=2, axis="Social"),
        t("T430", "Campagne de pré-save", offset=-15, unit=WD, duration=5, axis="Social"),
        t("T440", "Post du jour de sortie", axis="Social"),
        t("T450", "Live Instagram", offset=1, axis="Social"),
        t("T460", "Remerciements et premiers chiffres", offset=3, axis="Social"),
        t("T470", "Story du samedi", offset=1, unit=Unit.FIXED_DAYS, axis="Social"),
        # A release inside the plan (a lead single) on Saturday 10 April, its pitch before it
        t("S480", "Sortie du premier extrait", offset=-34, kind=TaskType.RELEASE,
          axis="Distribution"),
        t("T485", "Pitch éditorial du premier extrait", "S480", -7, axis="Playlists"),
        # Video: a 3-deep chain after J, a milestone
        t("T500", "Tournage du clip", offset=-42, duration=2, axis="Clip"),
        t("T510", "Montage du clip", "T500", 10, WD, duration=5, axis="Clip"),
        t("M520", "Sortie du clip", offset=7, kind=MILESTONE, axis="Clip"),
        t("T530", "Teaser du clip", "M520", -2, axis="Clip"),
        t("T540", "Mise en avant YouTube", "T530", 2, WD, axis="Clip"),
        # Live: the party (an event) stays on Saturday 22 May; the work around it rolls back
        t("M600", "Release party", offset=8, kind=MILESTONE, axis="Concerts"),
        t("T605", "Balances et logistique", offset=8, duration=2, axis="Concerts"),
        t("T610", "Réservation de la salle", "M600", -45, axis="Concerts"),
        t("T620", "Affiches imprimées", "T610", 10, WD, duration=3, axis="Concerts"),
        t("T630", "Annonce du concert", "T620", -1, WD, axis="Concerts"),
        t("T640", "Dernier rappel billetterie", "M600", -2, WD, axis="Concerts"),
        t("T650", "Photos du concert en ligne", "M600", 1, WD, axis="Concerts"),
        t("T660", "Liste d'invités bouclée", "M600", -1, axis="Concerts"),
        t("T665", "Montage de la scène", "M600", 0, Unit.FIXED_DAYS, duration=3,
          axis="Concerts"),
        t("T670", "Remercier le public", "M600", 1, axis="Concerts"),
        # Ads and admin
        t("T700", "Campagne Meta Ads", offset=-2, unit=WD, duration=5, axis="Publicité"),
        t("T710", "Campagne TikTok Spark Ads", "T700", 0, WD, duration=3, axis="Publicité"),
        t("T800", "Point d'équipe avant sortie", ("T400", "T310", "T530"), -1, WD),
        t("T810", "Bilan de campagne", ("T230", "M600", "M520"), 14, axis="Admin"),
        t("M900", "Campagne terminée", "T810", 14, WD, kind=MILESTONE, axis="Admin"),
    ]
    return expand_followups(tasks, "fr")


def france() -> WorkCalendar:
    return WorkCalendar("FR")


def alsace_moselle() -> WorkCalendar:
    # Good Friday (26 March 2027) is a holiday there; the team also bridges Ascension.
    return WorkCalendar("FR", "Alsace-Moselle", days_off=[D(2027, 5, 7)])


CALENDARS = [
    pytest.param(france, id="france"),
    pytest.param(alsace_moselle, id="alsace-moselle"),
]


# --------------------------------------------------------------------------------------
# The cross-checks


@pytest.mark.parametrize("hours", HOURS)
@pytest.mark.parametrize("make_cal", CALENDARS)
def test_release_plan_matches_taskjuggler(
    tj3: str, tmp_path: Path, make_cal: Callable[[], WorkCalendar], hours: Hours
) -> None:
    tasks = single_release_plan()
    assert len(tasks) >= 40
    cal = make_cal()
    assert_same(engine_dates(tasks, J, cal), schedule_with_tj3(tj3, tasks, J, cal, hours, tmp_path))


# Where the rounding rule and the calendars bite, written out by hand:
# id → (France, Alsace-Moselle with 7 May off) deadlines.
ROLLED_BACK = {
    "T300": (D(2027, 4, 30), D(2027, 4, 30)),  # J-13 = Sat 1 May → Fri 30 April
    "T310": (D(2027, 5, 5), D(2027, 5, 5)),  # J-8 = Thu 6 May (Ascension) → Wed 5 May
    "T400": (D(2027, 5, 7), D(2027, 5, 5)),  # J-6 = Sat 8 May → Fri 7 (off in Alsace) → Wed 5
    "T410": (D(2027, 4, 30), D(2027, 4, 28)),  # anchor's deadline - 7, not J-13
    "T450": (D(2027, 5, 18), D(2027, 5, 18)),  # J+1 = Sat 15 May → Tue 18, after J
    "T460": (D(2027, 5, 18), D(2027, 5, 18)),  # J+3 = Whit Monday 17 May → Tue 18 May
    "T470": (D(2027, 5, 15), D(2027, 5, 15)),  # fixed days: Saturday 15 May kept
    "S480": (D(2027, 4, 10), D(2027, 4, 10)),  # a release inside the plan keeps Saturday
    "T485": (D(2027, 4, 2), D(2027, 4, 2)),  # Sat 3 April, before its anchor → Fri 2
    "T605": (D(2027, 5, 24), D(2027, 5, 24)),  # J+8 = Sat 22 May → Mon 24 May
    "T665": (D(2027, 5, 22), D(2027, 5, 22)),  # fixed days on the party's Saturday
    "T670": (D(2027, 5, 24), D(2027, 5, 24)),  # Sun 23 May → Mon 24: never before the party
    "M600": (D(2027, 5, 22), D(2027, 5, 22)),  # ... but the party itself keeps its Saturday
    "T640": (D(2027, 5, 20), D(2027, 5, 20)),  # WORKDAY(Sat 22 May, -2) = Thu 20 May
    "T650": (D(2027, 5, 24), D(2027, 5, 24)),  # WORKDAY(Sat 22 May, 1) = Mon 24 May
    "T040": (D(2027, 3, 26), D(2027, 3, 25)),  # J-49 = Good Friday 26 March in Alsace
    "T120": (D(2027, 5, 7), D(2027, 5, 10)),  # earliest anchor T100 (9 Apr) + 28 = 7 May,
    # off in Alsace: forward to Monday 10 May
    "T030": (D(2027, 4, 14), D(2027, 4, 13)),  # WORKDAY(J, -21) skips 6 May (and 7 May off)
}


KEPT = {"M600", "T470", "S480", "T665"}  # dates that never move to a working day


@pytest.mark.parametrize(
    ("column", "make_cal"),
    [pytest.param(0, france, id="france"), pytest.param(1, alsace_moselle, id="alsace-moselle")],
)
def test_roll_back_cases_by_hand(
    tj3: str, tmp_path: Path, column: int, make_cal: Callable[[], WorkCalendar]
) -> None:
    tasks = single_release_plan()
    cal = make_cal()
    engine = engine_dates(tasks, J, cal)
    tj = schedule_with_tj3(tj3, tasks, J, cal, OFFICE, tmp_path)
    expected = {tid: days[column] for tid, days in ROLLED_BACK.items()}
    assert {tid: engine[tid][1] for tid in expected} == expected
    assert {tid: tj[tid][1] for tid in expected} == expected
    for tid, deadline in expected.items():
        assert cal.is_working(deadline) is (tid not in KEPT), tid


def test_alsace_calendar_really_differs() -> None:
    """The Alsace-Moselle run is not the French run twice."""
    tasks = single_release_plan()
    fr, als = engine_dates(tasks, J, france()), engine_dates(tasks, J, alsace_moselle())
    assert WorkCalendar("FR").is_working(D(2027, 3, 26))
    assert not WorkCalendar("FR", "Alsace-Moselle").is_working(D(2027, 3, 26))
    assert sum(fr[tid] != als[tid] for tid in fr) >= 5


@pytest.mark.parametrize("hours", HOURS)
def test_release_on_a_non_working_day(tj3: str, tmp_path: Path, hours: Hours) -> None:
    """J on Saturday 8 May 2027 (a holiday too): anchors that are not working days."""
    release = D(2027, 5, 8)
    tasks = [
        t("A", "J+0", offset=0),
        t("B", "J-1", offset=-1),
        t("C", "J+1", offset=1),
        t("E", "J-1 wd", offset=-1, unit=WD),
        t("F", "J-3 wd", offset=-3, unit=WD, duration=2),
        t("G", "J+1 wd", offset=1, unit=WD),
        t("H", "J+2 wd", offset=2, unit=WD, duration=2),
        t("K", "B-2", "B", -2),
        t("L", "E+1 wd", "E", 1, WD),
        t("M", "milestone J+9: Whit Monday, kept (an event)", offset=9, kind=MILESTONE),
    ]
    cal = france()
    engine = engine_dates(tasks, release, cal)
    assert engine["A"] == (D(2027, 5, 7), D(2027, 5, 7))
    assert engine["E"][1] == D(2027, 5, 7)
    assert engine["G"][1] == D(2027, 5, 10)
    assert engine["F"] == (D(2027, 5, 3), D(2027, 5, 4))  # 7, 5, 4 May; starts Mon 3
    assert engine["C"][1] == D(2027, 5, 10)  # Sunday 9 May → Monday 10
    assert_same(engine, schedule_with_tj3(tj3, tasks, release, cal, hours, tmp_path))


def test_workday_zero_keeps_a_non_working_anchor_day() -> None:
    """Excel's WORKDAY(A, 0) is A even on a Saturday: the one case the mapping leaves out."""
    tasks = [t("A", "J+0 wd", offset=0, unit=WD)]
    assert engine_dates(tasks, D(2027, 5, 8), france())["A"] == (D(2027, 5, 8), D(2027, 5, 8))


def test_asap_rolls_forward_like_the_engine(tj3: str, tmp_path: Path) -> None:
    """Why dates after an anchor are ASAP work in the mapping: TaskJuggler's ASAP moves J+1
    forward, as docs/dates.md does.

    An ASAP `length` task that `depends` on J closing starts at the bound (Saturday 15 May)
    and its first working slot is Tuesday 18 May (Whit Monday in between); retrosheet moves
    J+1 forward to Tuesday 18 May too.
    """
    tjp = to_tjp([], J, france(), WHOLE_DAY).replace(
        "taskreport", 'task naive "J+1, ASAP" { length 1d depends J_close }\n\ntaskreport'
    )
    run = run_tj3(tj3, tjp, tmp_path)
    assert run.returncode == 0, run.output
    start, end = run.report["naive"]
    assert start == dt.datetime(2027, 5, 15)  # an ASAP start is not moved onto working time
    assert end == dt.datetime(2027, 5, 19)  # exclusive end: the work is done on Tue 18 May
    engine = engine_dates([t("N", "J+1", offset=1)], J, france())
    assert engine["N"] == (D(2027, 5, 18), D(2027, 5, 18))


SATURDAY_PARTY = [
    t("M600", "Release party", offset=8, kind=MILESTONE),  # J+8 = Saturday 22 May 2027
    t("T610", "Réservation de la salle", "M600", -45),
]


def test_tj3_milestone_rule_both_ways(tj3: str, tmp_path: Path) -> None:
    """The only mapping choice that changes a date: does a milestone roll back?"""
    cal = france()
    kept = schedule_with_tj3(tj3, SATURDAY_PARTY, J, cal, OFFICE, tmp_path / "kept")
    rolled = schedule_with_tj3(
        tj3, SATURDAY_PARTY, J, cal, OFFICE, tmp_path / "rolled", milestones_keep_their_day=False
    )
    assert kept["M600"] == (D(2027, 5, 22), D(2027, 5, 22))
    assert kept["T610"][1] == D(2027, 4, 7)  # Sat 22 May - 45 = Wed 7 April
    assert rolled["M600"] == (D(2027, 5, 24), D(2027, 5, 24))  # after J: forward to Monday
    assert rolled["T610"][1] == D(2027, 4, 9)  # Mon 24 May - 45 = Fri 9 April
    assert engine_dates(SATURDAY_PARTY, J, cal) == kept


@pytest.mark.parametrize("name", sorted(templates.BUILTIN))
def test_builtin_templates_match_taskjuggler(tj3: str, tmp_path: Path, name: str) -> None:
    tasks = expand_followups(templates.load(name, "fr").tasks, "fr")
    cal = alsace_moselle()
    tj = schedule_with_tj3(tj3, tasks, J, cal, OFFICE, tmp_path)
    assert_same(engine_dates(tasks, J, cal), tj)


# --------------------------------------------------------------------------------------
# Errors: cycles and unknown anchors


def _cycle_in(message: str) -> list[str]:
    m = re.search(r"(\S+(?: → \S+)+)", message)
    assert m, f"no cycle written as 'A → B → A' in {message!r}"
    return m.group(1).split(" → ")


def _is_rotation(named: list[str], cycle: list[str]) -> bool:
    if len(named) != len(cycle) + 1 or named[0] != named[-1]:
        return False
    i = cycle.index(named[0]) if named[0] in cycle else -1
    return i >= 0 and named[:-1] == cycle[i:] + cycle[:i]


CYCLE = [
    t("T100", "Envoi radios", "T130", -7),
    t("T110", "Relance radios", "T100", 14),
    t("T120", "Bilan radio", "T110", 3, WD),
    t("T130", "Préparer l'envoi", "T120", -2),
    t("T200", "Hors cycle", offset=-10),
]


def test_engine_rejects_a_cycle() -> None:
    with pytest.raises(PlanError) as exc:
        schedule(list(CYCLE), J, france())
    message = str(exc.value)
    assert "boucle" in message and "cycle" in exc.value.text("en")
    # The anchor graph is T100 → T130 → T120 → T110 → T100 (each task → its anchor).
    named = _cycle_in(message)
    assert _is_rotation(named, ["T100", "T130", "T120", "T110"]), message
    assert exc.value.task in {"T100", "T110", "T120", "T130"}


def test_engine_rejects_a_task_anchored_to_itself() -> None:
    with pytest.raises(PlanError) as exc:
        schedule([t("T1", "Self", "T1", -3)], J, france())
    assert "T1 → T1" in str(exc.value)
    assert exc.value.task == "T1"


def test_engine_names_sheet_cell_and_task_for_a_cycle() -> None:
    tasks = [
        t("A", "first", "B", -1),
        t("B", "second", "A", -1),
    ]
    tasks[0].source = Source("Planning", 5, {"anchor": "F"})
    tasks[1].source = Source("Planning", 6, {"anchor": "F"})
    with pytest.raises(PlanError) as exc:
        schedule(tasks, J, france())
    message = str(exc.value)
    assert _is_rotation(_cycle_in(message), ["A", "B"]), message
    assert re.match(r"Planning!F[56] \((A|B)\) : ", message), message


def test_tj3_rejects_the_same_cycle(tj3: str, tmp_path: Path) -> None:
    tasks = list(CYCLE)
    run = run_tj3(tj3, to_tjp(tasks, J, france(), OFFICE), tmp_path)
    assert run.returncode != 0, run.output
    assert "could not be scheduled" in run.output, run.output
    ids = tj_ids(tasks)
    # tj3 names exactly the tasks of the cycle as impossible to schedule, not T200.
    for tid in ("T100", "T110", "T120", "T130"):
        assert f"Task {ids[tid]}: <?> -> <?>" in run.output, (tid, run.output)
    assert ids["T200"] not in run.output


def test_engine_rejects_an_unknown_anchor() -> None:
    tasks = [
        t("T010", "Master", offset=-56),
        t("T020", "Upload", ("T010", "T999"), 3),
    ]
    tasks[1].source = Source("Planning", 3, {"anchor": "F"})
    with pytest.raises(PlanError) as exc:
        schedule(tasks, J, france())
    message = str(exc.value)
    assert "T999" in message and "dépendance inconnue" in message
    assert "unknown anchor" in exc.value.line("en")
    assert exc.value.task == "T020"
    assert message.startswith("Planning!F3 (T020) : ")


def test_tj3_rejects_the_same_unknown_anchor(tj3: str, tmp_path: Path) -> None:
    tasks = [
        t("T010", "Master", offset=-56),
        t("T020", "Upload", ("T010", "T999"), -3),
    ]
    run = run_tj3(tj3, to_tjp(tasks, J, france(), OFFICE), tmp_path)
    assert run.returncode != 0, run.output
    assert f"Task {tj_ids(tasks)['T020']} has unknown precedes unknown_T999" in run.output
