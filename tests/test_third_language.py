"""A third language end to end through the command line (issue 9 item 4): with the stub
"xx" catalogue (every English text marked ⟦…⟧), `new single --lang xx` writes a plan whose
sheets, headers and lists are xx, and `check`, `report` (text and JSON) and `export` answer
in xx — errors too. A word left outside the catalogue shows up here unmarked."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from clirun import invoke

from retrosheet import words
from retrosheet.words import catalogue

TODAY = "2027-03-01"
AS_OF = "2027-04-01"
MARKED = re.compile(r"⟦[^⟧]*⟧")


@pytest.fixture
def xx() -> Iterator[str]:
    words.register("xx", {k: v if k.startswith("fmt.") else f"⟦{v}⟧"
                          for k, v in catalogue("en").items()})
    try:
        yield "xx"
    finally:
        words._catalogues.pop("xx")
        words._generation[0] += 1


@pytest.fixture
def plan(xx: str, tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    r = invoke("new", "single", "--release", "2027-05-14", "--lang", xx, "-o", path,
               "--today", TODAY)
    assert r.exit_code == 0, r.output
    assert MARKED.fullmatch(r.stdout.strip()), r.stdout  # the summary line is xx
    return path


def test_new_writes_the_plan_in_the_third_language(plan: Path) -> None:
    wb = openpyxl.load_workbook(plan)
    assert all(MARKED.fullmatch(name) for name in wb.sheetnames), wb.sheetnames
    planning = wb.worksheets[0]
    heads = [c.value for c in planning[1] if c.value and not str(c.value).startswith("=")]
    assert len(heads) == 20 and all(MARKED.fullmatch(str(h)) for h in heads), heads
    # Types, units and statuses in the table are the xx words (the team's lists).
    first = [c.value for c in planning[2]]
    assert all(MARKED.fullmatch(str(first[i])) for i in (1, 2, 7, 11)), first
    # The template's task texts are content: a third language starts from the English ones.
    assert first[:4] == ["T010", "⟦Task⟧", "⟦Admin⟧",
                         "Share the plan, roles and budget with the team"], first


def test_check_report_and_export_answer_in_the_third_language(plan: Path) -> None:
    checked = invoke("check", plan, "--today", TODAY)
    assert checked.exit_code == 0, checked.output
    for line in checked.stdout.splitlines():  # `Planning!K41 (T360) info: axis … silent …`
        assert re.fullmatch(r"⟦Planning⟧!\w+ \(\w+\) ⟦info⟧: ⟦.*⟧", line), line

    text = invoke("report", plan, "--as-of", AS_OF)
    assert text.exit_code == 0, text.output
    titles = [x for x in text.stdout.splitlines() if x and not x.startswith(" ")]
    assert titles and all(x.startswith("⟦") for x in titles), titles

    data = json.loads(invoke("report", plan, "--as-of", AS_OF, "--format", "json").stdout)
    assert data["lang"] == "xx"
    late = data["late"][0]
    assert all(MARKED.fullmatch(late[k]) for k in ("type_label", "status_label", "axis"))

    rows = list(csv.DictReader(io.StringIO(invoke("export", plan, "--format", "csv").stdout)))
    assert all(MARKED.fullmatch(rows[0][k]) for k in ("type", "axis", "unit", "status"))


def test_errors_are_in_the_third_language(plan: Path) -> None:
    wb = openpyxl.load_workbook(plan)
    ws = wb.worksheets[0]
    ws["F3"] = "T999"  # an unknown anchor
    ws["L5"] = "Peut-être"  # no status of any language
    wb.save(plan)
    before = plan.read_bytes()
    for command in (["check"], ["report"], ["export"], ["recompute"]):
        r = invoke(*command, plan)
        assert r.exit_code == 2, (command, r.output)
        lines = r.stderr.splitlines()
        assert lines[0].startswith("⟦" + catalogue("en")["cli.error"].split("{")[0]), lines
        assert any("⟦Planning⟧!F3 (T020): ⟦unknown anchor 'T999'" in x for x in lines), lines
        assert any("⟦Planning⟧!L5 (T040): ⟦⟦Status⟧ 'Peut-être' is not one of ⟦To do⟧"
                   in x for x in lines), lines
    assert plan.read_bytes() == before
