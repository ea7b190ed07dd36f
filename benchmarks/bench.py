"""Figures for docs/contract.md §9, printed with their ratio to the target (not a test: no asserts).

    python3 benchmarks/bench.py            # all
    python3 benchmarks/bench.py --quick    # fewer repeats
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synth_tasks, write_csv

from retrosheet.followups import expand_followups
from retrosheet.schedule import schedule
from retrosheet.workdays import WorkCalendar

RELEASE = dt.date(2027, 5, 14)


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_cli(*args: str) -> Callable[[], object]:
    def go() -> object:
        return subprocess.run([sys.executable, "-m", "retrosheet", *args], check=True,
                              capture_output=True)
    return go


def line(name: str, seconds: float, target: float | None, extra: str = "",
         width: int = 48, no_target: str = "(no target)") -> None:
    """One figure with its ratio to the docs/contract.md §9 target."""
    ratio = f"{seconds / target:5.2f} × target {target:g} s" if target else no_target
    verdict = "" if target is None else ("  ok" if seconds <= target else "  OVER")
    print(f"{name:<{width}} {seconds:8.3f} s   {ratio}{verdict}{extra}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rep = 3 if args.quick else 7

    line("retrosheet --help (wall, new process)", median_time(run_cli("--help"), rep), 0.3)

    tasks = synth_tasks(10_000)

    def engine() -> object:
        # A fresh calendar each run: holidays are looked up and cached inside the run.
        expanded = expand_followups(list(tasks), "fr")
        return schedule(expanded, RELEASE, WorkCalendar("FR", "Alsace-Moselle"))

    n = len(expand_followups(list(tasks), "fr"))
    line(f"engine: 10,000 tasks (+follow-ups = {n} rows)", median_time(engine, rep), 0.2)

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for size, target in ((200, 1.0), (500, None), (10_000, None)):
            csv_path = write_csv(synth_tasks(size), d / f"t{size}.csv")
            out = d / f"p{size}.xlsx"
            fn = run_cli("new", str(csv_path), "--release", RELEASE.isoformat(), "-o",
                         str(out), "--force")
            line(f"retrosheet new, {size}-task template (wall)",
                 median_time(fn, max(1, rep // (3 if size > 1000 else 1))), target)
        line("retrosheet export, 200-task plan (wall)",
             median_time(run_cli("export", str(d / "p200.xlsx")), rep), 1.0)
        recompute_vs_openpyxl(d / "p10000.xlsx", d, max(1, rep // 3))
        line("retrosheet report, 200-task plan (wall)",
             median_time(run_cli("report", str(d / "p200.xlsx"), "--as-of", "2027-04-29"),
                         rep), 1.0)
        report_vs_calamine(d, max(1, rep // 3))


# Each measured in its own process: wall time of the work, and that process's peak memory
# (VmHWM: unlike ru_maxrss it is not inherited from the parent across fork).
_PEAK = """
def PEAK():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""
_RECOMPUTE = _PEAK + """
import sys, time, shutil
from pathlib import Path
from retrosheet.xlsx.edit import recompute_file
shutil.copy(sys.argv[1], sys.argv[2])
t0 = time.perf_counter()
recompute_file(Path(sys.argv[2]))
print(time.perf_counter() - t0, PEAK())
"""
_OPENPYXL = _PEAK + """
import sys, time
import openpyxl
t0 = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1])
wb.save(sys.argv[2])
print(time.perf_counter() - t0, PEAK())
"""


_REPORT = _PEAK + """
import sys, datetime as dt
import time
from pathlib import Path
t0 = time.perf_counter()
from retrosheet.xlsx.read import read_plan
from retrosheet.report import build_report
from retrosheet.render import to_text
text = to_text(build_report(read_plan(Path(sys.argv[1])), dt.date(2027, 4, 29)))
print(time.perf_counter() - t0, PEAK())
"""
_CALAMINE = _PEAK + """
import sys, time
t0 = time.perf_counter()
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_name("Planning").to_python()
print(time.perf_counter() - t0, PEAK())
"""


def report_vs_calamine(d: Path, rep: int) -> None:
    """docs/contract.md §9: report on a 100,000-row plan against python-calamine's own read of its
    Planning sheet (imports included on both sides), with peak memory."""
    csv_path = write_csv(synth_tasks(77_000), d / "t100k.csv")  # + follow-ups ≈ 100,100 rows
    plan = d / "p100k.xlsx"
    subprocess.run([sys.executable, "-m", "retrosheet", "new", str(csv_path), "--release",
                    RELEASE.isoformat(), "-o", str(plan), "--force"], check=True,
                   capture_output=True)
    ours = [_measure(_REPORT, str(plan)) for _ in range(rep)]
    base = [_measure(_CALAMINE, str(plan)) for _ in range(rep)]
    t_ours, t_base = (statistics.median(x[0] for x in v) for v in (ours, base))
    m_ours, m_base = (max(x[1] for x in v) for v in (ours, base))
    print(f"{'report, 100,100-row plan (read+check+report)':<48} {t_ours:8.3f} s   "
          f"{m_ours:6.1f} MB peak")
    print(f"{'python-calamine read of its Planning sheet':<48} {t_base:8.3f} s   "
          f"{m_base:6.1f} MB peak")
    ok = "ok" if t_ours <= 2 * t_base else "OVER"
    print(f"{'  ratio (target ≤ 2)':<48} {t_ours / t_base:8.2f}     {ok}; memory ratio "
          f"{m_ours / m_base:.2f} ({'ok' if m_ours <= m_base else 'OVER'})")


def _measure(code: str, *args: str) -> tuple[float, float]:
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    out = proc.stdout.split()
    return float(out[0]), float(out[1]) / 1024


def recompute_vs_openpyxl(plan: Path, d: Path, rep: int) -> None:
    """docs/contract.md §9: recompute of a 10,000-row plan whose release moved, against openpyxl's
    load + save of that same file."""
    import openpyxl

    moved = d / "moved.xlsx"
    wb = openpyxl.load_workbook(plan)
    sheet = wb["Paramètres"]
    sheet["B3"].value = dt.datetime(2027, 9, 17)
    wb.save(moved)
    ours = [_measure(_RECOMPUTE, str(moved), str(d / "r.xlsx")) for _ in range(rep)]
    base = [_measure(_OPENPYXL, str(moved), str(d / "o.xlsx")) for _ in range(rep)]
    t_ours = statistics.median(x[0] for x in ours)
    t_base = statistics.median(x[0] for x in base)
    m_ours = max(x[1] for x in ours)
    m_base = max(x[1] for x in base)
    print(f"{'recompute 10,000-row plan (release moved)':<48} {t_ours:8.3f} s   "
          f"{m_ours:6.1f} MB peak")
    print(f"{'openpyxl load + save of the same file':<48} {t_base:8.3f} s   "
          f"{m_base:6.1f} MB peak")
    ok = "ok" if t_ours <= 0.5 * t_base else "OVER"
    print(f"{'  ratio (target ≤ 0.5)':<48} {t_ours / t_base:8.2f}     {ok}; memory ratio "
          f"{m_ours / m_base:.2f} ({'ok' if m_ours <= m_base else 'OVER'})")


if __name__ == "__main__":
    main()
