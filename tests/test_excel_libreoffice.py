"""LibreOffice opens the .xlsm plans and sees the buttons bound to our macros.

LibreOffice imports the VBA project as Basic (library VBAProject) and each VML button as
a form control whose "execute action" event calls the macro. One headless run converts
every workbook of the test to flat ODS (.fods); a second recalculates the buttons'
workbook, to check that the formulas they wrote show the command line's dates.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from libreoffice import _convert, requires_soffice
from lxml import etree
from python_calamine import CalamineWorkbook
from test_excel_entry import by_buttons, by_cli, edit_like_a_team
from test_excel_macro import new, run

from retrosheet.xlsx.macro import ENTRY_POINTS, MODULE

pytestmark = [pytest.mark.libreoffice, requires_soffice]

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "form": "urn:oasis:names:tc:opendocument:xmlns:form:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "script": "urn:oasis:names:tc:opendocument:xmlns:script:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "ooo": "http://openoffice.org/2004/office",
    "xml": "http://www.w3.org/XML/1998/namespace",
}


def buttons_of(fods: Path) -> dict[str, list[tuple[str, str]]]:
    """Sheet → (label, macro URL) of each button LibreOffice placed on it."""
    root = etree.parse(str(fods), etree.XMLParser(huge_tree=True)).getroot()
    out: dict[str, list[tuple[str, str]]] = {}
    for sheet in root.iterfind(".//table:table", NS):
        name = sheet.get(f"{{{NS['table']}}}name", "")
        placed = {c.get(f"{{{NS['draw']}}}control")
                  for c in sheet.iterfind(".//draw:control", NS)}
        for button in sheet.iterfind(".//form:button", NS):
            if button.get(f"{{{NS['xml']}}}id") not in placed:
                continue
            urls = [e.get(f"{{{NS['xlink']}}}href", "")
                    for e in button.iterfind(".//script:event-listener", NS)
                    if e.get(f"{{{NS['script']}}}event-name") == "form:performaction"]
            out.setdefault(name, []).append((button.get(f"{{{NS['form']}}}label", ""),
                                             *urls))
    return out


def basic_modules(fods: Path) -> dict[str, str]:
    root = etree.parse(str(fods), etree.XMLParser(huge_tree=True)).getroot()
    out = {}
    for lib in root.iterfind(".//ooo:library-embedded", NS):
        if lib.get(f"{{{NS['ooo']}}}name") != "VBAProject":
            continue
        for m in lib.iterfind("ooo:module", NS):
            code = m.find("ooo:source-code", NS)
            out[m.get(f"{{{NS['ooo']}}}name", "")] = "" if code is None else code.text or ""
    return out


def expected(lang: str) -> list[tuple[str, str]]:
    captions = ["Recalculer", "Rapport"] if lang == "fr" else ["Recompute", "Report"]
    return [(c, f"vnd.sun.star.script:VBAProject.{MODULE}.{sub}?language=Basic"
                "&location=document")
            for c, (sub, _) in zip(captions, ENTRY_POINTS.values(), strict=True)]


def test_libreoffice_sees_buttons_bound_to_our_macros(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    fr = new(src / "plan-fr.xlsm", "--macro")
    en = new(src / "plan-en.xlsm", "--macro", "--lang", "en")
    past = new(src / "past.xlsx")
    reanchored = src / "reanchored.xlsm"
    code, out = run("new", "--from", past, "--release", "2028-05-12", "-o", reanchored,
                    "--macro")
    assert code == 0, out
    # The same edits, then the command line on one copy and the buttons on another.
    cli = src / "cli.xlsm"
    shutil.copyfile(fr, cli)
    edit_like_a_team(cli)
    button = src / "button.xlsm"
    shutil.copyfile(cli, button)
    by_cli(cli)
    by_buttons(button)

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    files = [fr, en, reanchored, cli, button]
    said = _convert(files, out_dir, "fods")
    for f in files:
        fods = out_dir / f"{f.stem}.fods"
        assert fods.exists() and fods.stat().st_size > 0, said
        sheets = buttons_of(fods)
        lang = "en" if f is en else "fr"
        assert sheets == {"Planning": expected(lang)}, f.name
        modules = basic_modules(fods)
        assert {"xlwings", "Dictionary", MODULE} <= set(modules)
        for _, call in ENTRY_POINTS.values():
            assert f'RunPython "{call}"' in modules[MODULE]
        assert "Function RunPython(" in modules["xlwings"]

    # What Excel shows after the buttons is what the command line computed: LibreOffice
    # recalculates the buttons' workbook (its formulas carry no cached values).
    _convert([button], out_dir, "xlsx:Calc MS Excel 2007 XML")
    recalculated = CalamineWorkbook.from_path(str(out_dir / "button.xlsx"))
    cached = CalamineWorkbook.from_path(str(cli))
    got = recalculated.get_sheet_by_name("Planning").to_python()
    want = cached.get_sheet_by_name("Planning").to_python()
    assert len(got) >= 55 and len(want) >= 55
    for r in range(1, 55):
        assert got[r][9:11] == want[r][9:11], (r, got[r][:11], want[r][:11])
