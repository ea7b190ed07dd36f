"""Take docs/img/libreoffice-toolbar.png: Calc under Xvfb with the extension installed, a
plan open, Recalculer clicked (the info bar says what it did).

    python3 docs/img/libreoffice_toolbar.py [OUT.png]

Needs Xvfb, LibreOffice with its Python (python3-uno, libreoffice-script-provider-python)
and Pillow (the test extra). As root the extension is installed shared for the shot and
removed afterwards; otherwise in a throwaway profile. Run by hand, never by the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DISPLAY = ":87"
SIZE = (1280, 760)

# Runs in LibreOffice's Python: open the plan in a real window, click Recalculer, wait.
UNO = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from uno_driver import connect, entries, free_port, office_env, prop
import subprocess, uno
port = free_port()
proc = subprocess.Popen(["soffice", "--norestore", "--nodefault", "--nologo",
                         "--nolockcheck", "-env:UserInstallation=" + sys.argv[2],
                         "--accept=socket,host=127.0.0.1,port=%d;urp;" % port],
                        env=office_env())
ctx = connect(port, proc)
smgr = ctx.ServiceManager
desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(sys.argv[3]), "_blank", 0,
                                   (prop("Hidden", False),))
frame = doc.getCurrentController().getFrame()
frame.getContainerWindow().setPosSize(0, 0, int(sys.argv[4]), int(sys.argv[5]), 15)
layout = frame.LayoutManager  # our toolbar docked on the top row (it floats at first)
point = uno.createUnoStruct("com.sun.star.awt.Point")
point.X, point.Y = 900, 1
for e in layout.getElements():
    if "addon_" in e.ResourceURL:
        layout.dockWindow(e.ResourceURL,
                          uno.Enum("com.sun.star.ui.DockingArea", "DOCKINGAREA_TOP"), point)
url = dict((u.rsplit(":", 1)[-1], u) for _, u in entries(ctx)["toolbar"])["recompute"]
helper = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
helper.executeDispatch(frame, url, "", 0, ())
print("ready", flush=True)
sys.stdin.readline()
doc.close(True)
desktop.terminate()
proc.wait(timeout=60)
"""


def retrosheet(*args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "retrosheet", *args], check=True, env=env)


def main() -> None:
    from PIL import ImageGrab

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs/img/libreoffice-toolbar.png"
    unopkg = shutil.which("unopkg") or "unopkg"
    shared = os.geteuid() == 0
    with tempfile.TemporaryDirectory(prefix="lo-shot-") as tmp:
        t = Path(tmp)
        retrosheet("libreoffice-extension", "-o", str(t / "retrosheet.oxt"))
        retrosheet("new", "single", "--release", "2027-05-14", "--title", "Nuit blanche",
                   "-o", str(t / "Nuit blanche.xlsx"))
        sys.path.insert(0, str(ROOT / "tests"))
        from test_excel_entry import edit_like_a_team  # `+7 x2` on T130, contacts

        edit_like_a_team(t / "Nuit blanche.xlsx")
        profile = (t / "profile").as_uri()
        env_arg = f"-env:UserInstallation={(t / 'unopkg') .as_uri() if shared else profile}"
        from libreoffice import shared_lock  # tests/libreoffice.py: runs take turns

        lock = shared_lock()
        subprocess.run([unopkg, "add", *(["--shared"] if shared else []), "-f", "-s",
                        env_arg, str(t / "retrosheet.oxt")], check=True)
        xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24",
                                 "-nolisten", "tcp"])
        try:
            time.sleep(2)
            office = subprocess.Popen(
                ["/usr/bin/python3", "-c", UNO, str(ROOT / "tests"), profile,
                 str(t / "Nuit blanche.xlsx"), str(SIZE[0]), str(SIZE[1])],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                env={**os.environ, "DISPLAY": DISPLAY})
            assert office.stdout is not None and office.stdin is not None
            if office.stdout.readline().strip() != "ready":
                raise SystemExit("LibreOffice did not open the plan")
            time.sleep(4)  # let the window paint
            shot = ImageGrab.grab(xdisplay=DISPLAY)
            office.stdin.write("\n")
            office.stdin.flush()
            office.wait(timeout=120)
        finally:
            xvfb.terminate()
            xvfb.wait()
            if shared:
                subprocess.run([unopkg, "remove", "--shared", "org.retrosheet.libreoffice",
                                env_arg], check=False)
            lock.close()
    shot.crop((0, 0, SIZE[0], 430)).save(out, optimize=True)
    print(out)


if __name__ == "__main__":
    main()
