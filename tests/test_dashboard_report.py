"""The Dashboard agrees with the report, figure for figure (issue 11 item 3).

A plan under way (statuses, results and spend typed, tasks late and due this week) is
written as a new workbook, LibreOffice recalculates it (its TODAY() is the real day), and
every figure the Dashboard shows is compared with the report's JSON for the same plan and
day: days to release, late and due counts, statuses, per axis (tasks, done, late, budget,
spent), per indicator (objective, result, share reached) and the list of what is due.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from libreoffice import recalc, requires_soffice, soffice

from retrosheet.actions import write_report
from retrosheet.design.context import Context
from retrosheet.design.planning import planning
from retrosheet.history import past_measures
from retrosheet.labels import Status, sheet_name, word
from retrosheet.model import Plan
from retrosheet.new import new_plan
from retrosheet.report import build_report
from retrosheet.surfaces import open_store
from retrosheet.values import from_serial
from retrosheet.words import t as words_t
from retrosheet.xlsx.create import write_new

# Every test recalculates the workbook in a real LibreOffice: slow (`-m "not slow"`).
pytestmark = [pytest.mark.libreoffice, requires_soffice]


def campaign(lang: str, today: dt.date) -> Plan:
    """The single template released 10 days after `today`, half done."""
    made = new_plan("single", today + dt.timedelta(days=10), lang=lang, title="Nuit blanche",
                    artist="Léa")
    plan, dates = made.plan, made.dates
    for i, t in enumerate(sorted(plan.tasks, key=lambda t: (dates[t.id].deadline, t.id))):
        if dates[t.id].deadline < today - dt.timedelta(days=3):
            t.status = Status.DONE if i % 5 else Status.IN_PROGRESS  # some late
        if i % 11 == 3:
            t.status = Status.BLOCKED
        if i % 13 == 5:
            t.status = Status.CANCELLED
        if t.budget:
            t.spent = t.budget * (1.4 if i % 3 == 0 else 0.6)  # some overspent
    tasks = plan.by_id()
    # Sends not done: their follow-ups (R140-1 late, R450-1 near) are neither late nor due.
    for tid in ("T140", "T450"):
        tasks[tid].status = Status.IN_PROGRESS
    figures = {"T240": 62, "T250": 6200, "T270": 3400, "T140": 3, "T210": 6, "T480": 2800}
    for tid, result in figures.items():
        if tid in tasks:
            tasks[tid].result = result
    return plan


def rows_of(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def table(rows: list[list[Any]], title: str, width: int) -> list[list[Any]]:
    """The rows under the section titled `title` (after its header row), until a blank."""
    start = max(i for i, r in enumerate(rows) if r and r[0] == title) + 2
    out = []
    for r in rows[start:]:
        if r[0] in (None, ""):
            break
        out.append(r[:width])
    return out


def number(v: Any) -> float | None:
    return None if v in (None, "") else float(v)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dashboard_figures_are_the_reports(tmp_path: Path, lang: str) -> None:
    soffice()
    today = dt.date.today()
    plan = campaign(lang, today)
    made = new_plan("single", plan.settings.release, lang=lang)  # same dates
    path = tmp_path / "plan.xlsx"
    write_new(plan, made.dates, path, today)
    out = recalc(path, tmp_path / "lo")
    if dt.date.today() != today:
        pytest.skip("the day changed while LibreOffice recalculated")
    rep = build_report(plan, today).to_dict()
    ws = openpyxl.load_workbook(out, data_only=True)[sheet_name("dashboard", lang)]
    rows = rows_of(ws)
    head = {r[0]: r[1] for r in rows[:6] if r and r[0]}
    due = [x for group in rep["due_this_week"] for x in group["tasks"]]
    assert head[word("days_to_release", lang)] == rep["days_to_release"]
    assert head[word("late", lang)] == len(rep["late"])
    late = {x["id"] for x in rep["late"]}
    assert "T140" in late and "R140-1" not in late  # waits for its send
    assert made.dates["R140-1"].deadline < today
    assert head["À faire cette semaine" if lang == "fr" else "Due this week"] == len(due)

    progress = {p["axis"]: p for p in rep["progress"]}
    money = {r["key"]: r for r in rep["results"]["by_axis"]}
    axes = table(rows, word("by_axis", lang), 7)
    assert [a[0] for a in axes] == [p for p in progress if p != "—"]
    for axis, tasks, done, late, budget, spent, left in axes:
        p, m = progress[axis], money.get(axis, {})
        assert (tasks, done, late) == (p["total"] - p["cancelled"], p["done"], p["late"]), axis
        assert (number(budget), number(spent)) == (m.get("budget") or 0, m.get("spent") or 0)
        assert number(left) == (m.get("budget") or 0) - (m.get("spent") or 0)

    indicators = table(rows, "Résultats par indicateur" if lang == "fr"
                       else "Results per indicator", 6)
    want = [(r["key"], r["kpi"], r["objective"], r["result"], r["reached"])
            for r in rep["results"]["by_indicator"]]
    got = [(a, k, number(o), number(res), None if pct in (None, "") else round(pct, 6))
           for a, k, o, res, pct, _ in indicators]
    assert got == [(a, k, o, r, None if x is None else round(x, 6)) for a, k, o, r, x in want]
    assert any(r for *_, r, _ in want) and len({k for _, k, *_ in want}) > 3
    # The measure counted is dated as the report dates it: T480's streams, typed before
    # its J+7 deadline, are today's (the Dashboard said a day to come).
    measured = [(a, k, m.date() if isinstance(m, dt.datetime) else
                 from_serial(m) if isinstance(m, int | float) else None)
                for a, k, *_, m in indicators]
    assert measured == [(r["key"], r["kpi"], r["measured_on"] and
                         dt.date.fromisoformat(r["measured_on"]))
                        for r in rep["results"]["by_indicator"]]
    assert today in [m for *_, m in measured]

    # Action (A and B joined), deadline, owner (D and E joined), status, ID.
    listed = table(rows, "À faire cette semaine" if lang == "fr" else "Due this week", 7)
    ids = [r[6] for r in listed if r[6]]
    assert sorted(ids) == sorted(x["id"] for x in due)
    assert [(r[0], r[3]) for r in listed if r[6]] == [
        (x["action"], x["owner"]) for x in sorted(due, key=lambda x: ids.index(x["id"]))]
    deadlines = [from_serial(r[2]) if not isinstance(r[2], dt.datetime) else r[2].date()
                 for r in listed if r[6]]
    assert deadlines == sorted(deadlines)


def test_dashboard_week_on_week_is_the_reports(tmp_path: Path) -> None:
    """History holds runs 9 and 7 days ago (two that day: the later counts) and one
    today (not last week's): the Dashboard's change per indicator, recalculated by
    LibreOffice, is the report's, for the same plan, History and day."""
    soffice()
    lang, today = "fr", dt.date.today()
    plan = campaign(lang, today)
    made = new_plan("single", plan.settings.release, lang=lang)  # same dates
    path = tmp_path / "plan.xlsx"
    write_new(plan, made.dates, path, today)
    store = open_store(str(path))
    for days, figures in ((9, {"T250": 5000, "T480": 2000}), (7, {"T250": 5500, "T480": 2400}),
                          (7, {"T250": 5800, "T480": 2500}), (0, {"T250": 1, "T480": 1})):
        then = campaign(lang, today)
        for tid, result in figures.items():
            then.by_id()[tid].result = result
        write_report(store, build_report(then, today - dt.timedelta(days=days)))
        store = open_store(str(path))
    out = recalc(path, tmp_path / "lo")
    if dt.date.today() != today:
        pytest.skip("the day changed while LibreOffice recalculated")
    history = rows_of(openpyxl.load_workbook(path, data_only=True)[sheet_name("history", lang)])
    rep = build_report(plan, today, history=past_measures(history))
    ws = openpyxl.load_workbook(out, data_only=True)[sheet_name("dashboard", lang)]
    indicators = table(rows_of(ws), "Résultats par indicateur", 7)
    want = [(r.key, r.kpi, r.change) for r in rep.results_by_indicator]
    got = [(a, k, number(change)) for a, k, *_, change in indicators]
    assert got == want
    changes = {(a, k): c for a, k, c in want}
    assert changes[("Réseaux sociaux", "vues")] == 6200 + 3400 - (5800 + 3400)
    assert changes[("Admin", "streams")] == 2800 - 2500


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dashboard_writes_a_change_with_its_sign_and_an_indicator_on_one_line(
        tmp_path: Path, lang: str) -> None:
    """"Sur 7 jours" reads +56 as the report writes it (it read 56); the indicator column
    holds « auditeurs mensuels » on one line (it wrapped over the next row in LibreOffice)."""
    today = dt.date.today()
    plan = campaign(lang, today)
    made = new_plan("single", plan.settings.release, lang=lang)
    path = tmp_path / "plan.xlsx"
    write_new(plan, made.dates, path, today)
    ws = openpyxl.load_workbook(path)[sheet_name("dashboard", lang)]
    head = next(r for r in ws.iter_rows() if r[6].value == words_t("report.indicator.change", lang))
    below = ws.cell(row=head[6].row + 1, column=7)
    assert below.number_format.startswith("+"), below.number_format
    r, names = head[6].row + 1, []
    while ws.cell(row=r, column=1).value:  # the indicators' table
        names.append(str(ws.cell(row=r, column=2).value))
        r += 1
    longest = max(map(len, names))
    assert longest >= 17  # « auditeurs mensuels », "monthly listeners"
    assert (ws.column_dimensions["B"].width or 0) >= longest


def test_planning_colours_late_and_due_as_the_report(tmp_path: Path) -> None:
    """The Planning's late and due colours (conditional formats) are the report's lists:
    each rule's formula is put in a cell of its row, LibreOffice computes it; a follow-up
    whose send is not done (R140-1, R450-1) is neither."""
    soffice()
    for n in range(2):  # once more if midnight passed while LibreOffice worked
        today = dt.date.today()
        plan = campaign("fr", today)
        made = new_plan("single", plan.settings.release, lang="fr")
        path = tmp_path / "plan.xlsx"
        write_new(plan, made.dates, path, today)
        design = planning(Context(plan, made.dates, today))
        rules = {r.look: r.formula for r in design.rules if r.look in ("late", "due")}
        book = openpyxl.load_workbook(path)
        ws = book[sheet_name("planning", "fr")]
        ids = {r: ws.cell(r, 1).value for r in range(2, len(plan.tasks) + 2)}
        for r in ids:
            for c, look in ((60, "late"), (61, "due")):
                # Written for row 2: its relative references ($K2) moved to row r.
                ws.cell(r, c).value = re.sub(r"(?<![$\w])(\$[A-Z]{1,3})2(?!\d)", rf"\g<1>{r}",
                                             rules[look])
        book.save(tmp_path / "rules.xlsx")
        out = recalc(tmp_path / "rules.xlsx", tmp_path / f"lo{n}")
        if dt.date.today() == today:
            break
    got = openpyxl.load_workbook(out, data_only=True)[sheet_name("planning", "fr")]
    coloured = {look: {ids[r] for r in ids if got.cell(r, c).value is True}
                for c, look in ((60, "late"), (61, "due"))}
    rep = build_report(plan, today)
    assert coloured["late"] == {x.id for x in rep.late}
    assert coloured["due"] == {x.id for xs in rep.due_this_week.values() for x in xs}
    assert "T140" in coloured["late"] and "R140-1" not in coloured["late"]
