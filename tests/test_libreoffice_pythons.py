"""The extension's code on the Pythons that LibreOffice bundles on Windows and macOS.

LibreOffice 25.8 bundles Python 3.11, 26.2 Python 3.12, 26.8 Python 3.13 (docs/
libreoffice.md has the table). Each interpreter found here runs the buttons' work with
nothing on sys.path but the standard library and the .oxt's python/pythonpath
(`-I -S`), on the same plan, and must say what the command line's Python says. The
older ones (3.8–3.10: LibreOffice 24.2–25.2) must at least compile the component and the
modules it imports first, so that such an office tells the user it is too old.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SINGLE
from test_excel_entry import edit_like_a_team, run

from retrosheet.libreoffice.oxt import COMPONENT, PYTHONPATH

HERE = Path(__file__).parent
# Builds the extension and runs an interpreter per LibreOffice version.
pytestmark = pytest.mark.slow

BUNDLED = {"25.8": "3.11", "26.2": "3.12", "26.8": "3.13"}
TOO_OLD = {"24.2": "3.8", "24.8": "3.9", "25.2": "3.10"}
FIRST_LOADED = ("retrosheet/__init__.py", "retrosheet/libreoffice/__init__.py",
                "retrosheet/libreoffice/names.py", "retrosheet/libreoffice/infobar.py")


def interpreter(version: str) -> str:
    """A Python X.Y on PATH, or installed by pyenv (whose shims run only the selected one)."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = [shutil.which(f"python{version}"),
             *map(str, sorted(pyenv.glob(f"{version}.*/bin/python{version}")))]
    for exe in filter(None, found):
        said = subprocess.run([exe, "-c", "import sys; print(*sys.version_info[:2], sep='.')"],
                              capture_output=True, text=True)
        if said.returncode == 0 and said.stdout.strip() == version:
            return exe
    pytest.skip(f"no Python {version} on this machine")


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .oxt, built by the command line and unzipped."""
    d = tmp_path_factory.mktemp("oxt")
    code, out = run("libreoffice-extension", "-o", d / "retrosheet.oxt")
    assert code == 0, out
    with zipfile.ZipFile(d / "retrosheet.oxt") as z:
        z.extractall(d / "x")
    return d / "x"


def _cell(v: Any) -> Any:
    return {"date": v.date().isoformat()} if hasattr(v, "date") else v


@pytest.fixture(scope="module")
def plan_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A plan as the buttons read it: every sheet's values and formulas."""
    d = tmp_path_factory.mktemp("plan")
    path = d / "plan.xlsx"
    code, out = run("new", SINGLE, "--release", "2027-05-14", "-o", path,
                    "--today", "2027-03-01", "--title", "Nuit blanche")
    assert code == 0, out
    values = openpyxl.load_workbook(path, data_only=True)  # the values `new` cached
    edit_like_a_team(path)  # `+7 x2` on T130, contacts, results
    edited, cached = openpyxl.load_workbook(path), values
    sheets = {}
    for ws in edited.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        shown = list(cached[ws.title].iter_rows(values_only=True))
        sheets[ws.title] = {
            "formulas": [[v if isinstance(v, str) and v.startswith("=") else ""
                          for v in r] for r in rows],
            "values": [[_cell(shown[i][j] if isinstance(v, str) and v.startswith("=")
                              and i < len(shown) and j < len(shown[i]) else v)
                        for j, v in enumerate(r)] for i, r in enumerate(rows)]}
    out_file = d / "plan.json"
    out_file.write_text(json.dumps({"today": "2027-03-01", "sheets": sheets}, default=str),
                        encoding="utf-8")
    return out_file


def clicks(python: str, unpacked: Path, plan_json: Path) -> dict[str, Any]:
    done = subprocess.run([python, "-I", "-S", str(HERE / "grid_book.py"),
                           str(unpacked / PYTHONPATH), str(plan_json)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    said: dict[str, Any] = json.loads(done.stdout)
    return said


@pytest.mark.parametrize("office", sorted(BUNDLED))
def test_the_buttons_run_on_the_python_libreoffice_bundles(
        office: str, unpacked: Path, plan_json: Path) -> None:
    python = interpreter(BUNDLED[office])
    said = clicks(python, unpacked, plan_json)
    assert said["python"] == BUNDLED[office]
    assert said["loaded"] == []  # nothing compiled came along
    (ok1, _, added), (ok2, again, _), (ok3, report, _) = said["outcomes"]
    assert ok1 and ok2 and ok3, said
    assert added == ["R130-1", "R130-2"] and "déjà à jour" in again
    assert "écrit sur Rapport" in report and said["history"]
    # The same as this Python (the command line's) says.
    assert said == {**clicks(sys.executable, unpacked, plan_json),
                    "python": said["python"]}


@pytest.mark.parametrize("office", sorted(TOO_OLD))
def test_an_older_libreoffice_can_load_the_component_to_say_so(
        office: str, unpacked: Path) -> None:
    python = interpreter(TOO_OLD[office])
    files = [unpacked / COMPONENT, *(unpacked / PYTHONPATH / f for f in FIRST_LOADED)]
    code = "import sys\nfor f in sys.argv[1:]: compile(open(f, encoding='utf-8').read(), f, 'exec')"
    done = subprocess.run([python, "-I", "-S", "-c", code, *map(str, files)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # and what it says names the versions it needs
    done = subprocess.run(
        [python, "-I", "-S", "-c",
         "import sys; sys.path.insert(0, sys.argv[1]); "
         "from retrosheet.libreoffice.names import MINIMUM_OFFICE, MINIMUM_PYTHON; "
         "print(MINIMUM_OFFICE, MINIMUM_PYTHON, sys.version_info[:2] < MINIMUM_PYTHON)",
         str(unpacked / PYTHONPATH)], capture_output=True, text=True)
    assert done.stdout.split() == ["25.8", "(3,", "11)", "True"], done.stderr
