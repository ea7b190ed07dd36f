"""The VBA side of the Excel buttons: the module our buttons call, and the VBA project of
the installed xlwings' standalone quickstart with that module in it (see xlsx/macro.py
for how a workbook gets them)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from ..errors import WorkbookError, msg

# ---- what the buttons run ---------------------------------------------------------------

MODULE = "Retrosheet"  # our VBA module


class EntryPoint(NamedTuple):
    sub: str  # the VBA Sub a button calls
    call: str  # the Python RunPython runs


ENTRY_POINTS: Mapping[str, EntryPoint] = {
    "recompute": EntryPoint("RetrosheetRecompute",
                            "import retrosheet.excel; retrosheet.excel.recompute()"),
    "report": EntryPoint("RetrosheetReport",
                         "import retrosheet.excel; retrosheet.excel.report()"),
}
XLWINGS_MODULES = ("xlwings", "Dictionary")  # what the standalone project brings
XLWINGS_TEMPLATE = "quickstart_standalone.xlsm"
_XLWINGS_VERSION_CONST = re.compile(r'XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"')

def needs(what: str) -> WorkbookError:
    return WorkbookError(msg("err.surface.xl.needs", what=what))


def xlwings_template() -> Path:
    """The installed xlwings' standalone workbook (found without importing xlwings, whose
    import is slow and opens nothing useful here)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise needs("xlwings")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / XLWINGS_TEMPLATE
        if path.exists():
            return path
    raise WorkbookError(msg("err.surface.xl.no_template", template=XLWINGS_TEMPLATE))


def installed_xlwings() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xlwings")
    except PackageNotFoundError:
        raise needs("xlwings") from None


def vba_xlwings_version(xlwings_source: str) -> str | None:
    """The XLWINGS_VERSION constant of an xlwings VBA module."""
    m = _XLWINGS_VERSION_CONST.search(xlwings_source)
    return m.group(1) if m else None


def module_source(xlwings_version: str) -> str:
    """Our VBA module, as text (VBA wants CRLF line ends)."""
    from .. import __version__

    what = {"recompute": "Recalculer / Recompute: dates, follow-ups, contacts",
            "report": "Rapport / Report: the Report sheet, one more run in History"}
    subs = "".join(
        f"\nSub {sub}()\n    ' {what[entry]}\n    RunPython \"{call}\"\nEnd Sub\n"
        for entry, (sub, call) in ENTRY_POINTS.items())
    text = (
        f'Attribute VB_Name = "{MODULE}"\n'
        f"' retrosheet {__version__}: the buttons on Planning run these Subs.\n"
        f"' Written for xlwings {xlwings_version} (the xlwings module beside this one):\n"
        f"' the Python that runs them needs  pip install \"retrosheet[excel]\" "
        f"xlwings=={xlwings_version}\n"
        "Option Explicit\n"
        f'Public Const RETROSHEET_XLWINGS As String = "{xlwings_version}"\n'
        + subs)
    return text.replace("\n", "\r\n")


def has_code(source: str) -> bool:
    return any(line.strip() and not line.startswith("Attribute VB_")
               for line in source.splitlines())


_BOOK_BASE = "00020819-0000-0000-C000-000000000046"  # VB_Base of a workbook's module
_SHEET_BASE = "00020820-0000-0000-C000-000000000046"  # … of a worksheet's


def vba_project(book_code: str, sheet_codes: Sequence[str]) -> bytes:
    """The vbaProject.bin for a workbook whose VBA code names are `book_code` and, for its
    worksheets in order, `sheet_codes`: the installed xlwings' standalone project, its
    document modules renamed to match, its sample module replaced by ours.

    The project brings a module for the workbook and two worksheets; the other sheets get
    their (empty) document module from Excel when it opens the workbook, as with
    XlsxWriter's add_vba_project.
    """
    try:
        from pyopenvba import ExcelFile  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise needs("pyopenvba") from None
    template = xlwings_template()
    installed = installed_xlwings()
    with tempfile.TemporaryDirectory(prefix="retrosheet-vba-") as tmp:
        base, out = Path(tmp) / "base.xlsm", Path(tmp) / "out.xlsm"
        shutil.copyfile(template, base)
        with ExcelFile(base) as wb:
            project = wb.vba_project()
            names = project.module_names()
            shipped = vba_xlwings_version(project.get_module("xlwings").source) \
                if "xlwings" in names else None
            if shipped != installed:
                raise WorkbookError(msg("err.surface.xl.vba_version", installed=installed,
                                        shipped=shipped))
            books, sheets = [], []
            for m in list(project.modules):
                header = m.attribute_header or ""
                if m.name in XLWINGS_MODULES:
                    continue
                if _BOOK_BASE in header:
                    books.append(m.name)
                elif _SHEET_BASE in header:
                    sheets.append(m.name)
                else:
                    project.delete_module(m.name)  # the quickstart's SampleCall
            for name in books:
                if name.casefold() != book_code.casefold():
                    project.rename_module(name, book_code)
            # A module keeps its name when a sheet has it; the others take free names.
            wanted = {c.casefold(): c for c in sheet_codes}
            free = [c for c in sheet_codes if c.casefold() not in
                    {n.casefold() for n in sheets}]
            for name in sheets:
                if name.casefold() in wanted:
                    continue
                if free:
                    project.rename_module(name, free.pop(0))
                else:
                    project.delete_module(name)
            project.add_module(MODULE, module_source(installed))
            wb.save(out)
        with zipfile.ZipFile(out) as z:
            return z.read("xl/vbaProject.bin")
