"""A click on the LibreOffice buttons on a 200-task plan (SPEC §9: under 1 s). Prints the
time of each click, from the dispatch to the info bar; asserts nothing.

    python3 benchmarks/libreoffice_button.py

The extension is built and installed as the README says (shared as root, in a throwaway
profile otherwise; removed afterwards), a 200-task plan made by `retrosheet new` is opened
in a headless LibreOffice and the toolbar entries are dispatched on its frame by
tests/uno_driver.py (LibreOffice's Python) right after it opens: Rapport (the first
click also waits for retrosheet's import, which the extension starts when the document
opens), Recalculer after `+7 x2` was typed on ten tasks, Recalculer again, Rapport.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT / "tests"))
TARGET = 1.0


def main() -> None:
    from bench import line
    from libreoffice import shared_lock
    from synth import synth_tasks, write_csv

    from retrosheet.libreoffice.names import IDENTIFIER

    unopkg = shutil.which("unopkg") or "unopkg"
    shared = os.geteuid() == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="lo-bench-") as tmp:
        t = Path(tmp)
        cli = [sys.executable, "-m", "retrosheet"]
        subprocess.run([*cli, "libreoffice-extension", "-o", str(t / "r.oxt")], check=True,
                       env=env, capture_output=True)
        template = write_csv(synth_tasks(200), t / "t200.csv")
        subprocess.run([*cli, "new", str(template), "--release", "2027-05-14", "-o",
                        str(t / "plan.xlsx")], check=True, env=env, capture_output=True)
        import openpyxl

        wb = openpyxl.load_workbook(t / "plan.xlsx")  # a rule typed on ten tasks
        ws = wb["Planning"]
        col = next(c.column for c in ws[1] if c.value == "Relance")
        ids = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for i in range(2, 200, 20):
            ws.cell(ids[f"T{i:05d}"], col).value = "+7 x2"
        wb.save(t / "plan.xlsx")
        profile = t / "profile"
        own = f"-env:UserInstallation={(t / 'unopkg' if shared else profile).as_uri()}"
        lock = shared_lock()
        subprocess.run([unopkg, "add", *(["--shared"] if shared else []), "-f", "-s", own,
                        str(t / "r.oxt")], check=True, capture_output=True)
        try:
            spec = {"profile": profile.as_uri(), "soffice": shutil.which("soffice"),
                    "jobs": [{"src": str(t / "plan.xlsx"), "out": str(t / "out.xlsx"),
                              "clicks": ["report", "recompute", "recompute", "report"]}]}
            (t / "jobs.json").write_text(json.dumps(spec), encoding="utf-8")
            done = subprocess.run(["/usr/bin/python3", str(ROOT / "tests/uno_driver.py"),
                                   str(t / "jobs.json")], capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(done.stderr[-2000:])
        finally:
            if shared:
                subprocess.run([unopkg, "remove", "--shared", IDENTIFIER, own],
                               capture_output=True)
            lock.close()
    names = ("Rapport, first click (waits for the import)",
             "Recalculer (+7 x2 typed on 10 tasks)", "Recalculer again", "Rapport")
    for name, c in zip(names, json.loads(done.stdout)["jobs"][0]["clicks"], strict=True):
        line(name, c["seconds"], TARGET, "   " + c["told"][:400])


if __name__ == "__main__":
    main()
