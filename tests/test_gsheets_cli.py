"""The command line on a plan in Google Sheets, end to end, against the local stand-in.

`PLAN` is a Google Sheets URL or key; RETROSHEET_SHEETS_API_URL points gspread at the
stand-in (tests/sheets_standin.py), RETROSHEET_SHEETS_TOKEN is its bearer token. These
tests run once retrosheet/cli.py is wired to retrosheet.gsheets (GSHEETS_WIRED).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SINGLE
from sheets_standin import StandIn, Store

import retrosheet.cli
from retrosheet import layout as L
from retrosheet.cli import cli
from retrosheet.gsheets.cells import canonical

pytestmark = pytest.mark.skipif(not hasattr(retrosheet.cli, "GSHEETS_WIRED"),
                                reason="CLI not wired yet")

SA_EMAIL = "retrosheet-bot@my-label.iam.gserviceaccount.com"
URL = re.compile(r"https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)/edit")


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def store(standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    for k, v in standin.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setattr("retrosheet.gsheets.client._sleep", lambda s: None)
    standin.store.faults.clear()
    standin.store.reset_log()
    yield standin.store
    standin.store.faults.clear()
    standin.store.hooks.clear()


def run(*args: str | Path) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, [str(a) for a in args])
    return r.exit_code, r.stdout, r.stderr


def new_sheet(store: Store, *extra: str) -> str:
    code, out, err = run("new", SINGLE, "--release", "2027-05-14", "--gsheet-new",
                         "Nuit blanche", "--today", "2027-03-01", "--title", "Nuit blanche",
                         *extra)
    assert code == 0, out + err
    m = URL.search(out)
    assert m, out
    store.reset_log()
    return m.group(1)


def row_of(store: Store, key: str, task: str) -> int:
    s = store.sheet(key, "Planning")
    return next(r + 1 for r in range(s.row_count)
                if s.cell(r, 0).get("userEnteredValue", {}).get("stringValue") == task)


def test_new_gsheet_new_says_where_the_plan_is(store: Store) -> None:
    code, out, err = run("new", SINGLE, "--release", "2027-05-14", "--gsheet-new",
                         "Nuit blanche", "--today", "2027-03-01")
    assert (code, err) == (0, "")
    key = URL.search(out).group(1)  # type: ignore[union-attr]
    assert out == (f"https://docs.google.com/spreadsheets/d/{key}/edit : 52 tâches dont 8 "
                   "relances, sortie (J) le 14/05/2027, modèle single\n")
    assert store.kinds() == ["spreadsheets.create", "spreadsheets.batchUpdate"]
    assert store.book(key).properties["title"] == "Nuit blanche"


def test_a_sheet_only_the_service_account_sees_is_said(store: Store, tmp_path: Path) -> None:
    creds = tmp_path / "sa.json"
    creds.write_text(json.dumps({"type": "service_account", "client_email": SA_EMAIL}))
    new = ("new", SINGLE, "--release", "2027-05-14", "--today", "2027-03-01",
           "--credentials", creds, "--gsheet-new", "Nuit blanche")
    code, _, err = run(*new)
    assert (code, err) == (0, f"Attention : la feuille appartient au compte de service "
                              f"{SA_EMAIL} ; ajoutez --share VOTRE_EMAIL pour la voir\n")
    code, _, err = run(*new, "--share", "lea@example.com")
    assert (code, err) == (0, "")


def test_new_gsheet_fills_a_shared_spreadsheet(store: Store) -> None:
    key = store.add_spreadsheet("Promo", locale="en_US")
    store.reset_log()
    code, out, _ = run("new", SINGLE, "--release", "2027-05-14", "--lang", "en",
                       "--gsheet", f"https://docs.google.com/spreadsheets/d/{key}/edit#gid=0",
                       "--today", "2027-03-01")
    assert code == 0 and out.endswith(
        "52 tasks including 8 follow-ups, release (J) on 2027-05-14, template single\n")
    assert store.kinds() == ["spreadsheets.get", "spreadsheets.batchUpdate"]
    assert next(s.title for s in store.book(key).sheets) == "Planning"


def test_new_with_share(store: Store) -> None:
    new_sheet(store, "--share", "lea@example.com")
    key = next(reversed(store.books))
    assert store.book(key).permissions[0]["emailAddress"] == "lea@example.com"


@pytest.mark.parametrize(("args", "says"), [
    (["--gsheet", "x" * 44, "--gsheet-new", "T"], "either --gsheet or --gsheet-new"),
    (["--gsheet-new", "T", "-o", "plan.xlsx"], "-o writes a file"),
    (["--share", "a@b.c"], "--share goes with --gsheet-new"),
    (["--gsheet", "https://docs.google.com/document/d/abc/edit"], "not a Google Sheets"),
])
def test_new_bad_sheet_options(store: Store, args: list[str], says: str) -> None:
    code, out, err = run("new", SINGLE, "--release", "2027-05-14", *args)
    assert code == 2 and says in out + err


def test_edit_recompute_report_end_to_end(store: Store) -> None:
    key = new_sheet(store)
    url = f"https://docs.google.com/spreadsheets/d/{key}/edit"
    # a teammate works in the sheet
    t130, t210 = row_of(store, key, "T130"), row_of(store, key, "T210")
    store.set_cell(key, "Planning", f"K{t130}", "22/04/2027")
    store.set_cell(key, "Planning", f"M{t210}", "+7")
    store.set_cell(key, "Planning", f"L{row_of(store, key, 'T150')}", "Fait")
    # dry run: one read, the changes cell by cell
    code, out, _ = run("recompute", url, "--dry-run", "--today", "2027-03-01")
    assert code == 0 and store.kinds() == ["spreadsheets.get"]
    assert f"Planning!K{t130} (T130) : 22/04/2027 → " in out
    assert "Nuit blanche : " in out and "relance(s) à ajouter (R210-1)" in out
    store.reset_log()
    code, out, _ = run("recompute", url, "--today", "2027-03-01")
    assert code == 0, out
    assert store.kinds() == ["spreadsheets.get", "spreadsheets.get", "spreadsheets.batchUpdate"]
    assert "1 relance(s) ajoutée(s) (R210-1)" in out
    k = store.sheet(key, "Planning").cell(t130 - 1, L.COL["deadline"])
    assert canonical(k["userEnteredValue"]["formulaValue"]) == L.deadline_formula(
        t130, ("T070",), L.Refs("Paramètres"))
    store.reset_log()
    code, out, _ = run("recompute", key, "--today", "2027-03-01")
    assert out.startswith("Nuit blanche : déjà à jour") and store.kinds() == ["spreadsheets.get"]
    # the weekly report, written into the sheet
    store.reset_log()
    code, out, _ = run("report", url, "--as-of", "2027-04-29", "--format", "json",
                       "--write-sheet")
    assert code == 0 and json.loads(out)["as_of"] == "2027-04-29"
    assert store.kinds() == ["spreadsheets.get", "spreadsheets.batchUpdate"]
    assert store.values(key, "Rapport")[1][0] == "Date du rapport"
    assert len(store.values(key, "Historique")) > 1
    for command in (["report", key], ["check", key], ["export", key]):
        store.reset_log()
        code, out, _ = run(*command, "--today", "2027-03-01") if command[0] != "export" \
            else run(*command)
        assert code in (0, 1) and store.kinds() == ["spreadsheets.get"], command


def test_ics_reads_once(store: Store, tmp_path: Path) -> None:
    key = new_sheet(store)
    code, _, _ = run("ics", key, "-o", tmp_path / "plan.ics")
    assert code == 0 and store.kinds() == ["spreadsheets.get"]
    assert (tmp_path / "plan.ics").read_text().startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_same_export_and_report_as_the_xlsx(store: Store, tmp_path: Path, lang: str) -> None:
    key = new_sheet(store, "--lang", lang)
    path = tmp_path / "plan.xlsx"
    code, _, _ = run("new", SINGLE, "--release", "2027-05-14", "-o", path, "--today",
                     "2027-03-01", "--title", "Nuit blanche", "--lang", lang)
    assert code == 0
    for args in (["export"], ["export", "--format", "csv"],
                 ["report", "--format", "json", "--as-of", "2027-04-29"]):
        assert run(args[0], key, *args[1:]) == run(args[0], path, *args[1:]), args


def test_sheet_errors_are_one_line(store: Store, tmp_path: Path) -> None:
    creds = tmp_path / "sa.json"
    creds.write_text(json.dumps({"type": "service_account", "client_email": SA_EMAIL}))
    key = store.add_spreadsheet("Private")
    store.book(key).forbidden = True
    code, _out, err = run("report", key, "--credentials", creds)
    assert code == 2
    assert err == (f"Error: no access to spreadsheet {key} (403): share the sheet with "
                   f"{SA_EMAIL} (Share → Editor)\n")
    code, _, err = run("export", "nosuchsheet" + "x" * 33, "--credentials", creds)
    assert code == 2 and "not found (404)" in err and SA_EMAIL in err
    code, _, err = run("recompute", "https://docs.google.com/spreadsheets/d/e/2PACX-x/pubhtml")
    assert code == 2 and "published" in err and err.count("\n") == 1
    open_key = new_sheet(store)
    store.fail(429, times=20, retry_after="1")
    code, _, err = run("check", open_key)
    assert code == 2 and "quota exhausted (429)" in err and err.count("\n") == 1
