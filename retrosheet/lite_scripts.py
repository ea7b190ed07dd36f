"""What a workbook made for xlwings Lite carries: the `main.py` whose scripts the buttons
run (they call `retrosheet.xlwings_lite`), its requirements.txt, and the add-in and Pyodide
versions it records. Plain text and constants, shared by the .xlsx writer (`xlsx.lite`)
and the adapter (`xlwings_lite`) without either importing the other."""

from __future__ import annotations

from collections.abc import Mapping

from . import __version__

#: What public xlwings Lite workbooks record, which the format was matched against.
ADDIN_VERSION = "1.0.0.0-35"
PYODIDE_VERSION = "0.27.5"
#: The xlwings version xlwings Lite installs by default since add-in 1.0.0.0-24 (sheet buttons
#: need 0.33.14 or later); the add-in marks these requirement lines "# required".
XLWINGS_VERSION = "0.33.20"
REQUIRED = (f"xlwings=={XLWINGS_VERSION}", "python-dotenv==1.0.1", "pyodide-http", "black")

#: Button shape name and script name (fr, en) of each entry point.
SCRIPTS: Mapping[str, tuple[str, tuple[str, str]]] = {
    "recompute": ("RetrosheetRecompute", ("recalculer", "recompute")),
    "report": ("RetrosheetReport", ("rapport", "report")),
}
MAIN_MARK = "# retrosheet-xlwings-lite"  # first line of the main.py retrosheet writes


def main_py(buttons: Mapping[str, str], lang: str) -> str:
    """The workbook's main.py: one `@script` per button, bound to its shape and cell
    (`buttons`: entry point → "Sheet!A1")."""
    k = 0 if lang == "fr" else 1
    head = (
        f"{MAIN_MARK} {__version__}\n"
        '"""Recalculer / Rapport (Recompute / Report): retrosheet\'s buttons on Planning.\n\n'
        "Written by `retrosheet new --xlwings-lite`; requirements.txt installs retrosheet.\n"
        "Each button is a shape whose link selects the cell named in `button`; xlwings Lite\n"
        "then runs the script. Same code as `retrosheet recompute` and\n"
        '`retrosheet report --write-sheet`."""\n\n'
        "import xlwings as xw\n"
        "from xlwings import script\n\n"
        "from retrosheet import xlwings_lite\n"
    )
    parts = [head]
    for entry, cell in buttons.items():
        shape, names = SCRIPTS[entry]
        parts.append(
            f'\n\n@script(button="[{shape}]{cell}", show_taskpane=True)\n'
            f"def {names[k]}(book: xw.Book):\n"
            f"    xlwings_lite.{entry}(book)\n")
    return "".join(parts)


def requirements_txt(requirement: str | None = None) -> str:
    """requirements.txt: the add-in's own lines, then retrosheet (this version from PyPI
    unless `requirement` says otherwise, e.g. the URL of a wheel a team hosts)."""
    lines = [f"{r}  # required" for r in REQUIRED]
    lines.append(requirement or f"retrosheet=={__version__}")
    return "\n".join(lines) + "\n"
