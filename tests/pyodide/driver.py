# Runs inside Pyodide (tests/pyodide/run.mjs calls `main()`): installs the wheels from
# /wheels with micropip, imports each case's main.py with the test double of xlwings
# Lite's book as `xlwings` (/work/xlwings), clicks its buttons on the plan's values and
# writes what the double then holds to /work/output.json.
import datetime as dt
import json
import os
import sys
import time
from importlib.metadata import requires, version
from typing import Any


def decode(v: Any) -> Any:
    return dt.datetime.fromisoformat(v["$date"]) if isinstance(v, dict) else v


def encode(o: Any) -> Any:
    if isinstance(o, dt.date):
        return {"$date": o.isoformat()}
    raise TypeError(type(o))


async def main() -> None:
    import micropip

    started = time.perf_counter()
    wheels = sorted(f"emfs:/wheels/{n}" for n in os.listdir("/wheels")
                    if n.endswith(".whl") and not n.startswith(("micropip-", "packaging-")))
    await micropip.install(wheels, deps=False)
    installed_s = time.perf_counter() - started
    sys.path.insert(0, "/work")

    import xlwings  # the double
    from packaging.requirements import Requirement

    from retrosheet import excel, xlwings_lite

    with open("/work/input.json") as f:
        given = json.load(f)
    out = {
        "platform": sys.platform,
        "python": sys.version.split()[0],
        "retrosheet": version("retrosheet"),
        "installed": sorted(w.rsplit("/", 1)[1] for w in wheels),
        # What a plain `micropip.install("retrosheet")` would fetch: each requirement's
        # marker evaluated in this interpreter (sys_platform is "emscripten" here).
        "requires": {r: Requirement(r).marker is None or Requirement(r).marker.evaluate(
            {"extra": ""}) for r in requires("retrosheet") or []},
        "install_s": installed_s,
        "cases": {},
    }
    for name, case in given["cases"].items():
        xlwings.SCRIPTS.clear()
        book = xlwings.Book(case["name"], {s: [[decode(v) for v in row] for row in rows]
                                           for s, rows in case["sheets"].items()}, case["tables"])
        exec(compile(case["main_py"], "main.py", "exec"), {"__name__": "main"})
        clicked = []
        for button, day in case["clicks"]:
            d = dt.date.fromisoformat(day)  # the day of the click, fixed for the comparison
            xlwings_lite._recompute = lambda b, today=None, d=d: excel.recompute(b, today=d)
            xlwings_lite._report = lambda b, today=None, d=d: excel.report(b, today=d)
            [found] = [s for s in xlwings.SCRIPTS.values()
                       if s.get("button", "").startswith(f"[{button}]")]
            t = time.perf_counter()
            found["function"](book)
            clicked.append({"button": button, "seconds": time.perf_counter() - t})
        out["cases"][name] = {
            "dump": book.dump(), "clicks": clicked,
            "scripts": {k: {kk: vv for kk, vv in v.items() if kk != "function"}
                        for k, v in xlwings.SCRIPTS.items()},
        }
    out["modules"] = sorted(m for m in sys.modules
                            if m.split(".")[0] in ("lxml", "python_calamine", "openpyxl",
                                                   "xlsxwriter", "xlwings", "retrosheet"))
    with open("/work/output.json", "w") as f:
        json.dump(out, f, default=encode)
