"""The buttons' Python (retrosheet.excel) on a generated .xlsm, through the openpyxl
adapter standing in for `xlwings.Book.caller()`, against the command line on a copy.

The same user edits go to two copies of a plan made with `new --macro`; one gets
`retrosheet recompute` + `report --write-sheet`, the other the two entry points. The
results must be the same cell for cell: Planning (formulas and values, new follow-up
rows), Contacts' follow-up dates, Paramètres, the Report sheet and History.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from clirun import edits_once, made_file
from conftest import SINGLE
from python_calamine import CalamineWorkbook

from retrosheet import excel
from retrosheet.cli import cli
from retrosheet.excel import Cell, OpenpyxlBook, Outcome
from retrosheet.xlsx.macro import ENTRY_POINTS, module_source

RELEASE = "2027-05-14"
TODAY = dt.date(2027, 3, 1)
AS_OF = dt.date(2027, 4, 29)
TABLE_COLS = 20  # Planning's own columns, A:T


def run(*args: str | Path) -> tuple[int, str]:
    r = CliRunner().invoke(cli, [str(a) for a in args])
    return r.exit_code, r.output


def new(path: Path, *extra: str) -> Path:
    return made_file(path, SINGLE, "--release", RELEASE, "--today", TODAY.isoformat(),
                     "--title", "Nuit blanche", "--macro", *extra)


@edits_once
def edit_like_a_team(path: Path) -> None:
    """What people do between two clicks: the release moves a week, radios are added to
    Contacts, tasks are marked done with results, a task gets a follow-up rule."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    settings = wb[wb.sheetnames[2]]
    settings["B3"].value = settings["B3"].value + dt.timedelta(days=7)
    ws = wb["Planning"]
    row = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for tid in ("T010", "T020", "T030", "T170"):
        ws.cell(row[tid], 12).value = "Fait" if ws.title == "Planning" else "Done"
    ws.cell(row["T090"], 17).value = 2  # Résultat
    ws.cell(row["T170"], 19).value = 650  # Dépensé
    ws.cell(row["T130"], 13).value = "+7 x2"  # a new follow-up rule: two new rows
    contacts = wb["Contacts"]
    radios = (("C001", "Radio", "Radio Nova", "Jean", "jean@example.org", "T170", None,
               "Sans réponse"),
              ("C002", "Radio", "FIP", "Lou", "lou@example.org", "T170", None, "Oui"),
              ("C003", "Radio", "Radio Grenouille", "Max", "max@example.org", "T170",
               dt.datetime(2027, 4, 20), "Sans réponse"),
              ("C004", "Presse", "Les Inrocks", "Marie", "marie@example.org", "T090", None,
               "Sans réponse"))
    for r, values in enumerate(radios, start=2):
        for c, v in enumerate(values, start=1):
            contacts.cell(r, c, v)
    wb.save(path)


@pytest.fixture
def twins(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the same edited plan: one for the command line, one for the buttons."""
    a = new(tmp_path / "cli.xlsm")
    edit_like_a_team(a)
    b = tmp_path / "button.xlsm"
    shutil.copyfile(a, b)
    return a, b


def by_cli(path: Path) -> str:
    code, out = run("recompute", path, "--today", TODAY.isoformat())
    assert code == 0, out
    code, report = run("report", path, "--write-sheet", "--as-of", AS_OF.isoformat())
    assert code == 0, report
    return out


def by_buttons(path: Path) -> tuple[OpenpyxlBook, Outcome, Outcome]:
    book = OpenpyxlBook(path)
    first = excel.recompute(book=book, today=TODAY)
    second = excel.report(book=book, today=AS_OF)
    book.save()
    return book, first, second


def norm(v: Any) -> Any:
    """One value as both readers give it: dates as dates, whole floats as ints, '' as None."""
    if isinstance(v, dt.datetime):
        return v.date() if v.time() == dt.time() else v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if v == "":
        return None
    return v


def grid(path: Path, sheet: str) -> list[list[Any]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    out = [[norm(v) for v in r] for r in rows]
    while out and all(v is None for v in out[-1]):
        out.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v is not None), default=0)
                 for r in out), default=0)
    return [r[:width] + [None] * (width - len(r)) for r in out]


def cells(path: Path, sheet: str, cols: int) -> list[list[Any]]:
    """What openpyxl reads: a formula's text, else the value."""
    ws = openpyxl.load_workbook(path)[sheet]
    return [[norm(ws.cell(r, c).value) for c in range(1, cols + 1)]
            for r in range(1, ws.max_row + 1)]


def test_buttons_give_what_the_command_line_gives(twins: tuple[Path, Path]) -> None:
    a, b = twins
    said = by_cli(a)
    book, first, second = by_buttons(b)

    # The same changes, the same new follow-up rows.
    assert first.ok and second.ok, (first, second, book.messages)
    m = re.search(r"(\d+) cellule", said)
    assert m and first.changed == int(m.group(1)) > 0
    assert first.added == ["R130-1", "R130-2"] and "R130-1, R130-2" in said

    # Planning: every cell of the table, formulas as formulas (Début/Échéance, new rows).
    pa, pb = cells(a, "Planning", TABLE_COLS), cells(b, "Planning", TABLE_COLS)
    assert len(pa) == len(pb) == 55  # header + 52 tasks + the two new follow-ups
    assert pa == pb
    start, deadline = 9, 10  # J, K
    assert all(str(r[deadline]).startswith("=WORKDAY(") for r in pb[1:])
    assert [r[0] for r in pb[-2:]] == ["R130-1", "R130-2"]
    # …and what those formulas show: the command line's cached values are the dates the
    # buttons' workbook holds (what Excel computes; LibreOffice proves it in
    # test_excel_libreoffice.py).
    shown = grid(a, "Planning")
    mirror = [[norm(v) for v in r] for r in book.values("Planning")]
    for r in range(1, len(pa)):
        for c in (start, deadline):
            assert isinstance(shown[r][c], dt.date)
            assert mirror[r][c] == shown[r][c], (r, c)

    # Contacts (follow-up dates), Paramètres, Report and History: the same values.
    for sheet in ("Contacts", "Paramètres", "Rapport", "Historique"):
        assert grid(a, sheet) == grid(b, sheet), sheet
    contacts = grid(b, "Contacts")
    assert contacts[1][10] is not None and contacts[2][10] is None  # FIP answered
    assert isinstance(contacts[3][10], dt.date)
    report = grid(b, "Rapport")
    assert report[1][:2] == ["Date du rapport", AS_OF]
    history = grid(b, "Historique")
    assert len(history) > 2 and all(r[0] == AS_OF for r in history[1:])

    # In Excel: a status line, no message box; the Report sheet comes to the front.
    assert book.messages == []
    assert book.statuses[0].startswith("retrosheet — button.xlsm : ")
    assert "Rapport" in book.statuses[1] and book.active == "Rapport"


def test_dates_look_like_dates_and_formulas_keep_their_format(
        twins: tuple[Path, Path]) -> None:
    _, b = twins
    by_buttons(b)
    wb = openpyxl.load_workbook(b)
    ws = wb["Planning"]
    last = ws.max_row
    for col in ("J", "K"):
        assert ws[f"{col}{last}"].number_format == "dd/mm/yyyy"  # new row: the row above's
        assert str(ws[f"{col}{last}"].value).startswith("=")
    assert wb["Contacts"]["K2"].is_date
    assert wb["Rapport"]["B2"].is_date and wb["Rapport"]["B2"].number_format == "dd/mm/yyyy"
    assert wb["Rapport"]["A1"].font.b
    assert wb["Historique"]["A3"].is_date
    # The table and its formatting follow the two new rows, as Excel's table would.
    assert ws.tables["tblPlanning"].ref == f"A1:T{last}"


def test_a_second_click_changes_nothing(tmp_path: Path) -> None:
    path = new(tmp_path / "plan.xlsm")
    book = OpenpyxlBook(path)
    outcome = excel.recompute(book=book, today=TODAY)
    assert outcome.ok and outcome.changed == 0
    assert outcome.message == "plan.xlsm : déjà à jour"
    code, out = run("recompute", path, "--today", TODAY.isoformat())
    assert code == 0 and "déjà à jour" in out


def test_english_plan(tmp_path: Path) -> None:
    a = new(tmp_path / "cli.xlsm", "--lang", "en")
    edit_like_a_team(a)
    b = tmp_path / "button.xlsm"
    shutil.copyfile(a, b)
    by_cli(a)
    book, first, second = by_buttons(b)
    assert first.ok and second.ok
    assert first.message.startswith("button.xlsm: ")
    assert cells(a, "Planning", TABLE_COLS) == cells(b, "Planning", TABLE_COLS)
    for sheet in ("Contacts", "Settings", "Report", "History"):
        assert grid(a, sheet) == grid(b, sheet), sheet
    assert book.active == "Report"


def test_a_plan_error_is_shown_and_nothing_is_written(tmp_path: Path) -> None:
    path = new(tmp_path / "plan.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Planning"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "T060")
    ws.cell(row, 6).value = "T999"  # an unknown anchor
    wb.save(path)
    before = path.read_bytes()
    book = OpenpyxlBook(path)
    written: list[Cell] = []
    book.write = written.extend  # type: ignore[method-assign]
    outcome = excel.recompute(book=book, today=TODAY)
    assert not outcome.ok
    assert written == []
    [(message, title, error)] = book.messages
    assert error and "T999" in message and "T060" in message and "Planning!F" in message
    assert "Recalculer" in title
    assert book.statuses == ["retrosheet ✗ " + outcome.message]
    assert path.read_bytes() == before
    # The command line says the same.
    code, out = run("recompute", path)
    assert code == 2 and outcome.message in out


def test_the_row_below_the_table_must_be_free(tmp_path: Path) -> None:
    path = new(tmp_path / "plan.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["Planning"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "T130")
    ws.cell(row, 13).value = "+7"
    ws.cell(ws.max_row + 1, 27).value = "mes notes"  # beside the week strip, in AA
    wb.save(path)
    outcome = excel.recompute(book=OpenpyxlBook(path), today=TODAY)
    assert not outcome.ok and "below the Planning table is not empty" in outcome.message
    code, out = run("recompute", path)
    assert code == 2 and outcome.message in out


def test_an_unexpected_error_is_shown_with_where_it_happened(tmp_path: Path) -> None:
    book = OpenpyxlBook(new(tmp_path / "plan.xlsm"))

    def broken(sheet: str) -> list[list[Any]]:
        raise RuntimeError("Excel refused the range")

    book.values = broken  # type: ignore[method-assign]
    outcome = excel.report(book=book, today=AS_OF)
    assert not outcome.ok and outcome.message == "RuntimeError: Excel refused the range"
    [(message, _, error)] = book.messages
    assert error and "Excel refused the range" in message and "broken" in message


def test_when_excel_cannot_show_the_error_xlwings_will(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No message box possible: stderr and a non-zero exit, which RunPython shows."""
    book = OpenpyxlBook(new(tmp_path / "plan.xlsm"))

    def no_excel(*args: Any) -> None:
        raise OSError("the workbook was closed")

    book.status = no_excel  # type: ignore[method-assign]
    book.alert = no_excel  # type: ignore[method-assign]
    book.sheet_names = lambda: []  # type: ignore[method-assign]
    with pytest.raises(SystemExit) as exit_:
        excel.recompute(book=book, today=TODAY)
    assert exit_.value.code == 1
    assert "n'a pas de feuille Planning" in capsys.readouterr().err


def test_report_adds_its_sheets_when_missing(tmp_path: Path) -> None:
    path = new(tmp_path / "plan.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    del wb["Rapport"], wb["Historique"]
    wb.save(path)
    book = OpenpyxlBook(path)
    outcome = excel.report(book=book, today=AS_OF)
    assert outcome.ok, book.messages
    book.save()
    assert book.sheet_names()[-2:] == ["Rapport", "Historique"]
    history = grid(path, "Historique")
    assert history[0][:4] == ["Date", "Axe", "Indicateur", "Tâches"] and history[1][0] == AS_OF
    assert openpyxl.load_workbook(path)["Rapport"].column_dimensions["A"].width > 60


def test_a_second_report_appends_to_history(tmp_path: Path) -> None:
    path = new(tmp_path / "plan.xlsm")
    copy = tmp_path / "copy.xlsm"
    shutil.copyfile(path, copy)
    book = OpenpyxlBook(path)
    excel.report(book=book, today=AS_OF)
    excel.report(book=book, today=AS_OF + dt.timedelta(days=7))
    book.save()
    for day in (AS_OF, AS_OF + dt.timedelta(days=7)):
        code, out = run("report", copy, "--write-sheet", "--as-of", day.isoformat())
        assert code == 0, out
    for sheet in ("Rapport", "Historique"):
        assert grid(path, sheet) == grid(copy, sheet)


def test_the_vba_command_runs_the_entry_points(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The exact Python the VBA module hands to RunPython, run here with the calling
    workbook (xlwings.Book.caller()) stood in by the openpyxl adapter."""
    path = new(tmp_path / "plan.xlsm")
    book = OpenpyxlBook(path)
    monkeypatch.setattr(excel, "_caller", lambda: book)
    source = module_source("0.37.8")
    for entry, (_sub, call) in ENTRY_POINTS.items():
        assert f'RunPython "{call}"' in source
        exec(call, {})  # what `python -c "...; <call>"` does
        assert book.statuses and book.statuses[-1].startswith("retrosheet — "), entry
    assert book.messages == []
    assert book.active == "Rapport"
