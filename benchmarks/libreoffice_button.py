"""A click on the LibreOffice buttons on a 200-task plan (SPEC §9: under 1 s). Prints the
time of each click, from the dispatch to the info bar; asserts nothing.

    python3 benchmarks/libreoffice_button.py

The extension is built and installed as the README says (shared as root, in a throwaway
profile otherwise; removed afterwards), a 200-task plan made by `retrosheet new` is opened
in a headless LibreOffice and the toolbar entries are dispatched on its frame by
tests/uno_driver.py (LibreOffice's Python): Recalculer on a fresh plan (adds the
follow-up rows), Recalculer again (nothing to do), Rapport.
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
TARGET = 1.0


def main() -> None:
    from bench import line
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
        profile = t / "profile"
        own = f"-env:UserInstallation={(t / 'unopkg' if shared else profile).as_uri()}"
        subprocess.run([unopkg, "add", *(["--shared"] if shared else []), "-f", "-s", own,
                        str(t / "r.oxt")], check=True, capture_output=True)
        try:
            spec = {"profile": profile.as_uri(), "soffice": shutil.which("soffice"),
                    "jobs": [{"src": str(t / "plan.xlsx"), "out": str(t / "out.xlsx"),
                              "clicks": ["recompute", "recompute", "report"]}]}
            (t / "jobs.json").write_text(json.dumps(spec), encoding="utf-8")
            done = subprocess.run(["/usr/bin/python3", str(ROOT / "tests/uno_driver.py"),
                                   str(t / "jobs.json")], capture_output=True, text=True,
                                  check=True)
        finally:
            if shared:
                subprocess.run([unopkg, "remove", "--shared", IDENTIFIER, own],
                               capture_output=True)
    names = ("Recalculer (200 tasks, new follow-ups)", "Recalculer again (up to date)",
             "Rapport")
    for name, c in zip(names, json.loads(done.stdout)["jobs"][0]["clicks"], strict=True):
        line(name, c["seconds"], TARGET, c["told"][:60])


if __name__ == "__main__":
    main()
