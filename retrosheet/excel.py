"""The Python behind the buttons: recompute and report on the workbook that called.

The buttons of a plan made with `retrosheet new --macro` run, through xlwings' RunPython,

    import retrosheet.excel; retrosheet.excel.recompute()
    import retrosheet.excel; retrosheet.excel.report()

Both work on the calling workbook (`xlwings.Book.caller()`, a plan store: see
`retrosheet.xlwings_store`) and do what the command line does, through the same code
(`actions.recompute_store`, `actions.write_report`). They write only what retrosheet
owns, and tell the user in the workbook what happened: the status bar on success, a
message box for errors and for what needs a person (never a silent failure; if even the
message box fails, the error goes to stderr with a non-zero exit, which xlwings shows in
a pop-up). Any other workbook program (LibreOffice through UNO) passes its own store.

Imports stay inside the functions: a click starts a new Python each time, and its
start-up is part of the wait (docs/contract.md §9).
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from . import say
from .cellbook import Cell, Ui
from .openpyxl_store import OpenpyxlBook
from .store import PlanStore
from .words import formats, t
from .xlwings_store import XlwingsBook, excel_text

__all__ = ["Book", "Cell", "OpenpyxlBook", "Outcome", "XlwingsBook", "excel_text", "recompute",
           "report"]


class Book(PlanStore, Ui, Protocol):
    """What the buttons need: a plan store with a window to talk to the user in."""


@dataclass
class Outcome:
    """What a click did: the entry points return it (RunPython ignores it; tests read it)."""

    ok: bool
    message: str
    changed: int = 0
    added: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # shown in a message box when any
    lang: str | None = None  # the plan's, once read: what the title is written in


# ---- the entry points -------------------------------------------------------------------

def recompute(book: Book | None = None, *, today: dt.date | None = None) -> Outcome:
    """The "Recalculer"/"Recompute" button: `retrosheet recompute` on the calling workbook.

    `book`: the workbook to work on (default: the Excel workbook whose button was clicked).
    """
    return _run(_recompute, book, today, "recompute")


def report(book: Book | None = None, *, today: dt.date | None = None) -> Outcome:
    """The "Rapport"/"Report" button: `retrosheet report --write-sheet` on the calling
    workbook (as of today), then shows the Report sheet."""
    return _run(_report, book, today, "report")


def _caller() -> Book:
    import xlwings as xw

    return XlwingsBook(xw.Book.caller())


def _run(action: Callable[[Book, dt.date], Outcome], book: Book | None,
         today: dt.date | None, entry: str) -> Outcome:
    from .errors import RetrosheetError

    target = book if book is not None else _caller()
    try:
        outcome = action(target, today or dt.date.today())
    except RetrosheetError as exc:
        lang = exc.lang or say.user_lang()
        outcome = Outcome(False, exc.line(lang), lang=lang)
    except Exception as exc:  # a bug or an Excel refusal: say it, with where it happened
        tail = "".join(traceback.format_exception(exc)[-4:])
        outcome = Outcome(False, f"{type(exc).__name__}: {exc}", details=[tail.strip()])
    title = f"retrosheet — {say.caption(entry, outcome.lang or say.user_lang())}"
    try:
        target.status(("retrosheet — " if outcome.ok else "retrosheet ✗ ") + outcome.message)
        if not outcome.ok or outcome.details:
            text = "\n\n".join([outcome.message, "\n".join(outcome.details)]).strip()
            target.alert(text, title, not outcome.ok)
    except Exception:
        # Nowhere in Excel to say it: stderr and a failed exit, which xlwings shows.
        print(formats.labelled(title, outcome.message, outcome.lang or say.user_lang()),
              *outcome.details, sep="\n", file=sys.stderr)
        raise SystemExit(1) from None
    return outcome


def _recompute(book: Book, today: dt.date) -> Outcome:
    from .actions import recompute_store
    from .checks import Severity, check_plan

    done = recompute_store(book)
    lang = done.loaded.plan.settings.lang
    added = [task.id for task in done.result.added]
    n = len(done.changes)
    message = say.recompute_summary(book.name, n, added, lang)
    details = say.orphans(done.result.orphans, lang)
    details += [s.message(lang) for s in done.skipped]
    details += [t("cli.recompute.unformatted", lang, problem=p) for p in done.problems]
    found = check_plan(done.result.effective or done.result.plan, today)
    errors = [str(f) for f in found if f.severity is Severity.ERROR]
    if errors:
        more = len(errors) - 12
        details += errors[:12] + ([f"… +{more}"] if more > 0 else [])
    return Outcome(True, message, n, added, details, lang)


def _report(book: Book, today: dt.date) -> Outcome:
    from .actions import history_of, load_store, write_report
    from .report import build_report
    from .report_cells import history_rows, pick_sheet

    plan = load_store(book).plan
    rep = build_report(plan, today, history=history_of(book, plan.settings.lang))
    lang = rep.lang
    write_report(book, rep)
    names = book.sheet_names()
    rname = pick_sheet(names, "report", lang) or ""
    hname = pick_sheet(names, "history", lang) or ""
    book.activate(rname)
    n = len(history_rows(rep))
    message = t("err.surface.report_written", lang, date=formats.date(today, lang), sheet=rname,
                n=n, history=hname)
    return Outcome(True, message, n, lang=lang)
