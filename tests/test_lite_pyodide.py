"""The xlwings Lite buttons in Pyodide itself (Node + the `pyodide` npm package), offline.

retrosheet's wheel, built from this checkout, and its pure dependencies (downloaded from
PyPI as wheels for Pyodide's Python) are installed by micropip from local files, as
xlwings Lite installs requirements.txt; main.py, taken from a workbook made by
`new --xlwings-lite`, is imported with the test double of xlwings Lite's book
(tests/lite_double.py) as `xlwings`; its buttons are clicked on the plan's values. What
the double then holds is compared with what the command line writes on a copy: the same
formulas, follow-up rows, Contacts' dates, Report and History.

Pyodide loads once for the module (about 9 s); the Pyodide version is the one public
xlwings Lite workbooks record (tests/pyodide/package.json).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import SINGLE
from packaging.requirements import Requirement
from test_excel_entry import AS_OF, TODAY, edit_like_a_team
from test_lite import book_of, by_cli, compare, parts, readd, run_new_plain

from retrosheet import __version__
from retrosheet.xlsx.lite import WEBEXTENSION, properties

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
NODE_DIR = HERE / "pyodide"
ROOT = HERE.parent


def _node_modules() -> Path:
    pyodide = NODE_DIR / "node_modules" / "pyodide"
    if not (pyodide / "pyodide.asm.wasm").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True)
    return pyodide


def _lock(pyodide: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((pyodide / "pyodide-lock.json").read_text())
    return data


def _pip_download(requirements: list[str], python: str, dest: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
                    "--only-binary=:all:", "--implementation", "py", "--abi", "none",
                    "--platform", "any", "--python-version", python, "-d", str(dest),
                    *requirements], check=True)


def _wheels(tmp: Path, lock: dict[str, Any]) -> Path:
    """retrosheet's wheel and what it needs in Pyodide, plus micropip, in one folder."""
    out = tmp / "wheels"
    out.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--disable-pip-version-check", "-w", str(out), str(ROOT)], check=True,
                   cwd=tmp)
    [wheel] = out.glob("retrosheet-*.whl")
    with zipfile.ZipFile(wheel) as z:
        meta = z.read(f"retrosheet-{__version__}.dist-info/METADATA").decode()
    # The requirements a micropip in Pyodide would follow (markers evaluated for it).
    env = {"sys_platform": "emscripten", "platform_system": "Emscripten", "extra": ""}
    needed = [line.split(":", 1)[1].strip() for line in meta.splitlines()
              if line.startswith("Requires-Dist:")]
    needed = [r for r in needed if (m := Requirement(r).marker) is None or m.evaluate(env)]
    python = ".".join(lock["info"]["python"].split(".")[:2])
    pinned = [f"{n}=={lock['packages'][n]['version']}" for n in ("micropip", "packaging")]
    _pip_download([*needed, *pinned], python, out)  # from PyPI (pip's cache helps)
    return out


def _encode(o: Any) -> Any:
    if isinstance(o, dt.date):
        return {"$date": o.isoformat()}
    raise TypeError(type(o))


def _decode(d: dict[str, Any]) -> Any:
    return dt.datetime.fromisoformat(d["$date"]) if set(d) == {"$date"} else d


def _case(plan: Path, clicks: list[tuple[str, dt.date]]) -> dict[str, Any]:
    book = book_of(plan)
    return {"name": plan.name, "main_py": properties(parts(plan)[WEBEXTENSION])["main.py"],
            "sheets": {s.name: [[s._cells.get((r, c)) for c in range(1, s_cols(s) + 1)]
                                for r in range(1, s_rows(s) + 1)] for s in book._sheets},
            "tables": {s.name: dict(s._tables) for s in book._sheets},
            "clicks": [(b, d.isoformat()) for b, d in clicks]}


def s_rows(sheet: Any) -> int:
    return max((r for r, _ in sheet._cells), default=0)


def s_cols(sheet: Any) -> int:
    return max((c for _, c in sheet._cells), default=0)


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if shutil.which("node") is None:
        pytest.skip("Node is not installed (.ci/run installs it)")
    tmp = tmp_path_factory.mktemp("pyodide")
    lock = _lock(_node_modules())
    wheels = _wheels(tmp, lock)

    plans: dict[str, Path] = {}
    for lang in ("fr", "en"):
        cli = run_new_plain(tmp / f"cli-{lang}.xlsx") if lang == "fr" else \
            _new_plain_en(tmp / f"cli-{lang}.xlsx")
        edit_like_a_team(cli)
        copy = tmp / f"lite-{lang}.xlsx"
        shutil.copyfile(cli, copy)
        plans[lang] = readd(copy, tmp)
        by_cli(cli)
        plans[f"cli-{lang}"] = cli
    work = tmp / "work"
    (work / "xlwings").mkdir(parents=True)
    shutil.copy(HERE / "lite_double.py", work / "xlwings" / "__init__.py")
    cases = {lang: _case(plans[lang], [("RetrosheetRecompute", TODAY),
                                       ("RetrosheetReport", AS_OF)]) for lang in ("fr", "en")}
    (work / "input.json").write_text(json.dumps({"cases": cases}, default=_encode))
    done = subprocess.run(["node", str(NODE_DIR / "run.mjs"), str(wheels), str(work)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    out: dict[str, Any] = json.loads((work / "output.json").read_text(),
                                     object_hook=_decode)
    out["timings"] = json.loads((work / "timings.json").read_text())
    out["plans"] = plans
    out["lock"] = lock["info"]
    print("Pyodide:", out["timings"], "install", round(out["install_s"], 2), "s, clicks",
          {k: [round(c["seconds"], 2) for c in v["clicks"]] for k, v in out["cases"].items()})
    return out


def _new_plain_en(path: Path) -> Path:
    from test_excel_entry import RELEASE, run

    code, out = run("new", SINGLE, "--release", RELEASE, "-o", path, "--today",
                    TODAY.isoformat(), "--title", "Nuit blanche", "--lang", "en")
    assert code == 0, out
    return path


def test_retrosheet_installs_in_pyodide_without_the_file_backends(
        pyodide_run: dict[str, Any]) -> None:
    out = pyodide_run
    assert out["platform"] == "emscripten" and out["lock"]["version"] == "0.27.5"
    assert out["retrosheet"] == __version__
    wanted = {Requirement(r).name.lower(): ok for r, ok in out["requires"].items()
              if "extra" not in r}
    assert wanted == {"click": True, "holidays": True, "openpyxl": True, "xlsxwriter": True,
                      "lxml": False, "python-calamine": False}
    assert any(w.startswith(f"retrosheet-{__version__}-py3-none-any") for w in out["installed"])
    assert not any(w.startswith(("lxml", "python_calamine")) for w in out["installed"])
    # Neither file backend was imported by the buttons, nor was openpyxl or XlsxWriter.
    assert not [m for m in out["modules"] if m.split(".")[0] in
                ("lxml", "python_calamine", "openpyxl", "xlsxwriter")]
    assert "retrosheet.xlwings_lite" in out["modules"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_buttons_in_pyodide_write_what_the_command_line_writes(
        pyodide_run: dict[str, Any], lang: str) -> None:
    case = pyodide_run["cases"][lang]
    dump = case["dump"]
    compare(pyodide_run["plans"][f"cli-{lang}"], dump, lang)
    names = {"fr": ("recalculer", "rapport"), "en": ("recompute", "report")}[lang]
    assert set(case["scripts"]) == set(names)
    assert {v["button"] for v in case["scripts"].values()} == {
        "[RetrosheetRecompute]Planning!C1", "[RetrosheetReport]Planning!D1"}
    assert dump["tables"]["Planning"]["tblPlanning"] == "A1:T55"
    assert dump["active"] == ("Rapport" if lang == "fr" else "Report")
    history = "Historique" if lang == "fr" else "History"
    assert dump["sheets"][history]["A2"]["value"] == dt.datetime.combine(AS_OF, dt.time())
