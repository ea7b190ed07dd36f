"""Click the Retrosheet entries in a real LibreOffice, as a person would (run by LibreOffice's
Python: `/usr/bin/python3 uno_driver.py JOBS.json`, which prints a JSON result).

JOBS.json: {"profile": "file:///…", "soffice": "/usr/bin/soffice",
            "jobs": [{"src": "/…/plan.xlsx", "out": "/…/out.xlsx",
                      "clicks": ["recompute", "report"]}]}

It starts soffice headless on its own profile, reads the entries' URLs from the installed
Addons configuration (the toolbar and the menu), opens each plan VISIBLE (a hidden
document has no frame to click in), dispatches the toolbar URL on the document's frame
with DispatchHelper (what a click does), notes what the user was told, whether the info
bar is up, whether the document changed, then stores it as .xlsx.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found, unused-ignore]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found, unused-ignore]
from office_env import office_env

ADDONS = "/org.openoffice.Office.Addons/AddonUI"
TOOLBAR = "org.retrosheet.libreoffice.toolbar"
MENU = "org.retrosheet.libreoffice.menu"


def prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def connect(port: int, proc: subprocess.Popen[bytes]) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 120
    while True:
        try:
            return resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def entries(ctx: Any) -> dict[str, list[tuple[str, str]]]:
    """Title and URL of each Retrosheet entry, in the toolbar and in the menu."""
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx)
    ui = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationAccess", (prop("nodepath", ADDONS),))

    def items(node: Any) -> list[tuple[str, str]]:
        out = []
        for name in sorted(node.ElementNames):
            item = node.getByName(name)
            if hasattr(item, "URL"):
                out.append((str(item.Title), str(item.URL)))
        return out

    bars = ui.getByName("OfficeToolBar")
    menus = ui.getByName("OfficeMenuBar")
    return {
        "toolbar": items(bars.getByName(TOOLBAR)) if bars.hasByName(TOOLBAR) else [],
        "menu": items(menus.getByName(MENU).getByName("Submenu"))
        if menus.hasByName(MENU) else [],
    }


def snapshot(doc: Any) -> list[Any]:
    """Every sheet's name, values and formulas: to tell whether a click changed anything."""
    out = []
    for name in doc.Sheets.ElementNames:
        sh = doc.Sheets.getByName(name)
        cursor = sh.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.RangeAddress
        rng = sh.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
        out.append([name, rng.getDataArray(), rng.getFormulaArray()])
    return out


def run(spec: dict[str, Any]) -> dict[str, Any]:
    port = free_port()
    proc = subprocess.Popen(
        [spec["soffice"], "--headless", "--invisible", "--norestore", "--nodefault",
         "--nologo", "--nolockcheck", f"-env:UserInstallation={spec['profile']}",
         f"--accept=socket,host=127.0.0.1,port={port};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=office_env())
    result: dict[str, Any] = {"jobs": []}
    try:
        ctx = connect(port, proc)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        helper = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        found = entries(ctx)
        result["entries"] = found
        urls = {url.rsplit(":", 1)[-1]: url for _, url in found["toolbar"]}
        for job in spec["jobs"]:
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["src"]),
                                               "_blank", 0, (prop("Hidden", False),))
            if doc is None:
                raise RuntimeError(f"LibreOffice could not open {job['src']}")
            frame = doc.getCurrentController().getFrame()
            clicks = []
            for command in job["clicks"]:
                before = snapshot(doc)
                was_modified = bool(doc.isModified())
                started = time.perf_counter()
                answer = helper.executeDispatch(frame, urls[command], "", 0, ())
                seconds = time.perf_counter() - started  # reported, never asserted
                clicks.append({
                    "command": command,
                    "ok": getattr(answer, "State", None) == 1,
                    "told": str(getattr(answer, "Result", "")),
                    "infobar": bool(doc.getCurrentController().hasInfobar("retrosheet")),
                    "unchanged": snapshot(doc) == before and not (
                        doc.isModified() and not was_modified),
                    "active": str(doc.getCurrentController().getActiveSheet().Name),
                    "seconds": round(seconds, 3),
                    "undo": str(doc.getUndoManager().getCurrentUndoActionTitle() or ""),
                })
            doc.storeToURL(uno.systemPathToFileUrl(job["out"]),
                           (prop("FilterName", "Calc MS Excel 2007 XML"),))
            doc.close(True)
            result["jobs"].append({"src": job["src"], "clicks": clicks})
    finally:
        with contextlib.suppress(Exception):  # no office to stop when it never started
            desktop.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return result


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        print(json.dumps(run(json.load(f))))
