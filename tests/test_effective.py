"""One effective plan on every surface.

A user types a follow-up rule (`+7 x2`) on a task and does not recompute. Every way of
looking at the plan must see the same tasks — the two follow-up rows the rule asks for
included — with the same dates: `export`, `check` (which sees what `recompute --dry-run`
computes), `report`, `ics`, the Excel buttons' entry points, and the same commands on
the same plan in Google Sheets (the local Sheets API stand-in).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from clirun import invoke, made_file
from conftest import SINGLE
from icalendar import Calendar
from sheets_standin import StandIn, Store

from retrosheet import excel
from retrosheet.actions import load_store
from retrosheet.effective import effective
from retrosheet.openpyxl_store import OpenpyxlBook
from retrosheet.xlsx.store import XlsxStore

TODAY = "2027-03-01"
LATER = "2027-12-31"  # after every deadline of the plan
RULE_ON = "T130"
ADDED = {"R130-1", "R130-2"}
Dates = dict[str, tuple[str, str]]  # task ID → (start, deadline), ISO


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def sheets(standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> Store:
    for k, v in standin.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    standin.store.reset_log()
    return standin.store


def ok(*args: str | Path) -> str:
    r = invoke(*args)
    assert r.exit_code == 0, r.output
    return r.stdout


def rule_column(headers: list[Any]) -> int:
    """0-based column of the follow-up rule (Relance / Follow-up)."""
    return next(i for i, h in enumerate(headers) if str(h).strip() in ("Relance", "Follow-up"))


def file_with_typed_rule(tmp_path: Path) -> Path:
    path = made_file(tmp_path / "plan.xlsx", SINGLE, "--release", "2027-05-14", "--today",
                     TODAY)
    wb = openpyxl.load_workbook(path)
    ws = wb["Planning"]
    col = rule_column([c.value for c in ws[1]])
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == RULE_ON)
    assert not ws.cell(row, col + 1).value
    ws.cell(row, col + 1).value = "+7 x2"
    wb.save(path)
    return path


def sheet_with_typed_rule(sheets: Store) -> str:
    out = ok("new", SINGLE, "--release", "2027-05-14", "--gsheet-new", "Plan", "--today", TODAY)
    m = re.search(r"/spreadsheets/d/([A-Za-z0-9_-]+)/edit", out)
    assert m, out
    key = m.group(1)
    s = sheets.sheet(key, "Planning")
    headers = [s.cell(0, c).get("userEnteredValue", {}).get("stringValue")
               for c in range(s.column_count)]
    row = next(r + 1 for r in range(s.row_count)
               if s.cell(r, 0).get("userEnteredValue", {}).get("stringValue") == RULE_ON)
    letter = chr(ord("A") + rule_column(headers))
    sheets.set_cell(key, "Planning", f"{letter}{row}", "+7 x2")
    return key


def exported(plan: str | Path) -> Dates:
    doc = json.loads(ok("export", plan))
    return {t["id"]: (t["start"], t["deadline"]) for t in doc["tasks"]}


def reported(plan: str | Path, expected: Dates) -> Dates:
    """The report as of a day after every deadline: each task is in its "late" list, or is
    a follow-up whose send is not done (neither late nor due), which the late send's risk
    names by ID; those have no date in the report: `expected` gives theirs."""
    doc = json.loads(ok("report", plan, "--format", "json", "--as-of", LATER))
    got = {t["id"]: (t["start"], t["deadline"]) for t in doc["late"]}
    waiting = {x for r in doc["monday"]["risks"] for x in r["dependents"]} - set(got)
    assert waiting >= ADDED  # T130 was never sent
    assert all(x.startswith("R") for x in waiting)
    assert sum(p["total"] for p in doc["progress"]) == len(got) + len(waiting)
    return got | {x: expected[x] for x in waiting}


def in_calendar(plan: str | Path, out: Path) -> Dates:
    ok("ics", plan, "-o", out)
    got: Dates = {}
    for ev in Calendar.from_ical(out.read_bytes()).walk("VEVENT"):
        tid = str(ev["UID"]).split(".", 1)[0]
        end = ev.decoded("DTEND") - dt.timedelta(days=1)
        got[tid] = (ev.decoded("DTSTART").isoformat(), end.isoformat())
    return got


def dry_run_deadlines(plan: str | Path) -> dict[str, str]:
    """The new rows' deadlines `recompute --dry-run` (what `check` sees) would write."""
    out = ok("recompute", plan, "--dry-run", "--today", TODAY)
    found: dict[str, str] = {}
    for tid in ADDED:
        m = re.search(rf"!K\d+ \({tid}\)\s?: \(vide\) → (\d\d)/(\d\d)/(\d{{4}})", out)
        assert m, out
        found[tid] = f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    return found


def buttons(path: Path) -> Dates:
    """The Recompute button's Planning, read back through the same adapter."""
    book = OpenpyxlBook(path)
    assert excel.recompute(book=book, today=dt.date.fromisoformat(TODAY)).ok
    grid = book.values("Planning")
    cols = {str(h): i for i, h in enumerate(grid[0])}
    iso = lambda v: v.date().isoformat() if isinstance(v, dt.datetime) else v.isoformat()  # noqa: E731
    return {str(r[0]): (iso(r[cols["Début"]]), iso(r[cols["Échéance"]]))
            for r in grid[1:] if r[0]}


def test_a_typed_rule_without_recompute_means_the_same_everywhere(
        tmp_path: Path, sheets: Store) -> None:
    path = file_with_typed_rule(tmp_path)
    before = path.read_bytes()
    eff = effective(load_store(XlsxStore(path)).plan)
    expected = {t.id: (eff.dates[t.id].start.isoformat(), eff.dates[t.id].deadline.isoformat())
                for t in eff.plan.tasks}
    assert set(expected) >= ADDED and len(expected) == 54

    # The file: every read-only command sees the follow-up rows and their dates…
    assert exported(path) == expected
    assert reported(path, expected) == expected
    assert in_calendar(path, tmp_path / "plan.ics") == expected
    assert dry_run_deadlines(path) == {t: expected[t][1] for t in ADDED}
    check_file = invoke("check", path, "--today", TODAY)
    assert check_file.exit_code in (0, 1), check_file.output
    assert path.read_bytes() == before  # …and none of them wrote anything

    # The buttons (Excel's entry points, on a copy through the openpyxl adapter).
    copy = tmp_path / "button.xlsx"
    shutil.copyfile(path, copy)
    assert buttons(copy) == expected

    # The same plan in Google Sheets, the same rule typed in the same cell.
    key = sheet_with_typed_rule(sheets)
    assert exported(key) == expected
    assert reported(key, expected) == expected
    assert in_calendar(key, tmp_path / "sheet.ics") == expected
    assert dry_run_deadlines(key) == {t: expected[t][1] for t in ADDED}
    check_sheet = invoke("check", key, "--today", TODAY)
    assert (check_sheet.exit_code, check_sheet.stdout) == (check_file.exit_code,
                                                          check_file.stdout)
