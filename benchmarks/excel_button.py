"""The Python side of an Excel button click on a 200-task plan (docs/contract.md §9: under 1 s wall,
start-up included). Prints figures and their ratio to the target; asserts nothing.

    python3 benchmarks/excel_button.py            # 7 runs each, medians
    python3 benchmarks/excel_button.py --quick    # 3 runs each

A click on Windows runs, in a new Python each time (xlwings' RunPython),

    python -B -c "import xlwings.utils;xlwings.utils.prepare_sys_path(...); \\
                  import retrosheet.excel; retrosheet.excel.recompute()"

This script runs exactly that, in a new process, with one difference: Excel is not here,
so `Book.caller()` is replaced by a workbook held in memory (the values and formulas
Excel would hand over, taken from the generated .xlsm). What it cannot measure is the
round trips to Excel (COM on Windows, AppleScript on macOS): it counts them instead, as
XlwingsBook would make them (one per sheet read, one per rectangle written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

RELEASE = dt.date(2027, 5, 14)
TODAY = dt.date(2027, 3, 1)
TARGET = 1.0
# What RunPython puts before our command (Windows; macOS is the same minus the drive).
PRELUDE = ("import xlwings.utils;xlwings.utils.prepare_sys_path(\"false;;;;;;\");")


class MemoryBook:
    """The Sheets interface over grids in memory; counts what would be Excel round trips."""

    def __init__(self, name: str, values: dict[str, list[list[Any]]],
                 formulas: dict[str, list[list[str]]]) -> None:
        self._name = name
        self.grids = values
        self.forms = formulas
        self.trips = 0

    @property
    def name(self) -> str:
        return self._name

    @property
    def date1904(self) -> bool:
        return False

    def sheet_names(self) -> list[str]:
        self.trips += 1
        return list(self.grids)

    def values(self, sheet: str) -> list[list[Any]]:
        self.trips += 2  # used range, then its values
        return self.grids[sheet]

    def formulas(self, sheet: str) -> list[list[str]]:
        self.trips += 2
        return self.forms[sheet]

    def _set(self, sheet: str, row: int, col: int, value: Any) -> None:
        grid = self.grids[sheet]
        while len(grid) < row:
            grid.append([])
        line = grid[row - 1]
        line.extend([None] * (col + 1 - len(line)))
        line[col] = value

    def write(self, cells: Sequence[Any]) -> None:
        from retrosheet.excel import blocks

        self.trips += sum(1 for _ in blocks(cells))
        for c in cells:
            self._set(c.sheet, c.row, c.col, c.value)

    def put_rows(self, sheet: str, first_row: int, rows: Sequence[Sequence[Any]]) -> None:
        self.trips += 1
        for i, row in enumerate(rows):
            for c, v in enumerate(row):
                self._set(sheet, first_row + i, c, v)

    def clear(self, sheet: str) -> None:
        self.trips += 1
        self.grids[sheet] = []

    def add_sheet(self, name: str) -> None:
        self.trips += 1
        self.grids[name], self.forms[name] = [], []

    def style(self, sheet: str, looks: Mapping[Any, Sequence[tuple[int, int]]]) -> None:
        from retrosheet.excel import _areas

        for look, cells in looks.items():
            attributes = sum(bool(x) for x in (look.number_format, look.bold, look.italic,
                                               look.size, look.color, look.fill))
            self.trips += attributes * sum(1 for _ in _areas(cells))

    def widen(self, sheet: str, widths: Mapping[int, float]) -> None:
        self.trips += 2 * len(set(widths.values()))  # a read and a write per width

    def grow(self, sheet: str, old_last: int, new_last: int) -> list[str]:
        self.trips += 3
        return []

    def activate(self, sheet: str) -> None:
        self.trips += 1

    def alert(self, message: str, title: str, error: bool) -> None:
        self.trips += 1
        print(f"ALERT {title}: {message}", file=sys.stderr)

    def status(self, message: str) -> None:
        self.trips += 1


def click(entry: str, snapshot: str, today: str) -> None:
    """One click, in this process: what runs after RunPython's prelude."""
    t0 = time.perf_counter()
    import retrosheet.excel

    t1 = time.perf_counter()
    with open(snapshot, "rb") as f:
        name, values, formulas = pickle.load(f)
    book = MemoryBook(name, values, formulas)
    t2 = time.perf_counter()
    outcome = getattr(retrosheet.excel, entry)(book=book, today=dt.date.fromisoformat(today))
    t3 = time.perf_counter()
    assert outcome.ok, outcome
    print(f"{t1 - t0:.4f} {t3 - t2:.4f} {book.trips} {outcome.changed}")


def snapshot(plan: Path, out: Path, move_release: int = 0) -> Path:
    """What Excel holds for `plan`: each sheet's values (what formulas show) and formulas.
    `move_release`: days the release moves with the shown dates left as they were (a
    workbook whose calculation is off): every date cell then has to be written."""
    import openpyxl

    shown = openpyxl.load_workbook(plan, data_only=True)
    formulas = openpyxl.load_workbook(plan)
    values: dict[str, list[list[Any]]] = {}
    forms: dict[str, list[list[str]]] = {}
    for ws in shown.worksheets:
        values[ws.title] = [list(r) for r in ws.iter_rows(min_row=1, min_col=1,
                                                          values_only=True)]
        forms[ws.title] = [[v if isinstance(v, str) and v.startswith("=") else ""
                            for v in r]
                           for r in formulas[ws.title].iter_rows(min_row=1, min_col=1,
                                                                 values_only=True)]
    if move_release:
        settings = shown.sheetnames[2]
        values[settings][2][1] += dt.timedelta(days=move_release)
    with out.open("wb") as f:
        pickle.dump((plan.name, values, forms), f)
    return out


def median_time(cmd: list[str], rep: int) -> tuple[float, list[str]]:
    times, outs = [], []
    for _ in range(rep):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - t0)
        if done.returncode:
            raise SystemExit(done.stderr)
        outs.append(done.stdout.strip())
    return statistics.median(times), outs


def line(name: str, seconds: float, target: float | None, extra: str = "") -> None:
    from bench import line as bench_line

    bench_line(name, seconds, target, extra, width=52, no_target=" " * 20)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rep = 3 if args.quick else 7
    from synth import synth_tasks, write_csv

    py = [sys.executable, "-B", "-c"]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        csv_path = write_csv(synth_tasks(200), d / "t200.csv")
        plan = d / "p200.xlsm"
        new = [sys.executable, "-m", "retrosheet", "new", str(csv_path), "--release",
               RELEASE.isoformat(), "-o", str(plan), "--macro", "--force",
               "--today", TODAY.isoformat()]
        t_new, _ = median_time(new, rep)
        import openpyxl

        rows = openpyxl.load_workbook(plan, read_only=True)["Planning"].max_row
        print(f"plan: 200-task template, {rows - 1} Planning rows with its follow-ups\n")
        line("retrosheet new --macro (wall, new process)", t_new, TARGET)

        t_py, _ = median_time([*py, "pass"], rep)
        t_start, _ = median_time([*py, PRELUDE + "import retrosheet.excel"], rep)
        line("python alone (start-up)", t_py, None)
        line("RunPython start-up: xlwings + retrosheet.excel", t_start, TARGET)

        fresh = snapshot(plan, d / "fresh.pickle")
        moved = snapshot(plan, d / "moved.pickle", move_release=14)
        cases = (("recompute", fresh, "click Recalculer, plan up to date"),
                 ("recompute", moved, "click Recalculer, every date to rewrite"),
                 ("report", fresh, "click Rapport (Report sheet + History)"))
        for entry, snap, label in cases:
            code = (f"{PRELUDE}import sys;sys.path.insert(0,{str(HERE)!r});import excel_button;"
                    f"excel_button.click({entry!r},{str(snap)!r},{TODAY.isoformat()!r})")
            wall, outs = median_time([*py, code], rep)
            fields = [o.split() for o in outs]
            imports = statistics.median(float(f[0]) for f in fields)
            work = statistics.median(float(f[1]) for f in fields)
            trips, changed = fields[0][2], fields[0][3]
            line(f"{label} (wall)", wall, TARGET,
                 f"   [retrosheet imports {imports * 1000:.0f} ms, work {work * 1000:.0f} ms, "
                 f"{changed} cells, {trips} Excel round trips]")
    print("\nNot measured here (no Excel): Book.caller()'s connection and the round trips "
          "counted above;\neach is a COM (Windows) or AppleScript (macOS) call.")


if __name__ == "__main__":
    main()
