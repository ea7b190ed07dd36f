"""`new --macro`: the .xlsm's VBA project, buttons and package, checked without Excel.

What a click in real Excel does cannot be checked here (docs/excel.md says so); what can
be is: a strict OLE parse of vbaProject.bin, olevba's view of its modules, every button
bound to a Sub that exists, the xlwings VBA of the installed xlwings, every other part of
the workbook as it was, and all of it still true after `recompute` and `report --write-sheet`.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import olefile
import pytest
from click.testing import CliRunner
from clirun import made_file
from conftest import SINGLE
from oletools.olevba import VBA_Parser

from retrosheet import layout as L
from retrosheet.cli import cli
from retrosheet.xlsx.macro import (
    CT_BOOK_MACRO,
    ENTRY_POINTS,
    MODULE,
    REL_VBA,
    vba_xlwings_version,
    vml_macros,
)
from retrosheet.xlsx.package import Package

RELEASE = "2027-05-14"
TODAY = "2027-03-01"
REL_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"


def run(*args: str | Path) -> tuple[int, str]:
    r = CliRunner().invoke(cli, [str(a) for a in args])
    return r.exit_code, r.output


def new(path: Path, *extra: str) -> Path:
    return made_file(path, SINGLE, "--release", RELEASE, "--today", TODAY, "--title",
                     "Nuit blanche", *extra)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


# ---- reading an .xlsm's macros the way the checks need ---------------------------------

_SUB = re.compile(r"^[ \t]*(Public[ \t]+|Private[ \t]+)?Sub[ \t]+(\w+)[ \t]*\((.*?)"
                  r"^[ \t]*End[ \t]+Sub", re.MULTILINE | re.DOTALL | re.IGNORECASE)


@dataclass
class Facts:
    modules: dict[str, str]  # module name → VBA source (olevba)
    streams: list[str]  # OLE streams of vbaProject.bin
    project: str  # the PROJECT stream's text
    subs: dict[str, dict[str, str]]  # module → public Sub → body
    buttons: list[tuple[str, str]]  # (caption, macro) of each button on Planning
    other_macros: list[str]  # macros of form controls anywhere else (ctrlProps, other VML)
    code_names: list[str]  # the workbook's, then each sheet's
    content_type: str
    vba_rel: bool


def macro_facts(path: Path) -> Facts:
    files = parts(path)
    data = files["xl/vbaProject.bin"]
    assert olefile.isOleFile(data)
    # Strict: any defect olefile can see (even a minor one) raises.
    with olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT) as ole:
        streams = ["/".join(s) for s in ole.listdir()]
        project = ole.openstream("PROJECT").read().decode("latin-1")
    vp = VBA_Parser(path.name, data=path.read_bytes())
    try:
        assert vp.detect_vba_macros()
        modules = {stream.split("/")[-1]: code
                   for _, stream, _, code in vp.extract_all_macros()}
    finally:
        vp.close()
    subs = {m: {name: body for scope, name, body in _SUB.findall(code)
                if not scope.lower().startswith("private")}
            for m, code in modules.items()}

    pkg = Package(path)
    planning = pkg.sheets["Planning"] if "Planning" in pkg.sheets else next(
        p for n, p in pkg.sheets.items() if n.lower() == "planning")
    buttons: list[tuple[str, str]] = []
    vml_parts = []
    for kind, target in pkg.rels(planning).values():
        if kind == REL_VML:
            vml = pkg.read(target)
            vml_parts.append(target)
            captions = re.findall(r"<font\b[^>]*>([^<]*)</font>", vml.decode("utf-8"))
            buttons += list(zip(captions, vml_macros(vml), strict=True))
    other = []
    for name, body in files.items():
        if name.endswith(".vml") and name not in vml_parts:
            other += vml_macros(body)
        if name.startswith("xl/ctrlProps/"):
            other += [m.split("!")[-1] for m in
                      re.findall(r'fmlaMacro="([^"]*)"', body.decode("utf-8"))]
    wb = files["xl/workbook.xml"].decode("utf-8")
    book_code = re.search(r'<workbookPr\b[^>]*codeName="([^"]*)"', wb)
    codes = [book_code.group(1) if book_code else ""]
    for part in pkg.sheets.values():
        m = re.search(rb'<sheetPr\b[^>]*codeName="([^"]*)"', files[part])
        codes.append(m.group(1).decode() if m else "")
    ct = files["[Content_Types].xml"].decode("utf-8")
    book_ct = re.search(r'PartName="/xl/workbook.xml" ContentType="([^"]*)"', ct)
    rels = files["xl/_rels/workbook.xml.rels"].decode("utf-8")
    return Facts(modules, streams, project, subs, buttons, other, codes,
                 book_ct.group(1) if book_ct else "",
                 f'Type="{REL_VBA}" Target="vbaProject.bin"' in rels)


def check_structure(path: Path, lang: str = "fr") -> Facts:
    """Every structural fact the issue names, asserted; returns what was read."""
    f = macro_facts(path)
    # The package: macro-enabled workbook, the project related from it.
    assert f.content_type == CT_BOOK_MACRO
    assert f.vba_rel
    # OLE streams: the project, its dir, the xlwings module and ours.
    for stream in ("PROJECT", "VBA/dir", "VBA/_VBA_PROJECT", "VBA/xlwings", "VBA/Dictionary",
                   f"VBA/{MODULE}"):
        assert stream in f.streams
    # olevba lists the xlwings module and ours; ours calls the entry points.
    assert {"xlwings", "Dictionary", MODULE} <= set(f.modules)
    assert "Function RunPython(" in f.modules["xlwings"]
    ours = f.subs[MODULE]
    for sub, call in ENTRY_POINTS.values():
        assert f'RunPython "{call}"' in ours[sub]
    assert 'RunPython "import retrosheet.excel; retrosheet.excel.recompute()"' in \
        ours["RetrosheetRecompute"]
    assert 'RunPython "import retrosheet.excel; retrosheet.excel.report()"' in \
        ours["RetrosheetReport"]
    # The xlwings VBA is the installed xlwings' version.
    assert vba_xlwings_version(f.modules["xlwings"]) == version("xlwings")
    assert f'RETROSHEET_XLWINGS As String = "{version("xlwings")}"' in f.modules[MODULE]
    # Every button's macro names a Sub that exists (a public Sub of a standard module).
    standard = {s for m, subs in f.subs.items() if f"Module={m}" in f.project for s in subs}
    captions = (["Recalculer", "Rapport"] if lang == "fr" else ["Recompute", "Report"])
    assert [c for c, _ in f.buttons] == captions
    assert [m for _, m in f.buttons] == [sub for sub, _ in ENTRY_POINTS.values()]
    for _, macro in f.buttons:
        assert macro in standard, (macro, standard)
    for macro in f.other_macros:
        assert macro in standard
    # Document modules: the workbook's and the sheets' code names, declared as documents.
    assert all(f.code_names), f.code_names
    assert f.code_names[0] == "ThisWorkbook"
    for code in f.code_names[:3]:
        assert f"Document={code}/" in f.project
    return f


# ---- the tests --------------------------------------------------------------------------

def test_new_macro_writes_an_xlsm_with_buttons_bound_to_our_macros(tmp_path: Path) -> None:
    path = new(tmp_path / "plan.xlsm", "--macro")
    f = check_structure(path)
    assert f.code_names == ["ThisWorkbook", *(f"Sheet{i}" for i in range(1, 7))]
    # Nothing else in the project: the quickstart's sample module is gone.
    assert set(f.modules) == {"ThisWorkbook", "Sheet1", "Sheet2", "xlwings", "Dictionary",
                              MODULE}
    assert "SampleCall" not in "".join(f.modules.values())


def test_english_buttons(tmp_path: Path) -> None:
    check_structure(new(tmp_path / "plan.xlsm", "--macro", "--lang", "en"), "en")


def _without_macro_edits(data: bytes) -> bytes:
    """A sheet or workbook part with what add_macros adds taken out."""
    data = re.sub(rb'<sheetPr codeName="[^"]*"/>', b"", data)
    data = re.sub(rb' codeName="[^"]*"', b"", data)
    return re.sub(rb'<legacyDrawing r:id="[^"]*"/>', b"", data)


def test_every_other_part_is_the_plain_plans(tmp_path: Path) -> None:
    plain = parts(new(tmp_path / "plan.xlsx"))
    macro = parts(new(tmp_path / "plan.xlsm", "--macro"))
    assert list(macro)[: len(plain)] == list(plain)  # same parts, same order, then ours
    new_parts = set(macro) - set(plain)
    assert new_parts == {"xl/vbaProject.bin", "xl/drawings/vmlDrawing3.vml"}
    changed = {n for n in plain if plain[n] != macro[n]} - {"docProps/core.xml"}
    sheets = {f"xl/worksheets/sheet{i}.xml" for i in range(1, 7)}
    assert changed == sheets | {"xl/workbook.xml", "[Content_Types].xml",
                                "xl/_rels/workbook.xml.rels",
                                "xl/worksheets/_rels/sheet1.xml.rels"}
    for part in sheets:
        assert _without_macro_edits(macro[part]) == _without_macro_edits(plain[part])
    assert _without_macro_edits(macro["xl/workbook.xml"]) == \
        _without_macro_edits(plain["xl/workbook.xml"])
    # The Planning rows (values, formulas, cached dates) are the plain plan's, byte for byte.
    rows = re.compile(rb"<sheetData>.*</sheetData>", re.DOTALL)
    p1 = rows.search(plain["xl/worksheets/sheet1.xml"])
    p2 = rows.search(macro["xl/worksheets/sheet1.xml"])
    assert p1 and p2 and p1.group(0) == p2.group(0)


def test_buttons_sit_on_the_planning_header_row(tmp_path: Path) -> None:
    path = new(tmp_path / "plan.xlsm", "--macro")
    vml = parts(path)["xl/drawings/vmlDrawing3.vml"].decode("utf-8")
    anchors = [[int(x) for x in a.split(",")]
               for a in re.findall(r"<x:Anchor>([^<]*)</x:Anchor>", vml)]
    assert len(anchors) == 2
    for c1, dx1, r1, dy1, c2, dx2, r2, dy2 in anchors:
        assert (c1, r1, c2, r2) == (3, 0, 3, 0)  # inside D1: Action's header, frozen pane
        assert 0 < dx1 < dx2 and 0 <= dy1 < dy2 <= 40
        # the table's filter arrow at the cell's right stays free
        assert dx2 <= round(L.WIDTHS["action"] * 7 + 5) - 24
    assert anchors[0][5] < anchors[1][1]  # side by side


def test_macro_file_must_be_xlsm(tmp_path: Path) -> None:
    code, out = run("new", SINGLE, "--release", RELEASE, "-o", tmp_path / "p.xlsx",
                    "--macro")
    assert code == 2 and "xlsm" in out
    assert not (tmp_path / "p.xlsx").exists()


def test_default_name_is_xlsm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run("new", SINGLE, "--release", RELEASE, "--macro")
    assert code == 0, out
    check_structure(tmp_path / f"single-{RELEASE}.xlsm")


def test_recompute_keeps_the_macros_and_buttons(tmp_path: Path) -> None:
    import openpyxl

    path = new(tmp_path / "plan.xlsm", "--macro")
    before = parts(path)
    # The release moves and a task gets a follow-up rule: dates change, a row is added.
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb["Paramètres"]["B3"].value = wb["Paramètres"]["B3"].value.replace(day=28)
    ws = wb["Planning"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "T010")
    ws.cell(row, 13).value = "+7"
    wb.save(path)
    code, out = run("recompute", path, "--today", TODAY)
    assert code == 0 and "R010-1" in out, out
    check_structure(path)
    after = parts(path)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    code, out = run("report", path, "--write-sheet", "--as-of", "2027-04-29")
    assert code == 0, out
    check_structure(path)
    assert parts(path)["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]


def test_recompute_leaves_every_macro_part_byte_for_byte(tmp_path: Path) -> None:
    path = new(tmp_path / "plan.xlsm", "--macro")
    before = parts(path)
    # A hand-typed date over a formula: recompute puts the formula back.
    text = before["xl/worksheets/sheet1.xml"].decode("utf-8")
    m = re.search(r'<c r="K2" s="(\d+)"><f>[^<]*</f><v>(\d+)</v></c>', text)
    assert m, "K2 holds a formula with a cached date"
    typed = text.replace(m.group(0), f'<c r="K2" s="{m.group(1)}"><v>{m.group(2)}</v></c>')
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp_path / "typed.xlsm", "w") as zout:
        for info in zin.infolist():
            data = typed.encode() if info.filename == "xl/worksheets/sheet1.xml" \
                else zin.read(info)
            zout.writestr(info, data)
    shutil.move(tmp_path / "typed.xlsm", path)
    code, out = run("recompute", path, "--today", TODAY)
    assert code == 0 and "1 cellule" in out, out
    # Only the typed cell changed, and it is back as it was: every part, VBA and buttons
    # included, is byte for byte the one `new --macro` wrote.
    assert parts(path) == before
    check_structure(path)


def test_from_past_xlsx_becomes_an_xlsm_with_buttons(tmp_path: Path) -> None:
    past = new(tmp_path / "past.xlsx")
    plain = tmp_path / "plain.xlsx"
    code, out = run("new", "--from", past, "--release", "2028-05-12", "-o", plain)
    assert code == 0, out
    path = tmp_path / "next.xlsm"
    code, out = run("new", "--from", past, "--release", "2028-05-12", "-o", path, "--macro")
    assert code == 0, out
    assert "next.xlsm" in out
    check_structure(path)
    a, b = parts(plain), parts(path)
    assert set(b) - set(a) == {"xl/vbaProject.bin", "xl/drawings/vmlDrawing3.vml"}
    # The re-anchored content is the same as without --macro.
    for part in a:
        if part.startswith("xl/worksheets/sheet"):
            assert _without_macro_edits(a[part]) == _without_macro_edits(b[part]), part
    from python_calamine import CalamineWorkbook

    for sheet in ("Planning", "Paramètres", "Contacts"):
        rows_a = CalamineWorkbook.from_path(str(plain)).get_sheet_by_name(sheet).to_python()
        rows_b = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
        assert rows_a == rows_b


def test_from_our_xlsm_keeps_working_buttons(tmp_path: Path) -> None:
    past = new(tmp_path / "past.xlsm", "--macro")
    path = tmp_path / "next.xlsm"
    code, out = run("new", "--from", past, "--release", "2028-05-12", "-o", path, "--macro")
    assert code == 0, out
    f = check_structure(path)
    assert len(f.buttons) == 2  # not doubled
    # Without --macro, a past .xlsm stays an .xlsm with its project as it was.
    again = tmp_path / "again.xlsm"
    code, out = run("new", "--from", past, "--release", "2028-05-12", "-o", again)
    assert code == 0, out
    assert parts(again)["xl/vbaProject.bin"] == parts(past)["xl/vbaProject.bin"]


def test_from_past_with_macros_of_its_own_is_refused(tmp_path: Path) -> None:
    from pyopenvba import ExcelFile  # type: ignore[import-untyped, unused-ignore]

    past = new(tmp_path / "past.xlsm", "--macro")
    with ExcelFile(past) as wb:
        wb.vba_project().add_module("Mine", 'Sub Hello()\r\n    MsgBox "hi"\r\nEnd Sub\r\n')
        wb.save(tmp_path / "mine.xlsm")
    path = tmp_path / "next.xlsm"
    code, out = run("new", "--from", tmp_path / "mine.xlsm", "--release", "2028-05-12", "-o",
                    path, "--macro")
    assert code == 2
    assert "macros of its own" in out and "Traceback" not in out
    assert not path.exists()


def test_existing_comments_on_planning_get_the_buttons_beside_them(tmp_path: Path) -> None:
    """A past plan whose Planning already has a VML drawing (comments) keeps it and gets
    the buttons in it, with shape ids of their own."""
    import openpyxl
    from openpyxl.comments import Comment

    past = new(tmp_path / "past.xlsx")
    wb = openpyxl.load_workbook(past)
    wb["Planning"]["A2"].comment = Comment("première tâche", "Léa")
    wb.save(past)
    path = tmp_path / "next.xlsm"
    code, out = run("new", "--from", past, "--release", "2028-05-12", "-o", path, "--macro")
    assert code == 0, out
    check_structure(path)
    pkg = Package(path)
    vml = [pkg.read(t) for k, t in pkg.rels(pkg.sheets["Planning"]).values() if k == REL_VML]
    assert len(vml) == 1
    text = vml[0].decode("utf-8")
    assert 'ObjectType="Note"' in text and text.count('ObjectType="Button"') == 2
    ids = re.findall(r'<(?:\w+:)?shape\b[^>]* id="_x0000_s(\d+)"', text)
    assert len(ids) == len(set(ids)) == 3


def test_the_vba_of_a_plan_in_use_can_be_refreshed(tmp_path: Path) -> None:
    """A plan whose VBA came from another xlwings gets the installed one's, its content
    (statuses, results) untouched: docs/excel.md's fix for a version mismatch."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    from retrosheet.xlsx.macro import add_macros

    path = new(tmp_path / "plan.xlsm", "--macro")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb["Planning"]["L2"].value = "Fait"
    wb.save(path)
    refreshed = tmp_path / "plan-vba.xlsm"
    done = add_macros(path, refreshed)
    assert done.refreshed and done.xlwings == version("xlwings")
    f = check_structure(refreshed)
    assert len(f.buttons) == 2
    a, b = parts(path), parts(refreshed)
    assert [n for n in a if a[n] != b.get(n)] == []  # same project bytes: same xlwings
    rows = CalamineWorkbook.from_path(str(refreshed)).get_sheet_by_name("Planning").to_python()
    assert rows[1][11] == "Fait"


def test_without_xlwings_the_message_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "xlwings" else real(name, *a))
    path = tmp_path / "plan.xlsm"
    code, out = run("new", SINGLE, "--release", RELEASE, "-o", path, "--macro")
    assert code == 2
    assert 'pip install "retrosheet[excel]"' in out and "Traceback" not in out
    assert not path.exists()


def test_code_names_of_a_past_plan_are_kept_and_matched(tmp_path: Path) -> None:
    """A past .xlsm whose sheets were reordered and whose Planning has a code name of its
    own (French Excel says Feuil1): the project's document modules take those names."""
    from libreoffice import sheet_first

    made = new(tmp_path / "made.xlsm", "--macro")
    past = sheet_first(made, tmp_path / "past.xlsm", "Contacts")
    with zipfile.ZipFile(past) as zin, zipfile.ZipFile(tmp_path / "p2.xlsm", "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":  # Planning
                data = data.replace(b'codeName="Sheet1"', b'codeName="Feuil1"')
            zout.writestr(info, data)
    path = tmp_path / "next.xlsm"
    code, out = run("new", "--from", tmp_path / "p2.xlsm", "--release", "2028-05-12", "-o",
                    path, "--macro")
    assert code == 0, out
    f = check_structure(path)
    assert f.code_names[:3] == ["ThisWorkbook", "Sheet2", "Feuil1"]
    assert "Document=Sheet1/" not in f.project
