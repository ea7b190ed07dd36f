"""Google Sheets backend against the local stand-in (tests/sheets_standin.py).

The real gspread client talks HTTP to a server on 127.0.0.1 through
RETROSHEET_SHEETS_API_URL / RETROSHEET_SHEETS_TOKEN. These tests call the library entry
points (retrosheet.gsheets.*); tests/test_gsheets_cli.py drives the same through the CLI.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SINGLE
from openpyxl.worksheet.formula import ArrayFormula
from sheets_standin import Sheet, StandIn, Store, col_letter, parse_a1

from retrosheet import layout as L
from retrosheet.export import to_json
from retrosheet.followups import expand_followups
from retrosheet.gsheets import BadSheetUrl, sheet_key
from retrosheet.gsheets.backend import move_formula, open_plan, recompute_sheet
from retrosheet.gsheets.cells import canonical, localize
from retrosheet.gsheets.client import Sheets, SheetsError, connect
from retrosheet.gsheets.create import create_new, fill_existing
from retrosheet.model import Plan
from retrosheet.new import new_plan
from retrosheet.report import build_report
from retrosheet.report_cells import history_rows
from retrosheet.schedule import compute
from retrosheet.values import EXCEL_EPOCH, to_serial
from retrosheet.xlsx.create import write_new
from retrosheet.xlsx.read import read_plan

RELEASE = dt.date(2027, 5, 14)
TODAY = dt.date(2027, 3, 1)
AS_OF = dt.date(2027, 4, 29)
SA_EMAIL = "retrosheet-bot@my-label.iam.gserviceaccount.com"


# ---- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def store(standin: StandIn) -> Iterator[Store]:
    standin.store.faults.clear()
    standin.store.reset_log()
    yield standin.store
    standin.store.faults.clear()
    standin.store.hooks.clear()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def api(standin: StandIn, store: Store, sleeps: list[float]) -> Sheets:
    return fresh_api(standin, sleeps)


def fresh_api(standin: StandIn, sleeps: list[float] | None = None,
              **env: str) -> Sheets:
    waits = sleeps if sleeps is not None else []
    return connect(env={**standin.env(), **env}, sleep=waits.append, rand=lambda: 0.5)


def made(template: str = SINGLE, lang: str = "fr", **kw: Any) -> Any:
    return new_plan(template, RELEASE, lang=lang, title="Nuit blanche", artist="Léa", **kw)


def new_sheet(api: Sheets, store: Store, template: str = SINGLE, lang: str = "fr") -> str:
    created = create_new(made(template, lang), TODAY, "Nuit blanche", api=api)
    store.reset_log()
    return created.key


def big_template(tmp_path: Path, tasks: int) -> str:
    """A template with `tasks` rows (a tenth with a follow-up rule, chains, a milestone)."""
    axes = ["Radio", "Presse", "Playlists", "Réseaux sociaux", "Distribution", "Clip"]
    lines = ["ID,Type,Axe,Action,Responsable,Référence,Décalage,Unité,Durée,Relance,"
             "Plateforme,Objectif,Budget,Notes",
             "T00000,Jalon,Distribution,Sortie,Manager,J,0,,,,,,,"]
    for i in range(1, tasks):
        anchor = f"T{i - 1:05d}" if i % 4 == 0 else "J"
        offset = 2 if i % 4 == 0 else -90 + i % 120
        unit = "jours ouvrés" if i % 7 == 0 else "jours"
        rule = "+14" if i % 10 == 0 else ""
        lines.append(f"T{i:05d},Tâche,{axes[i % len(axes)]},Action {i},Owner {i % 6},"
                     f"{anchor},{offset},{unit},{1 + i % 3},{rule},Spotify,{i},{i % 50},n{i}")
    path = tmp_path / f"big{tasks}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def sheet(store: Store, key: str, title: str) -> Sheet:
    return store.sheet(key, title)


def cell(store: Store, key: str, title: str, a1: str) -> dict[str, Any]:
    ref = parse_a1(a1)
    assert ref.r0 is not None and ref.c0 is not None
    return sheet(store, key, title).cell(ref.r0, ref.c0)


def entered(c: dict[str, Any]) -> Any:
    v = c.get("userEnteredValue") or {}
    if "formulaValue" in v:
        return "=" + canonical(v["formulaValue"][1:])
    return v.get("numberValue", v.get("stringValue", v.get("boolValue")))


def ids_by_row(store: Store, key: str) -> dict[int, str]:
    s = sheet(store, key, "Planning")
    return {r + 1: s.cell(r, 0)["userEnteredValue"]["stringValue"]
            for r in range(1, s.row_count) if "userEnteredValue" in s.cell(r, 0)}


def row_of(store: Store, key: str, task: str) -> int:
    return next(r for r, t in ids_by_row(store, key).items() if t == task)


def export_of(plan: Plan) -> str:
    """What `retrosheet export` prints for a plan (cli.export_cmd's steps)."""
    plan.tasks = expand_followups(plan.tasks, plan.settings.lang)
    return to_json(plan, compute(plan))


def report_json(plan: Plan, day: dt.date = AS_OF) -> str:
    return json.dumps(build_report(plan, day).to_dict(), ensure_ascii=False, indent=2)


# ---- sheet_key ---------------------------------------------------------------------------------

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"


@pytest.mark.parametrize("arg", [
    f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
    f"https://docs.google.com/spreadsheets/d/{KEY}",
    f"https://docs.google.com/spreadsheets/u/1/d/{KEY}/edit?usp=sharing",
    f"docs.google.com/spreadsheets/d/{KEY}/edit",
    KEY,
    f"  {KEY}  ",
])
def test_sheet_key_finds_the_key(arg: str) -> None:
    assert sheet_key(arg) == KEY


def test_sheet_key_leaves_paths_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert sheet_key("plan.xlsx") is None
    assert sheet_key("Nuit blanche.xlsx") is None
    (tmp_path / KEY).write_text("a file that looks like a key")
    assert sheet_key(KEY) is None  # an existing file wins


_NOT_SHEETS = ("{}: not a Google Sheets address; expected "
               "https://docs.google.com/spreadsheets/d/KEY/edit")
_PAS_SHEETS = ("{} : pas une adresse Google Sheets ; attendu "
               "https://docs.google.com/spreadsheets/d/KEY/edit")


@pytest.mark.parametrize(("arg", "fr", "en"), [
    ("https://docs.google.com/document/d/abc/edit", _PAS_SHEETS, _NOT_SHEETS),
    ("https://docs.google.com/spreadsheets/d/e/2PACX-1vTx/pubhtml",
     "{} : un lien publié (/d/e/) ne peut pas être modifié ; donnez l'adresse de la feuille "
     "elle-même, https://docs.google.com/spreadsheets/d/KEY/edit",
     "{}: a published (/d/e/) link cannot be edited; use the sheet's own address, "
     "https://docs.google.com/spreadsheets/d/KEY/edit"),
    ("https://docs.google.com/spreadsheets/", _PAS_SHEETS, _NOT_SHEETS),
    ("https://example.com/plan.xlsx", _PAS_SHEETS + ", une clé de feuille ou un chemin de "
     "fichier", _NOT_SHEETS + ", a spreadsheet key, or a file path"),
])
def test_sheet_key_refuses_bad_urls_in_one_line(arg: str, fr: str, en: str) -> None:
    with pytest.raises(BadSheetUrl) as err:
        sheet_key(arg)
    assert (err.value.line("fr"), err.value.line("en")) == (fr.format(arg), en.format(arg))


def test_help_does_not_import_gspread() -> None:
    code = ("import sys, retrosheet.cli, retrosheet.gsheets;"
            "assert 'gspread' not in sys.modules and 'google.auth' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---- small pure helpers ----------------------------------------------------------------------

def test_formulas_follow_the_locale() -> None:
    f = '=IF(OR($I5="",$I5<=1),$K5,WORKDAY($K5,1-$I5,\'Paramètres\'!$E$3:$E$400))'
    fr = localize(f, "fr_FR")
    assert fr == '=IF(OR($I5="";$I5<=1);$K5;WORKDAY($K5;1-$I5;\'Paramètres\'!$E$3:$E$400))'
    assert localize(f, "en_US") == f and localize(f, "en_GB") == f
    assert localize('=COUNTIF(A:A,"a,b")', "de_DE") == '=COUNTIF(A:A;"a,b")'  # strings kept
    assert canonical(fr) == canonical(f) == f


def test_move_formula_rebuilds_the_row_references() -> None:
    refs = L.Refs("Paramètres")
    for anchors in (("J",), ("T010",), ("T010", "J")):
        assert move_formula(L.deadline_formula(12, anchors, refs), 12, 15) \
            == L.deadline_formula(15, anchors, refs)
    assert move_formula(L.start_formula(7, refs), 7, 1007) == L.start_formula(1007, refs)


# ---- new: the workbook in Sheets --------------------------------------------------

def _xlsx_value(v: Any) -> Any:
    if isinstance(v, ArrayFormula):  # Sheets spells an array formula ARRAYFORMULA(…)
        v = f"=ARRAYFORMULA({str(v.text)[1:]})"
    if isinstance(v, str):
        v = v.replace("_xlfn.", "")  # Excel's prefix for functions newer than 2007
    if isinstance(v, dt.datetime):
        return float(to_serial(v.date()))
    if isinstance(v, str) and v.startswith("="):
        return "=" + canonical(v[1:])
    if isinstance(v, int | float) and not isinstance(v, bool):
        return float(v)
    return v


def _sheets_value(c: dict[str, Any]) -> Any:
    v = entered(c)
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_new_sheet_holds_the_same_cells_as_the_xlsx(api: Sheets, store: Store, tmp_path: Path,
                                                      lang: str) -> None:
    """Every value and formula of every sheet, cell by cell, as the .xlsx writer puts them."""
    created = create_new(made(lang=lang), TODAY, "Nuit blanche", api=api)
    assert [s.kind for s in store.log] == ["spreadsheets.create", "spreadsheets.batchUpdate"]
    path = tmp_path / "plan.xlsx"
    m = made(lang=lang)
    write_new(m.plan, m.dates, path, TODAY)
    wb = openpyxl.load_workbook(path)
    book = store.book(created.key)
    assert [s.title for s in book.sheets] == wb.sheetnames
    assert book.locale == ("fr_FR" if lang == "fr" else "en_US")
    assert book.properties["title"] == "Nuit blanche"
    for ws in wb.worksheets:
        s = book.by_title(ws.title)
        want = {(c.row - 1, c.column - 1): _xlsx_value(c.value)
                for row in ws.iter_rows() for c in row if c.value not in (None, "")}
        got = {(r, c): _sheets_value(data) for r, row in enumerate(s.rows)
               for c, data in row.items() if "userEnteredValue" in data}
        assert got == want, ws.title


def test_new_sheet_formats_validations_rules_and_charts(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    plan = made().plan
    n = len(plan.tasks)
    p = sheet(store, key, "Planning")
    # frozen header and first columns, header style, widths
    assert p.grid["frozenRowCount"] == 1 and p.grid["frozenColumnCount"] == L.COL["action"] + 1
    head = cell(store, key, "Planning", "A1")["userEnteredFormat"]
    assert head["textFormat"] == {"bold": True,
                                  "foregroundColor": {"red": 1.0, "green": 1.0, "blue": 1.0}}
    assert head["backgroundColor"] == {"red": 0x1F / 255, "green": 0x38 / 255, "blue": 0x64 / 255}
    assert p.col_px[L.COL["action"]] == round(L.WIDTHS["action"] * 7 + 5) and p.row_px[0] == 40
    # date and J-28 formats on every task row, and on the rows a user adds below
    for r in (1, n, n + 200):
        fmt = p.cell(r, L.COL["deadline"])["userEnteredFormat"]["numberFormat"]
        assert fmt == {"type": "DATE", "pattern": "dd/mm/yyyy"}
        off = p.cell(r, L.COL["offset"])["userEnteredFormat"]["numberFormat"]
        assert off == {"type": "NUMBER", "pattern": '"J+"0;"J-"0;"J"'}
        assert p.cell(r, L.COL["budget"])["userEnteredFormat"]["numberFormat"]["pattern"] \
            == '#,##0" €"'
    # dropdowns from the Settings lists, strict except the axis
    status = p.cell(5, L.COL["status"])["dataValidation"]
    assert status["condition"] == {"type": "ONE_OF_RANGE",
                                   "values": [{"userEnteredValue": "='Paramètres'!$H$2:$H$6"}]}
    assert status["strict"] is True and status["showCustomUi"] is True
    assert p.cell(n + 300, L.COL["axis"])["dataValidation"]["strict"] is False
    offset = p.cell(1, L.COL["offset"])["dataValidation"]["condition"]
    assert offset["values"][0]["userEnteredValue"] \
        == "=AND(ISNUMBER(G2);G2=INT(G2);G2>=-3650;G2<=3650)"
    contacts = sheet(store, key, "Contacts")
    assert contacts.cell(1, 7)["dataValidation"]["condition"]["values"][0]["userEnteredValue"] \
        == "='Paramètres'!$L$2:$L$4"
    assert contacts.basic_filter is not None and contacts.grid["frozenRowCount"] == 1
    # conditional formats: today's week, milestones and spans in the strip; done, late, due
    rules = [canonical(r["booleanRule"]["condition"]["values"][0]["userEnteredValue"])
             for r in p.conditional_formats]
    first = col_letter(L.STRIP_FIRST_COL)
    assert rules[0] == f"=AND({first}$1<=TODAY(),TODAY()<{first}$1+7)"
    assert rules[2] == f"=AND($J2<={first}$1+6,$K2>={first}$1)"
    assert rules[3].startswith('=OR($L2="Fait",$L2="Annulé",$L2="Done"')
    assert "$K2<TODAY()" in rules[4] and "WEEKDAY(TODAY(),3)" in rules[5]
    assert len(rules) == 6
    # the week strip: one live Monday per week, rotated date headers
    weeks = p.column_count - L.STRIP_FIRST_COL
    assert weeks >= 10
    strip = p.cell(0, L.STRIP_FIRST_COL)
    assert strip["userEnteredFormat"]["numberFormat"] == {"type": "DATE", "pattern": "dd/mm"}
    assert strip["userEnteredFormat"]["textRotation"] == {"angle": 90}
    # Settings: the release date is a real date cell, highlighted
    rel = cell(store, key, "Paramètres", "B3")
    assert rel["userEnteredValue"] == {"numberValue": to_serial(RELEASE)}
    assert rel["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    assert cell(store, key, "Paramètres", "E1")["note"].startswith("Jours fériés")
    # Dashboard: live formulas and three native charts
    dash = sheet(store, key, "Tableau de bord")
    assert entered(dash.cell(2, 1)) == "='Paramètres'!$B$3-TODAY()"
    assert [list(c["spec"])[1] for c in dash.charts] == ["pieChart", "basicChart", "basicChart"]
    # the due list: Action over A and B, owner over D and E, joined on every row
    assert len(dash.merges) == 2 * 13
    assert {(c0, c1) for _, _, c0, c1 in dash.merges} == {(0, 2), (3, 5)}
    # no formula Google could not parse in a French spreadsheet (`;` separators)
    for s in store.book(key).sheets:
        for row in s.rows:
            for data in row.values():
                assert "errorValue" not in (data.get("_cached") or {}), data


def test_new_in_an_existing_shared_spreadsheet(api: Sheets, store: Store) -> None:
    key = store.add_spreadsheet("Promo 2027", locale="fr_FR", sheets=["Feuille 1"])
    store.reset_log()
    created = fill_existing(made(), TODAY, key, api=api)
    assert store.kinds() == ["spreadsheets.get", "spreadsheets.batchUpdate"]
    assert created.requests == 2
    titles = [s.title for s in store.book(key).sheets]
    assert titles == ["Planning", "Contacts", "Paramètres", "Tableau de bord", "Rapport",
                      "Historique"]  # the empty "Feuille 1" is gone
    assert open_plan(key, api=api).plan.settings.release == RELEASE


def test_new_keeps_other_sheets_and_refuses_a_spreadsheet_with_a_plan(
        api: Sheets, store: Store) -> None:
    key = store.add_spreadsheet("Label", locale="en_US", sheets=["Notes"])
    store.set_cell(key, "Notes", "A1", "keep me")
    fill_existing(made(lang="en"), TODAY, key, api=api)
    assert [s.title for s in store.book(key).sheets][-1] == "Notes"
    assert cell(store, key, "Notes", "A1")["userEnteredValue"] == {"stringValue": "keep me"}
    store.reset_log()
    before = store.book(key)
    with pytest.raises(SheetsError) as err:
        fill_existing(made(lang="en"), TODAY, key, api=api)
    assert err.value.line("en") == (
        "the Google Sheet 'Label' already has a 'Planning' sheet: "
        "retrosheet new fills an empty spreadsheet (use recompute on an existing plan, or "
        "--gsheet-new TITLE for a new spreadsheet)")
    assert store.kinds() == ["spreadsheets.get"] and store.book(key) is before


def test_new_sheet_shared_with_a_person(api: Sheets, store: Store) -> None:
    created = create_new(made(), TODAY, "Nuit blanche", api=api, share_with="lea@example.com")
    assert created.requests == 3
    assert store.kinds() == ["spreadsheets.create", "spreadsheets.batchUpdate",
                             "drive.permissions.create"]
    perm = store.book(created.key).permissions[0]
    assert (perm["emailAddress"], perm["role"], perm["type"]) == ("lea@example.com", "writer",
                                                                   "user")
    assert store.log[-1].params["sendNotificationEmail"] == ["false"]


# ---- recompute ---------------------------------------------------------------------------------

def teammate_edits(store: Store, key: str) -> dict[str, int]:
    """What a teammate does in the browser: a date typed over a formula, a new follow-up
    rule, a status, a result; returns the rows of the tasks touched."""
    rows = {t: row_of(store, key, t) for t in ("T130", "T210", "T150", "T160")}
    store.set_cell(key, "Planning", f"K{rows['T130']}", "22/04/2027")  # typed over a formula
    store.set_cell(key, "Planning", f"M{rows['T210']}", "+7")  # a follow-up rule added
    store.set_cell(key, "Planning", f"L{rows['T150']}", "Fait")
    store.set_cell(key, "Planning", f"Q{rows['T160']}", "6000")
    return rows


def deadline_ok(store: Store, key: str, plan: Plan | None = None) -> None:
    """Every task row's start and deadline hold the live formulas for that very row."""
    p = sheet(store, key, "Planning")
    refs = L.Refs("Paramètres")
    anchors = {t.id: t.anchors for t in (plan or open_plan_cached(store, key)).tasks}
    for row, tid in ids_by_row(store, key).items():
        if tid not in anchors or tid.startswith("X"):  # X…: added meanwhile by a teammate
            continue
        got = p.cell(row - 1, L.COL["deadline"])["userEnteredValue"]["formulaValue"]
        assert canonical(got) == L.deadline_formula(row, anchors[tid], refs), (row, tid)
        got = p.cell(row - 1, L.COL["start"])["userEnteredValue"]["formulaValue"]
        assert canonical(got) == L.start_formula(row, refs), (row, tid)


def open_plan_cached(store: Store, key: str) -> Plan:
    from sheets_standin import _get  # the state as a spreadsheets.get gives it

    from retrosheet.gsheets.sheet import book_of, load

    return load(book_of(key, _get(store.book(key), {"includeGridData": ["true"]}))).plan


def test_recompute_writes_owned_cells_by_id_in_three_requests(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    rows = teammate_edits(store, key)
    done = recompute_sheet(key, api=api)
    assert store.kinds() == ["spreadsheets.get", "spreadsheets.get", "spreadsheets.batchUpdate"]
    assert done.written and not done.skipped
    assert [t.id for t in done.result.added] == ["R210-1"]
    # the typed date is a live formula again, on its own row
    k = cell(store, key, "Planning", f"K{rows['T130']}")
    assert canonical(k["userEnteredValue"]["formulaValue"]) \
        == L.deadline_formula(rows["T130"], ("T070",), L.Refs("Paramètres"))
    assert k["userEnteredFormat"]["numberFormat"] == {"type": "DATE", "pattern": "dd/mm/yyyy"}
    # the follow-up row below the table, with the row's values and live formulas
    last = max(ids_by_row(store, key))
    assert ids_by_row(store, key)[last] == "R210-1"
    got = [entered(sheet(store, key, "Planning").cell(last - 1, c)) for c in range(9)]
    assert got == ["R210-1", "Relance", "Playlists", got[3], "Label", "T210", 7.0, "jours", 1.0]
    assert got[3].startswith("Relance 1 :")
    assert entered(cell(store, key, "Planning", f"L{last}")) == "À faire"
    assert cell(store, key, "Planning", f"G{last}")["userEnteredFormat"]["numberFormat"][
        "pattern"] == L.OFFSET_FORMAT
    # what the teammate typed is kept
    assert entered(cell(store, key, "Planning", f"L{rows['T150']}")) == "Fait"
    assert entered(cell(store, key, "Planning", f"Q{rows['T160']}")) == 6000.0
    deadline_ok(store, key)
    # a second run finds nothing to do: one request
    store.reset_log()
    again = recompute_sheet(key, api=api)
    assert (again.changes, again.written, store.kinds()) == ([], False, ["spreadsheets.get"])


def test_dry_run_reads_once_and_writes_nothing(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    teammate_edits(store, key)
    before = store.book(key)
    done = recompute_sheet(key, api=api, dry_run=True)
    assert store.kinds() == ["spreadsheets.get"] and store.book(key) is before
    where = {(c.update.row, c.update.col) for c in done.changes}
    assert (row_of(store, key, "T130"), L.COL["deadline"]) in where
    assert not done.written


def test_recompute_refreshes_contacts_follow_ups(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    contacts = [("C1", "Radio", "FIP", "T170", "Sans réponse"),
                ("C2", "Radio", "Nova", "T170", "Oui"),
                ("C3", "Radio", "Ouï FM", "T170", "")]
    for i, (cid, axis, outlet, task, reply) in enumerate(contacts, start=2):
        for col, v in zip("ABCFH", (cid, axis, outlet, task, reply), strict=True):
            if v:
                store.set_cell(key, "Contacts", f"{col}{i}", v)
    recompute_sheet(key, api=api)
    t170 = compute(made().plan)["T170"].deadline
    follow = to_serial(t170 + dt.timedelta(days=14))
    assert cell(store, key, "Contacts", "K2")["userEnteredValue"]["numberValue"] == follow
    assert "userEnteredValue" not in cell(store, key, "Contacts", "K3")  # answered
    assert cell(store, key, "Contacts", "K4")["userEnteredValue"]["numberValue"] == follow


# ---- races: a teammate edits between the read and the write -----------------------------------

def _insert_rows_above(store: Store, key: str, at_row: int, count: int) -> None:
    sid = store.sheet(key, "Planning").id
    store.edit(key, [{"insertDimension": {"range": {"sheetId": sid, "dimension": "ROWS",
                                                    "startIndex": at_row - 1,
                                                    "endIndex": at_row - 1 + count},
                                          "inheritFromBefore": True}}])
    store.set_cell(key, "Planning", f"A{at_row}", "X900")  # the teammate's own new task
    store.set_cell(key, "Planning", f"D{at_row}", "Tâche ajoutée par Léa")
    store.set_cell(key, "Planning", f"K{at_row}", "30/04/2027")


def test_race_rows_inserted_above(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    rows = teammate_edits(store, key)
    store.after(1, lambda s: _insert_rows_above(s, key, 3, 4))  # after the first read
    done = recompute_sheet(key, api=api)
    assert done.written and not done.skipped
    assert row_of(store, key, "T130") == rows["T130"] + 4
    deadline_ok(store, key)
    # the teammate's rows were not written over
    assert entered(cell(store, key, "Planning", "A3")) == "X900"
    assert cell(store, key, "Planning", "K3")["userEnteredValue"] == {"numberValue": to_serial(
        dt.date(2027, 4, 30))}
    for r in (4, 5, 6):
        assert "userEnteredValue" not in cell(store, key, "Planning", f"K{r}")
    last = max(ids_by_row(store, key))
    assert ids_by_row(store, key)[last] == "R210-1"  # below the table as it is now


def test_race_row_deleted(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    rows = teammate_edits(store, key)
    t130 = rows["T130"]
    after = ids_by_row(store, key)[t130 + 1]
    sid = store.sheet(key, "Planning").id
    store.after(1, lambda s: s.edit(key, [{"deleteDimension": {"range": {
        "sheetId": sid, "dimension": "ROWS", "startIndex": t130 - 1, "endIndex": t130}}}]))
    done = recompute_sheet(key, api=api)
    assert [(x.task, x.reason) for x in done.skipped] == [("T130", "deleted")]
    assert all(c.update.task != "T130" for c in done.changes)  # reported as not written
    assert "T130" not in ids_by_row(store, key).values()
    # the row that slid into T130's place keeps its own formula (nothing of T130 on it)
    assert ids_by_row(store, key)[t130] == after
    deadline_ok(store, key)
    assert "supprimée" in done.skipped[0].message("fr")
    assert "deleted" in done.skipped[0].message("en")


def test_race_sheet_sorted(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    teammate_edits(store, key)
    s = store.sheet(key, "Planning")
    last = max(ids_by_row(store, key))
    sort = {"sortRange": {"range": {"sheetId": s.id, "startRowIndex": 1, "endRowIndex": last,
                                    "startColumnIndex": 0, "endColumnIndex": s.column_count},
                          "sortSpecs": [{"dimensionIndex": L.COL["action"],
                                         "sortOrder": "DESCENDING"}]}}
    before = ids_by_row(store, key)
    store.after(1, lambda st: st.edit(key, [sort]))
    done = recompute_sheet(key, api=api)
    assert done.written and not done.skipped
    after = ids_by_row(store, key)
    moved = sum(1 for r, t in before.items() if after.get(r) != t)
    assert moved > 20  # the sort really moved rows
    deadline_ok(store, key)
    assert entered(cell(store, key, "Planning", f"L{row_of(store, key, 'T150')}")) == "Fait"


def test_race_task_appended_below_while_a_follow_up_is_added(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    teammate_edits(store, key)
    last = max(ids_by_row(store, key))

    def append(s: Store) -> None:
        s.set_cell(key, "Planning", f"A{last + 1}", "X901")
        s.set_cell(key, "Planning", f"D{last + 1}", "Ajout de dernière minute")

    store.after(1, append)
    recompute_sheet(key, api=api)
    ids = ids_by_row(store, key)
    assert ids[last + 1] == "X901" and ids[last + 2] == "R210-1"
    assert entered(cell(store, key, "Planning", f"D{last + 1}")) == "Ajout de dernière minute"


def test_race_contacts_sorted(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    sent = {"FIP": "2027-04-19", "Nova": "2027-04-20", "Ouï FM": "2027-04-21"}
    for i, (outlet, day) in enumerate(sent.items(), start=2):
        for col, v in zip("ABCFG", (f"C{i}", "Radio", outlet, "T170", day), strict=True):
            store.set_cell(key, "Contacts", f"{col}{i}", v)
    sid = store.sheet(key, "Contacts").id
    store.after(1, lambda s: s.edit(key, [{"sortRange": {
        "range": {"sheetId": sid, "startRowIndex": 1, "endRowIndex": 4},
        "sortSpecs": [{"dimensionIndex": 2, "sortOrder": "DESCENDING"}]}}]))
    recompute_sheet(key, api=api)
    c = sheet(store, key, "Contacts")
    for r in (1, 2, 3):
        outlet = c.cell(r, 2)["userEnteredValue"]["stringValue"]
        want = dt.date.fromisoformat(sent[outlet]) + dt.timedelta(days=14)
        got = EXCEL_EPOCH + dt.timedelta(days=c.cell(r, 10)["userEnteredValue"]["numberValue"])
        # +14 calendar days, moved back to a working day
        assert want - dt.timedelta(days=3) <= got <= want, outlet
    assert entered(c.cell(1, 2)) == "Ouï FM"  # the sort happened


def test_race_columns_moved_stops_the_write(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    teammate_edits(store, key)

    def rename_header(s: Store) -> None:
        s.set_cell(key, "Planning", "K1", "Date limite (ancienne)")

    store.after(1, rename_header)
    before_write = len(store.log)
    with pytest.raises(SheetsError) as err:
        recompute_sheet(key, api=api)
    assert str(err.value) == (
        "la ligne d'en-tête de 'Planning' a changé pendant le recalcul (colonnes ou lignes "
        "déplacées au-dessus du tableau ?) : rien n'est écrit ; relancez recompute")
    assert [s.kind for s in store.log[before_write:]] == ["spreadsheets.get", "spreadsheets.get"]


# ---- report ------------------------------------------------------------------------------------

def test_report_reads_once_and_write_sheet_writes_once(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    teammate_edits(store, key)
    sp = open_plan(key, api=api)
    rep = build_report(sp.plan, AS_OF)
    assert store.kinds() == ["spreadsheets.get"]
    sp.write_report(rep)
    assert store.kinds() == ["spreadsheets.get", "spreadsheets.batchUpdate"]
    report = store.values(key, "Rapport")
    assert report[0][0].startswith("Rapport du") or report[0][0]
    assert report[1][0] == "Date du rapport" and report[1][1] == to_serial(AS_OF)
    assert report[-1][0].startswith("Cette feuille est écrite par")
    title = cell(store, key, "Rapport", "A1")["userEnteredFormat"]["textFormat"]
    assert title["bold"] and title["fontSize"] == 16
    date = cell(store, key, "Rapport", "B2")["userEnteredFormat"]["numberFormat"]
    assert date == {"type": "DATE", "pattern": "dd/mm/yyyy"}
    history = store.values(key, "Historique")
    axes = [p.axis for p in rep.progress]
    n = len(history_rows(rep))  # a row per axis, then one per indicator
    assert [r[1] for r in history[1:len(axes) + 1]] == axes and len(history) == 1 + n
    assert all(r[0] == to_serial(AS_OF) for r in history[1:])
    # a second run replaces the report and appends to History
    sp.write_report(build_report(sp.plan, AS_OF + dt.timedelta(days=7)))
    history = store.values(key, "Historique")
    assert len(history) == 1 + 2 * n
    assert history[-1][0] == to_serial(AS_OF + dt.timedelta(days=7))
    assert store.values(key, "Rapport")[1][1] == to_serial(AS_OF + dt.timedelta(days=7))


def test_write_sheet_adds_missing_report_and_history_in_the_same_request(
        api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    book = store.book(key)
    store.edit(key, [{"deleteSheet": {"sheetId": s.id}} for s in book.sheets
                     if s.title in ("Rapport", "Historique")])
    store.reset_log()
    sp = open_plan(key, api=api)
    sp.write_report(build_report(sp.plan, AS_OF))
    assert store.kinds() == ["spreadsheets.get", "spreadsheets.batchUpdate"]
    history = store.values(key, "Historique")
    assert history[0] == ["Date", "Axe", "Indicateur", "Tâches", "Faites", "En retard",
                          "Budget", "Dépensé", "Objectif", "Résultat"]
    assert cell(store, key, "Historique", "A1")["userEnteredFormat"]["textFormat"]["bold"]


# ---- the same plan as .xlsx and as Google Sheet -------------------------------------------------

def _progress_xlsx(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Planning"]
    row = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(row["T150"], 12).value = "Fait"
    ws.cell(row["T240"], 12).value = "Bloqué"
    ws.cell(row["T160"], 17).value = 6000
    ws.cell(row["T020"], 19).value = 800
    wb.save(path)


def _progress_sheet(store: Store, key: str) -> None:
    for tid, col, v in (("T150", "L", "Fait"), ("T240", "L", "Bloqué"), ("T160", "Q", "6000"),
                        ("T020", "S", "800")):
        store.set_cell(key, "Planning", f"{col}{row_of(store, key, tid)}", v)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_xlsx_and_google_sheet_give_the_same_export_and_report(
        api: Sheets, store: Store, tmp_path: Path, lang: str) -> None:
    key = new_sheet(api, store, lang=lang)
    path = tmp_path / "plan.xlsx"
    m = made(lang=lang)
    write_new(m.plan, m.dates, path, TODAY)
    assert export_of(open_plan(key, api=api).plan) == export_of(read_plan(path))
    assert report_json(open_plan(key, api=api).plan) == report_json(read_plan(path))
    _progress_xlsx(path)
    _progress_sheet(store, key)
    assert export_of(open_plan(key, api=api).plan) == export_of(read_plan(path))
    assert report_json(open_plan(key, api=api).plan) == report_json(read_plan(path))


# ---- requests per command, whatever the row count (docs/contract.md §9) -----------------------

@pytest.mark.parametrize("tasks", [46, pytest.param(4546, marks=pytest.mark.slow)])  # 50, 5000
def test_request_counts(api: Sheets, store: Store, tmp_path: Path, tasks: int) -> None:
    m = new_plan(big_template(tmp_path, tasks), RELEASE)
    rows = len(m.plan.tasks)
    assert rows == {46: 50, 4546: 5000}[tasks]
    created = create_new(m, TODAY, "Big", api=api)
    counts = {"new --gsheet-new": len(store.log)}
    key = created.key
    store.reset_log()
    open_plan(key, api=api)
    counts["report"] = len(store.log)
    store.reset_log()
    sp = open_plan(key, api=api)
    sp.write_report(build_report(sp.plan, AS_OF))
    counts["report --write-sheet"] = len(store.log)
    store.reset_log()
    recompute_sheet(key, api=api)
    counts["recompute (nothing to do)"] = len(store.log)
    store.reset_log()
    recompute_sheet(key, api=api, dry_run=True)
    counts["check / recompute --dry-run"] = len(store.log)
    # a teammate types dates over formulas and adds a follow-up rule
    for tid in ("T00003", "T00005"):
        store.set_cell(key, "Planning", f"K{row_of(store, key, tid)}", "2027-04-01")
    store.set_cell(key, "Planning", f"M{row_of(store, key, 'T00001')}", "+7 x2")
    store.reset_log()
    done = recompute_sheet(key, api=api)
    counts["recompute"] = len(store.log)
    assert done.written and [t.id for t in done.result.added] == ["R00001-1", "R00001-2"]
    assert counts == {"new --gsheet-new": 2, "report": 1, "report --write-sheet": 2,
                      "recompute (nothing to do)": 1, "check / recompute --dry-run": 1,
                      "recompute": 3}
    key2 = store.add_spreadsheet("Shared", locale="fr_FR")
    store.reset_log()
    fill_existing(m, TODAY, key2, api=api)
    assert len(store.log) == 2


# ---- retries and errors ------------------------------------------------------------------------

def test_429_waits_as_long_as_retry_after_says(api: Sheets, store: Store,
                                               sleeps: list[float]) -> None:
    key = new_sheet(api, store)
    store.fail(429, retry_after="7")
    open_plan(key, api=api)
    assert sleeps == [7.0]
    assert [s.status for s in store.log] == [429, 200]
    assert api.traffic.requests[-1][0] == "GET"


def test_5xx_backs_off_exponentially_with_jitter(api: Sheets, store: Store,
                                                 sleeps: list[float]) -> None:
    key = new_sheet(api, store)
    store.fail(500, times=2)
    store.fail(503, times=1)
    recompute_sheet(key, api=api)
    assert sleeps == [0.5, 1.0, 2.0]  # rand() = 0.5 × 1, 2, 4 s
    assert [s.status for s in store.log] == [500, 500, 503, 200]


def test_429_gives_up_after_the_cap_with_a_clear_message(api: Sheets, store: Store,
                                                         sleeps: list[float]) -> None:
    key = new_sheet(api, store)
    store.fail(429, times=10, retry_after="2")
    with pytest.raises(SheetsError) as err:
        open_plan(key, api=api)
    assert err.value.line("en") == (
        "Google Sheets quota exhausted (429): still refused after 6 attempts over 18 s; Google "
        "allows 60 requests per minute per user, wait a minute and run again")
    assert str(err.value) == (
        "quota Google Sheets épuisé (429) : toujours refusé après 6 essais en 18 s ; Google "
        "permet 60 requêtes par minute et par utilisateur, attendez une minute et relancez")
    assert len(sleeps) == 5 and len(store.log) == 6
    assert all(w >= 2.0 for w in sleeps)  # Retry-After is a floor
    assert sleeps == [2.0, 2.0, 2.0, 4.0, 8.0]  # jittered backoff past it, capped later


def test_retry_after_longer_than_the_cap_gives_up_at_once(api: Sheets, store: Store,
                                                          sleeps: list[float]) -> None:
    key = new_sheet(api, store)
    store.fail(429, retry_after="3600")
    with pytest.raises(SheetsError) as err:
        open_plan(key, api=api)
    assert str(err.value) == ("quota Google Sheets épuisé (429) : Google demande d'attendre "
                              "3600 s ; relancez plus tard")
    assert sleeps == [] and len(store.log) == 1


def test_backoff_is_capped(standin: StandIn, store: Store) -> None:
    from retrosheet.gsheets._transport import RetryPolicy

    sleeps: list[float] = []
    api = connect(env=standin.env(), sleep=sleeps.append, rand=lambda: 1.0,
                  policy=RetryPolicy(attempts=9, base=1.0, cap=10.0))
    key = new_sheet(api, store)
    store.fail(503, times=8)
    open_plan(key, api=api)
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0, 10.0]


def test_create_is_not_retried_on_a_server_error(api: Sheets, store: Store,
                                                 sleeps: list[float]) -> None:
    store.fail(500)
    count = len(store.books)
    with pytest.raises(SheetsError) as err:
        create_new(made(), TODAY, "Nuit blanche", api=api)
    assert err.value.line("en").startswith("Google Sheets error 500: ")
    assert str(err.value).startswith("erreur Google Sheets 500 : ")
    assert len(store.log) == 1 and sleeps == [] and len(store.books) == count


def test_403_says_to_share_with_the_service_account(standin: StandIn, store: Store,
                                                    tmp_path: Path) -> None:
    creds = tmp_path / "sa.json"
    creds.write_text(json.dumps({"type": "service_account", "client_email": SA_EMAIL,
                                 "private_key": "not used", "token_uri": "x"}))
    api = connect(creds, env=standin.env(), sleep=lambda s: None)
    key = store.add_spreadsheet("Private")
    store.book(key).forbidden = True
    with pytest.raises(SheetsError) as err:
        open_plan(key, api=api)
    assert err.value.line("en") == (f"no access to spreadsheet {key} (403): share the sheet "
                                    f"with {SA_EMAIL} (Share → Editor)")
    assert str(err.value) == (f"pas d'accès à la feuille {key} (403) : partagez la feuille "
                              f"avec {SA_EMAIL} (Partager → Éditeur)")
    with pytest.raises(SheetsError) as err:
        recompute_sheet("nosuchsheet" + "x" * 30, api=api)
    assert err.value.line("en") == (f"spreadsheet nosuchsheet{'x' * 30} not found (404): "
                                    "check the URL or key, and share the sheet with "
                                    f"{SA_EMAIL} (Share → Editor)")


def test_403_when_the_api_is_disabled(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    store.fail(403, message="Google Sheets API has not been used in project 123 before or it "
                            "is disabled.")
    with pytest.raises(SheetsError) as err:
        open_plan(key, api=api)
    assert err.value.line("en") == (
        "the Google Sheets API is not enabled in the Google Cloud project of these credentials: "
        "enable it at https://console.cloud.google.com/apis/library/sheets.googleapis.com (403)")


def test_a_sheet_without_a_plan_is_named_in_the_users_words(api: Sheets, store: Store) -> None:
    """The Google Sheet is named from the catalogue: « la Google Sheet 'Notes' n'a pas… »."""
    from retrosheet.errors import WorkbookError

    key = store.add_spreadsheet("Notes", locale="fr_FR", sheets=["Feuille 1"])
    with pytest.raises(WorkbookError) as err:
        open_plan(key, api=api)
    assert err.value.line("fr") == ("la Google Sheet 'Notes' n'a pas de feuille Planning "
                                    "(feuilles : Feuille 1)")
    assert err.value.line("en") == ("the Google Sheet 'Notes' has no Planning sheet "
                                    "(sheets: Feuille 1)")


def test_wrong_token_is_refused(standin: StandIn, store: Store) -> None:
    api = fresh_api(standin, RETROSHEET_SHEETS_TOKEN="wrong")
    with pytest.raises(SheetsError) as err:
        open_plan(store.add_spreadsheet(), api=api)
    assert str(err.value) == ("Google a refusé les identifiants (401) : vérifiez le fichier "
                              "donné à --credentials ou GOOGLE_APPLICATION_CREDENTIALS, ou "
                              "reconnectez-vous")


def test_no_google_sign_in_with_an_api_url(standin: StandIn, store: Store) -> None:
    """With RETROSHEET_SHEETS_API_URL the token is sent as is: nothing talks to Google."""
    api = fresh_api(standin)
    key = new_sheet(api, store)
    open_plan(key, api=api)
    assert all(not p.startswith("http") for _, p in api.traffic.requests)
    assert api.http.session.headers["Authorization"] == f"Bearer {store.token}"


def test_missing_credentials_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(SheetsError) as err:
        connect(tmp_path / "nope.json", env={})
    assert str(err.value) == f"{tmp_path / 'nope.json'} : fichier d'identifiants introuvable"
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(SheetsError) as err:
        connect(bad, env={})
    assert err.value.line("en") == (
        f"{bad}: neither a service account key, an OAuth client file nor an authorized user "
        "file (see docs/gsheets.md)")


def test_plan_errors_name_the_sheet_and_cell(api: Sheets, store: Store) -> None:
    key = new_sheet(api, store)
    store.set_cell(key, "Planning", f"F{row_of(store, key, 'T060')}", "T999")
    before = store.book(key)
    from retrosheet.errors import PlanError

    with pytest.raises(PlanError) as err:
        recompute_sheet(key, api=api)
    assert "Planning!F" in str(err.value) and "T999" in str(err.value)
    assert store.book(key) is before and store.kinds() == ["spreadsheets.get"]
