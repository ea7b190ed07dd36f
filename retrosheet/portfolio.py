"""Reading a label's plans: PLAN arguments to plans, in parallel, one failure at a time.

A PLAN is a file, a folder (its .xlsx/.xlsm plans, not its sub-folders nor its workbooks
without a Planning sheet) or a Google Sheets URL or key; `open_plan` (given by the caller)
turns one into a Plan. Plans are
independent, so they are read on a few threads: Google Sheets reads wait on the network
and calamine reads files outside the interpreter. An unreadable plan is kept as an
`Unreadable` line and the others are still read.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .errors import Msg, RetrosheetError
from .label import Unreadable
from .model import Plan

PLAN_SUFFIXES = (".xlsx", ".xlsm")
MAX_WORKERS = 8  # enough to overlap network waits; files gain little past the core count
# Google allows 60 read requests a minute per user: past that many Sheets in one run, their
# reads are spaced so that none is refused (one read request per plan).
SHEETS_READS_PER_MINUTE = 60


class Pacer:
    """Spaces calls `interval` seconds apart across threads (a read quota, not a timer)."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            self.sleep(slot - now)


def _is_lock_or_hidden(name: str) -> bool:
    # Excel's "~$plan.xlsx" and LibreOffice's ".~lock.plan.xlsx#" are not plans.
    return name.startswith(("~$", "."))


def expand(specs: Sequence[str],
           sheet_key: Callable[[str], str | None] = lambda spec: None) -> list[str]:
    """Each PLAN argument, folders replaced by the plans they hold (sorted by name), each
    plan once: a folder and a file in it, one file by two paths, a Sheet by its URL and its
    key (`sheet_key`) are read and counted once."""
    out: list[str] = []
    seen: set[str] = set()

    def add(spec: str) -> None:
        same = sheet_key(spec) or _same_file(spec)
        if same not in seen:
            seen.add(same)
            out.append(spec)

    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            for p in sorted(path.iterdir(), key=lambda p: p.name.casefold()):
                if (p.is_file() and p.suffix.lower() in PLAN_SUFFIXES
                        and not _is_lock_or_hidden(p.name)):
                    add(str(p))
        else:
            add(spec)
    return out


def display_name(spec: str, sheet_key: Callable[[str], str | None] = lambda spec: None) -> str:
    """How a plan is named in the report: a file's name, a Sheet's key (from its URL too:
    the last part of an address is "edit")."""
    return sheet_key(spec) or os.path.basename(spec.rstrip("/\\")) or spec


def read_all(specs: Sequence[str], open_plan: Callable[[str], Plan], *,
             on_done: Callable[[str], None] | None = None,
             is_sheet: Callable[[str], bool] = lambda spec: False,
             name: Callable[[str], str] = display_name,
             workers: int = MAX_WORKERS,
             pacer: Pacer | None = None) -> tuple[list[tuple[str, Plan]], list[Unreadable]]:
    """Every plan that could be read (in the order given) and those that could not.

    `on_done(spec)` is called as each plan finishes (a progress bar); `name(spec)` names
    an unreadable one. When more plans are
    Google Sheets (`is_sheet`) than the per-minute read quota, their reads are paced."""
    sheets = sum(1 for s in specs if is_sheet(s))
    if pacer is None and sheets > SHEETS_READS_PER_MINUTE:
        pacer = Pacer(60.0 / SHEETS_READS_PER_MINUTE)

    def one(spec: str) -> tuple[str, Plan | RetrosheetError | str]:
        if pacer is not None and is_sheet(spec):
            pacer.wait()
        try:
            result: Plan | RetrosheetError | str = open_plan(spec)
        except RetrosheetError as exc:
            result = exc  # worded later, in the report's language
        except OSError as exc:  # a file that vanished or cannot be opened
            result = f"{exc.strerror or exc}"
        if on_done is not None:
            on_done(spec)
        return spec, result

    if len(specs) <= 1 or workers <= 1:
        done = [one(s) for s in specs]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(specs))) as pool:
            done = list(pool.map(one, specs))
    plans = [(spec, r) for spec, r in done if isinstance(r, Plan)]
    failed = [Unreadable(name(spec), r, spec) for spec, r in done
              if not isinstance(r, Plan)]
    return plans, failed


def _same_file(spec: str) -> str:
    return os.path.normcase(os.path.realpath(spec))


def not_plans(failed: list[Unreadable],
              given: Sequence[str]) -> tuple[list[Unreadable], list[Unreadable]]:
    """`failed` split into the unreadable plans and the workbooks of a folder that are
    not plans (no Planning sheet: an invoice, a budget beside the plans), which a folder
    does not mean. A workbook given by name is meant: not being a plan is its error."""
    named = {_same_file(s) for s in given}
    skipped = [u for u in failed
               if isinstance(u.error, RetrosheetError) and isinstance(u.error.said, Msg)
               and u.error.said.key == "err.read.no_planning_sheet"
               and _same_file(u.spec) not in named]
    return [u for u in failed if u not in skipped], skipped
