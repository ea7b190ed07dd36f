"""The xlwings Lite buttons: what `new --xlwings-lite` writes, and main.py's scripts on a
test double of xlwings Lite's book against the command line on a copy.

The package checks read the file as Excel and the add-in would: the web-extension part
with main.py and requirements.txt (json in XML attributes), the task pane and its
relationships, the content types, the two shapes and the cells their links select.
The scripts run here in CPython with `tests/lite_double.py` as `xlwings`; the same run in
Pyodide is tests/test_lite_pyodide.py.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import types
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

import lite_double
import openpyxl
import pytest
from clirun import made_file
from conftest import SINGLE
from libreoffice import recalc, requires_soffice
from test_excel_entry import AS_OF, RELEASE, TABLE_COLS, TODAY, edit_like_a_team, norm, run

from retrosheet import __version__
from retrosheet.lite_scripts import MAIN_MARK, XLWINGS_VERSION
from retrosheet.xlsx.lite import (
    REL_TASKPANES,
    REL_WEBEXTENSION,
    STORE_ID,
    TASKPANES,
    WEBEXTENSION,
    properties,
)

ADDIN_PARTS = (WEBEXTENSION, TASKPANES, "xl/webextensions/_rels/taskpanes.xml.rels")


def new_lite(path: Path, *extra: str) -> Path:
    return made_file(path, SINGLE, "--release", RELEASE, "--today", TODAY.isoformat(),
                     "--title", "Nuit blanche", "--xlwings-lite", *extra)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def rel_targets(xml: bytes) -> dict[str, str]:
    """Relationship type → target."""
    return {t.decode(): g.decode() for _, t, g in re.findall(
        rb'<Relationship Id="([^"]*)" Type="([^"]*)" Target="([^"]*)"', xml)}


def buttons_of(p: dict[str, bytes], sheet_part: str) -> dict[str, str]:
    """Shape name → the cell its link selects, read from Planning's drawing."""
    srels = p[sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels"]
    rid = re.search(rb'<drawing [^>]*r:id="([^"]*)"', p[sheet_part])
    assert rid, "Planning has no drawing"
    target = re.search(rb'Id="' + rid.group(1) + rb'" Type="[^"]*/drawing" Target="([^"]*)"',
                       srels)
    assert target
    drawing = "xl/drawings/" + target.group(1).decode().rsplit("/", 1)[1]
    drels = p[drawing.replace("drawings/", "drawings/_rels/") + ".rels"]
    links = {i.decode(): t.decode() for i, t in re.findall(
        rb'Id="([^"]*)" Type="[^"]*/hyperlink" Target="([^"]*)"', drels)}
    out = {}
    for name, hrid in re.findall(rb'<xdr:cNvPr id="\d+" name="([^"]*)"[^>]*>'
                                 rb'<a:hlinkClick [^>]*r:id="([^"]*)"', p[drawing]):
        out[name.decode()] = unescape(links[hrid.decode()]).lstrip("#").replace("'", "") \
            .replace("$", "")
    return out


def test_the_file_carries_the_addin_its_scripts_and_the_buttons(tmp_path: Path) -> None:
    p = parts(new_lite(tmp_path / "plan.xlsx"))

    # The task pane, related from the package, pointing at the add-in's part.
    assert rel_targets(p["_rels/.rels"])[REL_TASKPANES] == TASKPANES
    assert rel_targets(p["xl/webextensions/_rels/taskpanes.xml.rels"])[REL_WEBEXTENSION] \
        == "webextension1.xml"
    assert b'visibility="1"' in p[TASKPANES]
    ct = p["[Content_Types].xml"].decode()
    assert ('<Override PartName="/xl/webextensions/webextension1.xml" '
            'ContentType="application/vnd.ms-office.webextension+xml"/>') in ct
    assert ('<Override PartName="/xl/webextensions/taskpanes.xml" '
            'ContentType="application/vnd.ms-office.webextensiontaskpanes+xml"/>') in ct

    # The add-in: xlwings Lite from the store, its settings JSON in XML attributes.
    ext = p[WEBEXTENSION]
    assert f'<we:reference id="{STORE_ID}" version="1.0.0.0" store="en-US" ' \
           'storeType="OMEX"/>'.encode() in ext
    props = properties(ext)
    assert props["Office.AutoShowTaskpaneWithDocument"] is True
    assert props["xlwingsSettingsWorkbook"] == {"startupBehavior": "taskpane"}
    assert {"pyodideVersion", "addinVersion", "xlwingsWorkbookId"} <= set(props)
    requirements = str(props["requirements.txt"]).splitlines()
    assert f"xlwings=={XLWINGS_VERSION}  # required" in requirements
    assert requirements[-1] == f"retrosheet=={__version__}"
    code = str(props["main.py"])
    assert code.startswith(MAIN_MARK) and "\n" in code and '"""' in code
    compile(code, "main.py", "exec")

    # Each @script names a shape on Planning and the cell that shape's link selects.
    scripts = dict(re.findall(r'@script\(button="\[(\w+)\]([^"]+)", show_taskpane=True\)\n'
                              r"def (\w+)", code)[i][:2] for i in range(2))
    sheet_part = "xl/worksheets/sheet1.xml"
    assert scripts == buttons_of(p, sheet_part) == {
        "RetrosheetRecompute": "Planning!C1", "RetrosheetReport": "Planning!D1"}
    assert re.findall(r"def (\w+)\(book: xw\.Book\)", code) == ["recalculer", "rapport"]
    assert b">Recalculer</a:t>" in p["xl/drawings/drawing2.xml"]
    # The header row is frozen: the buttons sit in the Action header, always visible.
    assert b'<pane xSplit="4" ySplit="1"' in p[sheet_part]
    # Everything else is what a plain plan has.
    plain = parts(run_new_plain(tmp_path / "plain.xlsx"))
    assert set(p) - set(plain) == {*ADDIN_PARTS, "xl/drawings/drawing2.xml",
                                   "xl/drawings/_rels/drawing2.xml.rels"}


def run_new_plain(path: Path) -> Path:
    return made_file(path, SINGLE, "--release", RELEASE, "--today", TODAY.isoformat(),
                     "--title", "Nuit blanche")


def test_english_buttons_and_a_self_hosted_wheel(tmp_path: Path) -> None:
    url = "https://intranet.example.org/wheels/retrosheet-0.1.0-py3-none-any.whl"
    p = parts(new_lite(tmp_path / "plan.xlsx", "--lang", "en", "--lite-requirement", url))
    props = properties(p[WEBEXTENSION])
    assert str(props["requirements.txt"]).splitlines()[-1] == url
    code = str(props["main.py"])
    assert re.findall(r"def (\w+)\(book: xw\.Book\)", code) == ["recompute", "report"]
    assert b">Report</a:t>" in p["xl/drawings/drawing2.xml"]


def test_recompute_and_report_keep_the_addin_byte_for_byte(tmp_path: Path) -> None:
    path = new_lite(tmp_path / "plan.xlsx")
    edit_like_a_team(path)  # openpyxl drops the add-in: put it back from a fresh copy
    path = readd(path, tmp_path)
    before = parts(path)
    code, out = run("recompute", path, "--today", TODAY.isoformat())
    assert code == 0 and "R130-1, R130-2" in out, out
    code, out = run("report", path, "--write-sheet", "--as-of", AS_OF.isoformat())
    assert code == 0, out
    after = parts(path)
    drawing = [n for n in before if n.startswith("xl/drawings/") and "drawing" in n
               and n.endswith(".xml") and b"Retrosheet" in before[n]]
    for part in (*ADDIN_PARTS, *drawing, drawing[0].replace("drawings/", "drawings/_rels/")
                 + ".rels", "_rels/.rels"):
        assert after[part] == before[part], part
    assert after["xl/worksheets/sheet1.xml"] != before["xl/worksheets/sheet1.xml"]
    assert re.search(rb'<drawing [^>]*r:id="', after["xl/worksheets/sheet1.xml"])
    ct = after["[Content_Types].xml"]
    assert b"/xl/webextensions/webextension1.xml" in ct and b"/xl/drawings/drawing2" in ct


def readd(path: Path, tmp_path: Path) -> Path:
    """The plan with the add-in added again (openpyxl, which the test edits with, does
    not keep web extensions or shapes)."""
    from retrosheet.xlsx.lite import add_lite

    out = tmp_path / f"lite-{path.name}"
    add_lite(path, out)
    return out


def test_a_past_plan_gets_the_current_scripts_once(tmp_path: Path) -> None:
    past = new_lite(tmp_path / "past.xlsx")
    old = properties(parts(past)[WEBEXTENSION])
    code, out = run("new", "--from", past, "--release", "2028-05-12", "-o",
                    tmp_path / "next.xlsx", "--xlwings-lite")
    assert code == 0, out
    p = parts(tmp_path / "next.xlsx")
    new = properties(p[WEBEXTENSION])
    assert new["main.py"] == old["main.py"]
    assert new["xlwingsWorkbookId"] == old["xlwingsWorkbookId"]
    drawing = p["xl/drawings/drawing2.xml"]
    assert drawing.count(b'name="RetrosheetRecompute"') == 1
    assert buttons_of(p, "xl/worksheets/sheet1.xml")["RetrosheetReport"] == "Planning!D1"
    # A team's own wheel stays when the plan is carried on.
    url = "https://intranet.example.org/retrosheet-0.1.0-py3-none-any.whl"
    hosted = new_lite(tmp_path / "hosted.xlsx", "--lite-requirement", url)
    code, out = run("new", "--from", hosted, "--release", "2028-05-12", "-o",
                    tmp_path / "hosted-next.xlsx", "--xlwings-lite")
    assert code == 0, out
    kept = properties(parts(tmp_path / "hosted-next.xlsx")[WEBEXTENSION])
    assert str(kept["requirements.txt"]).splitlines()[-1] == url
    # A plain past plan gets them too.
    plain = run_new_plain(tmp_path / "plain.xlsx")
    code, out = run("new", "--from", plain, "--release", "2028-05-12", "-o",
                    tmp_path / "next2.xlsx", "--xlwings-lite")
    assert code == 0, out
    assert WEBEXTENSION in parts(tmp_path / "next2.xlsx")


def test_code_of_its_own_is_never_replaced(tmp_path: Path) -> None:
    past = new_lite(tmp_path / "past.xlsx")
    p = parts(past)
    theirs = p[WEBEXTENSION].replace(b"# retrosheet-xlwings-lite", b"# my own code")
    mine = tmp_path / "mine.xlsx"
    with zipfile.ZipFile(past) as src, zipfile.ZipFile(mine, "w") as out:
        for info in src.infolist():
            out.writestr(info, theirs if info.filename == WEBEXTENSION else src.read(info))
    dest = tmp_path / "next.xlsx"
    code, out = run("new", "--from", mine, "--release", "2028-05-12", "-o", dest,
                    "--xlwings-lite")
    assert code == 2 and "xlwings Lite code of its own" in out
    assert not dest.exists()
    code, out = run("new", SINGLE, "--release", RELEASE, "-o", tmp_path / "x.xlsx",
                    "--xlwings-lite", "--macro")
    assert code == 2 and "either --macro" in out
    code, out = run("new", SINGLE, "--release", RELEASE, "-o", tmp_path / "x.xlsx",
                    "--xlwings-lite", "--lite-requirement", "retrosheet\nevil")
    assert code == 2 and "one line" in out and not (tmp_path / "x.xlsx").exists()


@pytest.mark.libreoffice
@requires_soffice
def test_libreoffice_opens_it_and_sees_the_two_linked_shapes(tmp_path: Path) -> None:
    saved = parts(recalc(new_lite(tmp_path / "plan.xlsx"), tmp_path / "lo"))
    drawings = [n for n in saved if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)
                and b"Retrosheet" in saved[n]]
    assert len(drawings) == 1
    names = set(re.findall(rb'name="(Retrosheet\w+)"', saved[drawings[0]]))
    assert names == {b"RetrosheetRecompute", b"RetrosheetReport"}
    links = saved[drawings[0].replace("drawings/", "drawings/_rels/") + ".rels"]
    assert b'Target="#Planning!$C$1"' in links and b'Target="#Planning!$D$1"' in links


# ---- main.py's scripts on the double, against the command line --------------------------

def book_of(path: Path) -> lite_double.Book:
    """What xlwings Lite gives a script for this workbook: its values (never formulas),
    dates as datetimes, and its tables."""
    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    tables = {ws.title: dict(ws.tables.items()) for ws in wb}
    return lite_double.Book(path.name, sheets, tables)


def load_main(code: str) -> types.ModuleType:
    """main.py imported as xlwings Lite imports it, `xlwings` being the double."""
    module = types.ModuleType("main")
    saved = sys.modules.get("xlwings")
    sys.modules["xlwings"] = lite_double
    try:
        exec(compile(code, "main.py", "exec"), module.__dict__)
    finally:
        if saved is not None:
            sys.modules["xlwings"] = saved
        else:
            del sys.modules["xlwings"]
    return module


def click(module: types.ModuleType, name: str, book: lite_double.Book,
          today: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    """A click on a button: the script main.py binds to that shape, on this day."""
    from retrosheet import excel, xlwings_lite

    monkeypatch.setattr(xlwings_lite, "_recompute",
                        lambda b, today=None: excel.recompute(b, today=day))
    monkeypatch.setattr(xlwings_lite, "_report",
                        lambda b, today=None: excel.report(b, today=day))
    day = today
    [script] = [s for s in lite_double.SCRIPTS.values()
                if s.get("button", "").startswith(f"[{name}]")
                and s["function"].__module__ == module.__name__]
    script["function"](book)


def cli_cells(path: Path, sheet: str, cols: int | None = None) -> dict[str, Any]:
    """The command line's result as the double dumps it: cell → formula or value."""
    ws = openpyxl.load_workbook(path)[sheet]
    out: dict[str, Any] = {}
    for row in ws.iter_rows(max_col=cols or ws.max_column):
        for cell in row:
            v = cell.value
            if isinstance(v, str) and v.startswith("="):
                out[cell.coordinate] = {"formula": v}
            elif v is not None and v != "":
                out[cell.coordinate] = {"value": norm(v)}
    return out


def double_cells(dump: dict[str, Any], sheet: str, cols: int | None = None) -> dict[str, Any]:
    out = {}
    for ref, cell in dump["sheets"][sheet].items():
        col = re.match(r"[A-Z]+", ref)
        assert col
        width = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(col.group())))
        if cols is not None and width > cols:
            continue
        if "formula" in cell:
            out[ref] = {"formula": cell["formula"]}
        elif "value" in cell:
            out[ref] = {"value": norm(cell["value"])}
    return out


def compare(cli: Path, dump: dict[str, Any], lang: str = "fr") -> None:
    """The double holds what the command line wrote: Planning's table (formulas, values,
    new follow-up rows), Contacts, the Report sheet and History."""
    names = ("Planning", "Contacts", "Rapport", "Historique") if lang == "fr" else \
        ("Planning", "Contacts", "Report", "History")
    planning, contacts, report, history = names
    want = cli_cells(cli, planning, TABLE_COLS)
    got = double_cells(dump, planning, TABLE_COLS)
    assert {k: v for k, v in got.items() if "formula" in v} == \
        {k: v for k, v in want.items() if "formula" in v}
    assert {k: v for k, v in got.items() if "value" in v} == \
        {k: v for k, v in want.items() if "value" in v}
    for sheet in (contacts, report, history):
        assert double_cells(dump, sheet) == {
            k: v for k, v in cli_cells(cli, sheet).items() if "value" in v}, sheet


@pytest.fixture
def twins(tmp_path: Path) -> tuple[Path, Path]:
    a = run_new_plain(tmp_path / "cli.xlsx")
    edit_like_a_team(a)
    b = tmp_path / "lite.xlsx"
    shutil.copyfile(a, b)
    return a, readd(b, tmp_path)


def by_cli(path: Path) -> str:
    code, out = run("recompute", path, "--today", TODAY.isoformat())
    assert code == 0, out
    code, rep = run("report", path, "--write-sheet", "--as-of", AS_OF.isoformat())
    assert code == 0, rep
    return out


def test_the_scripts_write_what_the_command_line_writes(
        twins: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    cli, lite = twins
    by_cli(cli)
    code = str(properties(parts(lite)[WEBEXTENSION])["main.py"])
    module = load_main(code)
    book = book_of(lite)
    click(module, "RetrosheetRecompute", book, TODAY, monkeypatch)
    click(module, "RetrosheetReport", book, AS_OF, monkeypatch)
    dump = book.dump()
    compare(cli, dump)

    # The table grew with the two follow-ups; the user was told what Lite cannot extend.
    assert dump["tables"]["Planning"]["tblPlanning"] == "A1:T55"
    [alert] = dump["alerts"]
    assert alert["mode"] == "info" and "conditional formats" in alert["prompt"]
    assert dump["active"] == "Rapport"
    # The dates written back are formulas (reads gave values), the Report's dates dates.
    assert dump["sheets"]["Planning"]["K55"]["formula"].startswith("=WORKDAY(")
    assert dump["sheets"]["Rapport"]["B2"] == {"value": dt.datetime(2027, 4, 29),
                                               "number_format": "dd/mm/yyyy"}
    assert dump["sheets"]["Rapport"]["A1"]["font_bold"] is True


def test_a_plan_error_is_a_dialog_and_nothing_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = new_lite(tmp_path / "plan.xlsx")
    code = str(properties(parts(path)[WEBEXTENSION])["main.py"])
    book = book_of(path)
    planning = book.sheets["Planning"]
    row = next(r for r in range(2, 60) if planning.range((r, 1)).value == "T060")
    planning._cells[(row, 6)] = "T999"  # as if typed in Excel
    click(load_main(code), "RetrosheetRecompute", book, TODAY, monkeypatch)
    [alert] = book.app.alerts
    assert alert["mode"] == "critical" and "T999" in alert["prompt"]
    assert "Planning!F" in alert["prompt"] and "Recalculer" in str(alert["title"])
    assert not [x for x in book.log if x[0] in ("write", "clear", "add_sheet", "resize")]


def test_the_dependencies_skip_the_file_backends_in_pyodide() -> None:
    import tomllib

    from packaging.requirements import Requirement

    pyodide = {"sys_platform": "emscripten", "platform_system": "Emscripten",
               "platform_machine": "wasm32", "python_version": "3.12"}
    linux = {"sys_platform": "linux", "platform_system": "Linux", "python_version": "3.11"}
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    core = [Requirement(r) for r in project["project"]["dependencies"]]

    def names(env: dict[str, str]) -> set[str]:
        return {r.name.lower() for r in core if r.marker is None or r.marker.evaluate(env)}

    assert {"lxml", "python-calamine"} <= names(linux)
    assert names(pyodide) == {"click", "holidays", "openpyxl", "xlsxwriter"}


def test_a_sheet_is_read_whole_without_a_used_range() -> None:
    """xlwings Lite has no used range: blocks of rows until an empty one, columns doubled
    while the right half of what was read holds something (a week strip 150 wide)."""
    from retrosheet.xlwings_lite import BLOCK_ROWS, LiteBook

    rows: list[list[Any]] = [[None] * 150 for _ in range(BLOCK_ROWS + 30)]
    rows[0] = [f"week {i}" for i in range(150)]
    rows[0][149] = "far right"
    rows[BLOCK_ROWS + 29][3] = dt.datetime(2027, 5, 14)  # in the second block
    rows[7][0] = ""  # an empty string reads as empty
    book = LiteBook(lite_double.Book("b.xlsx", {"S": rows}))
    got = book.values("S")
    assert len(got) == BLOCK_ROWS + 30 and all(len(r) == 150 for r in got)
    assert got[0][149] == "far right" and got[-1][3] == dt.datetime(2027, 5, 14)
    assert got[7][0] is None
    assert book.formulas("S")[0] == [""] * 150
    assert LiteBook(lite_double.Book("e.xlsx", {"E": []})).values("E") == []
