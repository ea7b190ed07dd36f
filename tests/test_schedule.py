"""The scheduler's date rules (docs/dates.md), case by case, around May 2027's holidays.

May 2027: Sat 1 (Fête du Travail), Thu 6 (Ascension), Sat 8 (Victoire), Fri 14 = J,
Mon 17 (Whit Monday). Alsace-Moselle adds Good Friday (26 March 2027) and 26 December.
"""

from __future__ import annotations

import datetime as dt

import pytest

from retrosheet.errors import PlanError
from retrosheet.labels import TaskType, Unit
from retrosheet.model import Source, Task
from retrosheet.schedule import schedule
from retrosheet.workdays import WorkCalendar

J = dt.date(2027, 5, 14)
D = dt.date
CAL = Unit.DAYS
WD = Unit.WORKING_DAYS


def one(offset: int, unit: Unit = CAL, duration: int | None = 1, *, release: dt.date = J,
        region: str = "", days_off: tuple[dt.date, ...] = (),
        milestone: bool = False) -> tuple[dt.date, dt.date]:
    task = Task("T1", anchors=("J",), offset=offset, unit=unit, duration=duration,
                type=TaskType.MILESTONE if milestone else TaskType.TASK)
    got = schedule([task], release, WorkCalendar("FR", region, days_off))["T1"]
    return got.start, got.deadline


@pytest.mark.parametrize(
    ("offset", "unit", "duration", "start", "deadline", "why"),
    [
        (0, CAL, 1, D(2027, 5, 14), D(2027, 5, 14), "J itself, a Friday"),
        (-7, CAL, 1, D(2027, 5, 7), D(2027, 5, 7), "Friday before: a working day"),
        (-8, CAL, 1, D(2027, 5, 5), D(2027, 5, 5), "Ascension Thursday rolls back to Wed"),
        (-6, CAL, 1, D(2027, 5, 7), D(2027, 5, 7), "Saturday 8 May rolls back to Friday"),
        (-13, CAL, 1, D(2027, 4, 30), D(2027, 4, 30), "Saturday 1 May rolls back to 30 April"),
        (3, CAL, 1, D(2027, 5, 18), D(2027, 5, 18), "after J: Whit Monday moves forward"),
        (1, CAL, 1, D(2027, 5, 18), D(2027, 5, 18), "J+1 Saturday: forward past Whit Monday"),
        (1, CAL, 2, D(2027, 5, 14), D(2027, 5, 18), "2 working days ending Tue 18 start J"),
        (7, CAL, 1, D(2027, 5, 21), D(2027, 5, 21), "J+7 a Friday: a working day"),
        (4, CAL, 1, D(2027, 5, 18), D(2027, 5, 18), "Tuesday after Whit Monday"),
        (-28, CAL, 1, D(2027, 4, 16), D(2027, 4, 16), "J-28, four weeks"),
        (-5, WD, 1, D(2027, 5, 7), D(2027, 5, 7), "5 working days skip Ascension, weekend"),
        (1, WD, 1, D(2027, 5, 18), D(2027, 5, 18), "next working day skips Whit Monday"),
        (-1, WD, 1, D(2027, 5, 13), D(2027, 5, 13), "one working day before"),
        (0, WD, 1, D(2027, 5, 14), D(2027, 5, 14), "WORKDAY(d, 0) is d"),
        (-4, CAL, 3, D(2027, 5, 5), D(2027, 5, 10), "3 days ending Monday 10 May start Wed 5"),
        (-7, CAL, 5, D(2027, 4, 30), D(2027, 5, 7), "5 working days ending 7 May"),
        (-14, CAL, 10, D(2027, 4, 19), D(2027, 4, 30), "10 working days, no holiday inside"),
    ],
)
def test_offsets_units_durations(offset: int, unit: Unit, duration: int, start: dt.date,
                                 deadline: dt.date, why: str) -> None:
    assert one(offset, unit, duration) == (start, deadline), why


@pytest.mark.parametrize(
    ("offset", "deadline", "why"),
    [
        (1, D(2027, 5, 15), "Saturday after J stays Saturday"),
        (3, D(2027, 5, 17), "Whit Monday stays"),
        (-6, D(2027, 5, 8), "Saturday 8 May (a holiday too) stays"),
        (0, J, "J itself"),
    ],
)
def test_fixed_days_never_move(offset: int, deadline: dt.date, why: str) -> None:
    assert one(offset, Unit.FIXED_DAYS)[1] == deadline, why


def test_fixed_days_with_a_duration_start_on_working_days() -> None:
    # Start = WORKDAY(Sat 15 May, -2) = Thu 13 May, as for any duration.
    assert one(1, Unit.FIXED_DAYS, 3) == (D(2027, 5, 13), D(2027, 5, 15))


def test_rounding_goes_away_from_a_task_anchor_too() -> None:
    """A thank-you after a Saturday show falls on Monday, not on the Friday before."""
    show = Task("S", anchors=("J",), offset=15, type=TaskType.MILESTONE, duration=None)
    thanks = Task("T", anchors=("S",), offset=1)
    before = Task("B", anchors=("S",), offset=-1)
    got = schedule([show, thanks, before], J, WorkCalendar("FR"))
    assert got["S"].deadline == D(2027, 5, 29)  # Saturday
    assert got["T"].deadline == D(2027, 5, 31)  # Sunday 30 → Monday 31
    assert got["B"].deadline == D(2027, 5, 28)  # Friday


def test_a_release_inside_the_plan_is_an_event() -> None:
    lead = Task("S1", anchors=("J",), offset=-34, type=TaskType.RELEASE, duration=None)
    got = schedule([lead], J, WorkCalendar("FR"))["S1"]
    assert got.start == got.deadline == D(2027, 4, 10)  # a Saturday: kept, no duration
    assert TaskType.parse("Sortie") is TaskType.RELEASE
    assert TaskType.parse("release") is TaskType.RELEASE
    assert Unit.parse("jours fixes") is Unit.parse("Fixed days") is Unit.FIXED_DAYS


def test_working_day_offset_from_a_non_working_anchor_follows_excel() -> None:
    # Excel: WORKDAY(Sat 8 May, 1) = Mon 10 May; WORKDAY(Sat 8 May, -1) = Fri 7 May.
    sat = D(2027, 5, 8)
    assert one(1, WD, release=sat)[1] == D(2027, 5, 10)
    assert one(-1, WD, release=sat)[1] == D(2027, 5, 7)


def test_milestone_keeps_its_day_even_off_work() -> None:
    saturday_show = D(2027, 6, 19)
    assert one(0, CAL, None, release=saturday_show, milestone=True) == (saturday_show,) * 2
    # A task due the same day is work: it rolls back to Friday.
    assert one(0, CAL, 1, release=saturday_show)[1] == D(2027, 6, 18)


def test_alsace_moselle_good_friday_and_st_stephen() -> None:
    release = D(2027, 4, 9)
    assert one(-14, release=release)[1] == D(2027, 3, 26)  # Good Friday, working in Paris
    assert one(-14, release=release, region="Alsace-Moselle")[1] == D(2027, 3, 25)
    assert one(-14, release=release, region="57")[1] == D(2027, 3, 25)
    xmas = D(2027, 12, 27)
    assert one(-1, release=xmas)[1] == D(2027, 12, 24)  # 26 Dec is a Sunday in 2027
    assert one(-1, WD, release=D(2028, 12, 27), region="FR-67")[1] == D(2028, 12, 22)


def test_extra_days_off() -> None:
    assert one(-7, days_off=(D(2027, 5, 7),))[1] == D(2027, 5, 5)


def test_anchors_chain_and_several_anchors_take_the_earliest() -> None:
    tasks = [
        Task("T10", anchors=("J",), offset=-28),                 # Fri 16 April
        Task("T20", anchors=("T10",), offset=-3, unit=WD),       # Tue 13 April
        Task("T30", anchors=("T20",), offset=14),                # Tue 27 April
        Task("T40", anchors=("T30", "J"), offset=-1),            # Mon 26 April
        Task("T50", anchors=("J", "T40"), offset=5, unit=WD),    # 3 May (1 May Sat)
    ]
    got = schedule(tasks, J, WorkCalendar())
    assert {k: v.deadline for k, v in got.items()} == {
        "T10": D(2027, 4, 16), "T20": D(2027, 4, 13), "T30": D(2027, 4, 27),
        "T40": D(2027, 4, 26), "T50": D(2027, 5, 3),
    }
    assert got["T40"].anchor_date == D(2027, 4, 27)


def test_order_of_rows_does_not_matter() -> None:
    tasks = [Task("B", anchors=("A",), offset=-2), Task("A", anchors=("J",), offset=-10)]
    got = schedule(tasks, J, WorkCalendar())
    assert list(got) == ["B", "A"]
    assert got["A"].deadline == D(2027, 5, 4)
    assert got["B"].deadline == D(2027, 4, 30)  # Sunday 2 May rolls back to Friday


def _src(row: int) -> Source:
    return Source("Planning", row, {"id": "A", "anchor": "F", "duration": "I"})


def test_cycle_is_named_with_its_cell() -> None:
    tasks = [
        Task("T1", anchors=("T3",), source=_src(2)),
        Task("T2", anchors=("T1",), source=_src(3)),
        Task("T3", anchors=("T2",), source=_src(4)),
    ]
    with pytest.raises(PlanError) as err:
        schedule(tasks, J, WorkCalendar())
    msg = str(err.value)
    assert msg.startswith("Planning!F")
    assert "boucle : T1 → T3 → T2 → T1" in msg
    assert err.value.text("en") == "anchors form a cycle: T1 → T3 → T2 → T1"


def test_self_anchor_is_a_cycle() -> None:
    with pytest.raises(PlanError, match="boucle : T1 → T1"):
        schedule([Task("T1", anchors=("T1",), source=_src(2))], J, WorkCalendar())


def test_unknown_anchor_names_sheet_cell_and_task() -> None:
    tasks = [Task("T1"), Task("T2", anchors=("T9",), source=_src(3))]
    with pytest.raises(PlanError) as err:
        schedule(tasks, J, WorkCalendar())
    assert str(err.value) == "Planning!F3 (T2) : dépendance inconnue 'T9' : aucune tâche n'a cet ID"
    assert err.value.line("en") == "Planning!F3 (T2): unknown anchor 'T9': no task has that ID"


def test_duplicate_id() -> None:
    tasks = [Task("T1", source=_src(2)), Task("T1", source=_src(5))]
    with pytest.raises(PlanError) as err:
        schedule(tasks, J, WorkCalendar())
    assert str(err.value) == "Planning!A5 (T1) : ID 'T1' en double (aussi ligne 2)"
    assert err.value.line("en") == "Planning!A5 (T1): duplicate ID 'T1' (also row 2)"


def test_duration_below_one() -> None:
    with pytest.raises(PlanError, match=r"Planning!I2 \(T1\) : la durée 0 est inférieure à 1"):
        schedule([Task("T1", duration=0, source=_src(2))], J, WorkCalendar())


def test_unknown_region_is_refused() -> None:
    with pytest.raises(PlanError, match="la région 'Atlantis' est inconnue pour le pays FR") as err:
        WorkCalendar("FR", "Atlantis")
    assert err.value.text("en").startswith("region 'Atlantis' is not known for country FR; ")


def test_far_dates_extend_the_calendar() -> None:
    cal = WorkCalendar()
    assert cal.workday(D(2027, 1, 4), -400) < D(2025, 8, 1)
    assert cal.workday(D(2027, 1, 4), 2000) > D(2034, 1, 1)
    assert cal.is_working(D(2031, 7, 14)) is False  # Bastille Day, years beyond the cache
