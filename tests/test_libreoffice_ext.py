"""The LibreOffice extension for real: built by the command line, installed as the README
says, its toolbar entries clicked in a headless Calc on an open plan, the document saved
and read back with openpyxl.

The .oxt is written as "retrosheet (1).oxt" (what a browser calls a second download) and
installed shared when the tests run as root (CI), for the user otherwise: the buttons
must work either way. The clicks happen in LibreOffice's own Python (uno_driver.py run by
/usr/bin/python3, the interpreter Debian's LibreOffice embeds), which dispatches the URL
read from the installed Addons configuration on the document's frame, as a click does.
A copy of the same plan goes through `retrosheet recompute` + `report --write-sheet`:
the two must agree cell for cell.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SINGLE
from libreoffice import _XCU, requires_soffice, shared_lock
from lxml import etree
from test_excel_entry import edit_like_a_team, norm, run

from retrosheet.libreoffice.names import COMMANDS, IDENTIFIER, PROTOCOL
from retrosheet.libreoffice.oxt import COMPONENT, PYTHONPATH
from retrosheet.say import caption
from retrosheet.words import langs

pytestmark = [pytest.mark.libreoffice, requires_soffice]

HERE = Path(__file__).parent
SYSTEM_PYTHON = "/usr/bin/python3"  # the Python of Debian's LibreOffice
TIMEOUT = 600


def _ready_for_python_macros() -> str | None:
    """Why LibreOffice here cannot run a Python extension, or None."""
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0:
        return "python3-uno is not installed"
    if shutil.which("unopkg") is None:
        return "unopkg is not on PATH"
    soffice = Path(str(shutil.which("soffice"))).resolve()
    if not (soffice.parent / "pythonloader.py").exists():
        return "libreoffice-script-provider-python is not installed"
    return None


def new_plan(path: Path, *extra: str) -> Path:
    code, out = run("new", SINGLE, "--release", "2027-05-14", "-o", path,
                    "--title", "Nuit blanche", *extra)
    assert code == 0, out
    return path


@pytest.fixture(scope="module")
def oxt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("oxt") / "retrosheet (1).oxt"
    code, out = run("libreoffice-extension", "-o", path)
    assert code == 0, out
    assert path.name in out and "holidays" in out
    return path


@pytest.fixture(scope="module")
def profile(oxt: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A LibreOffice profile that sees the extension, installed as the README says."""
    why = _ready_for_python_macros()
    if why:
        pytest.skip(why)
    base = tmp_path_factory.mktemp("lo")
    user = base / "profile"
    (user / "user").mkdir(parents=True)
    (user / "user" / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
    shared = os.geteuid() == 0  # unopkg refuses a user install as root
    own = (base / "unopkg-profile") if shared else user
    env = f"-env:UserInstallation={own.as_uri()}"
    unopkg = str(shutil.which("unopkg"))
    add = [unopkg, "add", *(["--shared"] if shared else []), "-f", "-s", env, str(oxt)]
    with shared_lock() if shared else contextlib.nullcontext():
        done = subprocess.run(add, capture_output=True, text=True, timeout=TIMEOUT)
        assert done.returncode == 0, done.stdout + done.stderr
        try:
            yield user
        finally:
            if shared:  # leave the installation as it was
                subprocess.run([unopkg, "remove", "--shared", IDENTIFIER, env],
                               capture_output=True, timeout=TIMEOUT)


def click(profile: Path, tmp: Path, jobs: list[dict[str, Any]]) -> dict[str, Any]:
    spec = {"profile": profile.as_uri(),
            "soffice": str(shutil.which("soffice")),
            "jobs": [{**j, "src": str(j["src"]), "out": str(j["out"])} for j in jobs]}
    spec_file = tmp / "jobs.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    done = subprocess.run([SYSTEM_PYTHON, str(HERE / "uno_driver.py"), str(spec_file)],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def grid(path: Path, sheet: str, cols: int | None = None) -> list[list[Any]]:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    out = [[norm(v) for v in row[:cols]] for row in ws.iter_rows(values_only=True)]
    while out and all(v is None for v in out[-1]):
        out.pop()
    return out


def test_the_buttons_in_calc_do_what_the_command_line_does(profile: Path,
                                                           tmp_path: Path) -> None:
    plan = new_plan(tmp_path / "plan.xlsx")
    edit_like_a_team(plan)  # among others: `+7 x2` typed on T130, four contacts
    by_cli = tmp_path / "cli.xlsx"
    shutil.copyfile(plan, by_cli)
    assert run("recompute", by_cli)[0] == 0
    assert run("report", by_cli, "--write-sheet")[0] == 0

    bad = new_plan(tmp_path / "bad.xlsx")
    wb = openpyxl.load_workbook(bad)
    ws = wb["Planning"]
    t060 = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "T060")
    ws.cell(t060, 6).value = "T999"  # an unknown anchor
    wb.save(bad)

    out, bad_out = tmp_path / "out.xlsx", tmp_path / "bad-out.xlsx"
    said = click(profile, tmp_path, [
        {"src": plan, "out": out, "clicks": ["recompute", "recompute", "report"]},
        {"src": bad, "out": bad_out, "clicks": ["recompute", "report"]},
    ])

    # The entries, as installed: a toolbar and a menu, each with our two URLs.
    for where in ("toolbar", "menu"):
        assert [url for _, url in said["entries"][where]] == [
            f"{PROTOCOL}{c}" for c in COMMANDS]
        for (title, _), c in zip(said["entries"][where], COMMANDS, strict=True):
            assert title in {caption(c, lang) for lang in langs()}

    first, again, report = said["jobs"][0]["clicks"]
    assert first["ok"] and not first["unchanged"] and first["infobar"]
    assert first["undo"] == "Retrosheet — Recalculer"  # one step for Ctrl+Z
    assert "2 relance(s) ajoutée(s) (R130-1, R130-2)" in first["told"]
    assert again["ok"] and again["unchanged"] and "déjà à jour" in again["told"]
    assert report["ok"] and report["active"] == "Rapport"
    assert "écrit sur Rapport" in report["told"] and "Historique" in report["told"]

    # The follow-up rows the typed rule asks for, one and two weeks after T130.
    rows = {r[0]: r for r in grid(out, "Planning", 20)[1:] if r[0]}
    t130_due = rows["T130"][10]
    assert isinstance(t130_due, dt.date)
    for n in (1, 2):
        follow = rows[f"R130-{n}"]
        assert follow[1] == "Relance" and follow[5] == "T130"
        assert follow[10] > t130_due
    # The contacts' follow-up dates, the Report sheet and the History rows: the same as
    # the command line's, cell for cell (the Dashboard's formulas aside, every sheet).
    contacts = grid(out, "Contacts")
    assert [r[10] for r in contacts[1:]] == [dt.date(2027, 5, 7), None,
                                             dt.date(2027, 5, 4), dt.date(2027, 4, 16)]
    for sheet, cols in (("Planning", 20), ("Contacts", None), ("Paramètres", None),
                        ("Rapport", None), ("Historique", None)):
        assert grid(out, sheet, cols) == grid(by_cli, sheet, cols), sheet
    history = grid(out, "Historique")
    assert history[0][:2] == ["Date", "Axe"] and len(history) > 2
    assert {r[0] for r in history[1:]} == {dt.date.today()}
    assert grid(out, "Rapport")[0][0].startswith("Rapport — Nuit blanche")

    # The unknown anchor: told where, in an info bar; nothing changed in the document.
    for c in said["jobs"][1]["clicks"]:
        assert not c["ok"] and c["unchanged"] and c["infobar"], c
        assert "Planning!F" in c["told"] and "(T060)" in c["told"] and "T999" in c["told"]
    for sheet in ("Contacts", "Rapport", "Historique"):  # sheets without formulas
        assert grid(bad_out, sheet) == grid(bad, sheet), sheet
    planning = [r[:8] for r in grid(bad_out, "Planning")]
    assert planning == [r[:8] for r in grid(bad, "Planning")]  # no row added, T999 kept


def test_the_extension_holds_what_libreoffice_needs(oxt: Path) -> None:
    with zipfile.ZipFile(oxt) as z:
        names = set(z.namelist())
        manifest = etree.fromstring(z.read("META-INF/manifest.xml"))
        texts = {n: z.read(n) for n in ("Addons.xcu", "ProtocolHandler.xcu",
                                         "retrosheet.components", "description.xml")}
        component = z.read(COMPONENT).decode("utf-8")
    ns = "{http://openoffice.org/2001/manifest}"
    listed = {e.get(f"{ns}full-path") for e in manifest}
    assert listed == {"retrosheet.components", "ProtocolHandler.xcu", "Addons.xcu"}
    for text in texts.values():
        etree.fromstring(text)  # well-formed
    # Our own URL scheme everywhere: no script URL with the file name or the location in it.
    assert b"vnd.sun.star.script" not in b"".join(texts.values())
    assert oxt.name.encode() not in b"".join(texts.values())
    assert f'uri="{COMPONENT}"'.encode() in texts["retrosheet.components"]
    # Pure Python: nothing compiled, retrosheet and holidays (with its requirements) in.
    assert not [n for n in names if n.endswith((".so", ".pyd", ".dll", ".dylib"))]
    for module in ("retrosheet/excel.py", "retrosheet/libreoffice/calc.py",
                   "holidays/__init__.py", "dateutil/__init__.py", "six.py"):
        assert f"{PYTHONPATH}/{module}" in names
    assert not [n for n in names if "__pycache__" in n]
    # The component loads on any Python a LibreOffice bundles, to say when it is too old.
    ast.parse(component, feature_version=(3, 8))
