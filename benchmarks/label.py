"""Figures for a label's Monday (issue: label scale), printed with ratios (no asserts).

    python3 benchmarks/label.py            # all
    python3 benchmarks/label.py --quick    # fewer repeats, no 100,000-row plan

- `report` over 40 plans of ~50 tasks against one plan's `report` (target ≤ 6 ×);
- `report` and `check` on a 100,000-row plan against python-calamine's own read of its
  Planning sheet (target ≤ 2 ×, memory ≤ calamine's peak).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import _CALAMINE, _PEAK, RELEASE, _measure, median_time, run_cli
from synth import synth_tasks, write_csv

PLANS = 40
TASKS = 50

_CHECK = _PEAK + """
import os, sys, time
from pathlib import Path
t0 = time.perf_counter()
from retrosheet.cli import main  # the console command itself, as a user runs it
sys.argv = ["retrosheet", "check", sys.argv[1], "--today", "2027-04-29"]
sys.stdout = open(os.devnull, "w")
try:
    main()
except SystemExit:
    pass
sys.stdout = sys.__stdout__
print(time.perf_counter() - t0, PEAK())
"""
_REPORT = _PEAK + """
import sys, time
from pathlib import Path
t0 = time.perf_counter()
from retrosheet.cli import main  # the console command itself, as a user runs it
# To a file, as a label's 130 MB JSON goes (on a terminal it is written in pieces too).
sys.argv = ["retrosheet", "report", sys.argv[1], "--as-of", "2027-04-29", "--format", "json",
            "-o", sys.argv[2]]
try:
    main()
except SystemExit:
    pass
print(time.perf_counter() - t0, PEAK())
"""


def _load() -> str:
    """The machine's load (1-minute average) beside each figure: a busy machine slows it."""
    return f"  (load {os.getloadavg()[0]:.1f})"


def _new(csv_path: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "retrosheet", "new", str(csv_path), "--release",
                    RELEASE.isoformat(), "-o", str(out), "--force"], check=True,
                   capture_output=True)


def label_vs_one(d: Path, rep: int) -> None:
    folder = d / "label"
    folder.mkdir()
    csv_path = write_csv(synth_tasks(TASKS), d / "t50.csv")
    _new(csv_path, folder / "plan00.xlsx")
    for i in range(1, PLANS):  # the same plan under 40 names: same work, 40 reads
        (folder / f"plan{i:02d}.xlsx").write_bytes((folder / "plan00.xlsx").read_bytes())
    one = median_time(run_cli("report", str(folder / "plan00.xlsx"), "--as-of",
                              "2027-04-29"), rep)
    many = median_time(run_cli("report", str(folder), "--as-of", "2027-04-29"), rep)
    print(f"{'report, one plan of ~50 tasks (wall)':<48} {one:8.3f} s{_load()}")
    print(f"{f'report, {PLANS} plans of ~50 tasks (wall)':<48} {many:8.3f} s{_load()}")
    ratio = many / one
    print(f"{'  ratio (target ≤ 6)':<48} {ratio:8.2f}     {'ok' if ratio <= 6 else 'OVER'}")


def big_vs_calamine(d: Path, rep: int) -> None:
    csv_path = write_csv(synth_tasks(77_000), d / "t100k.csv")  # + follow-ups ≈ 100,100 rows
    plan = d / "p100k.xlsx"
    _new(csv_path, plan)
    base = [_measure(_CALAMINE, str(plan)) for _ in range(rep)]
    t_base, m_base = statistics.median(x[0] for x in base), max(x[1] for x in base)
    print(f"{'python-calamine read of its Planning sheet':<48} {t_base:8.3f} s   "
          f"{m_base:6.1f} MB peak{_load()}")
    for name, code in (("report --format json -o FILE", _REPORT), ("check", _CHECK)):
        ours = [_measure(code, str(plan), str(d / "report.json")) for _ in range(rep)]
        t, m = statistics.median(x[0] for x in ours), max(x[1] for x in ours)
        print(f"{name + ', 100,100-row plan':<48} {t:8.3f} s   {m:6.1f} MB peak{_load()}")
        ok = "ok" if t <= 2 * t_base else "OVER"
        print(f"{'  ratio (target ≤ 2)':<48} {t / t_base:8.2f}     {ok}; memory ratio "
              f"{m / m_base:.2f} ({'ok' if m <= m_base else 'OVER'})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rep = 3 if args.quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        label_vs_one(d, rep)
        if not args.quick:
            big_vs_calamine(d, 1)


if __name__ == "__main__":
    main()
