"""One click on Recalculer/Recompute or Rapport/Report in LibreOffice Calc.

The component (component.py) calls `click` with the frame the entry was clicked in. The
work is the Excel buttons' (retrosheet.excel.recompute / report: the same core as the
command line) on the open document through `CalcBook`. It runs as one undo step
("Retrosheet — Recalculer"): Ctrl+Z takes a click back whole, and a click that fails
after writing anything is undone at once, so on an error nothing has changed.
"""

from __future__ import annotations

from typing import Any

from ..say import caption, user_lang
from ..words import t
from .calc import CalcBook
from .infobar import DANGER, SUCCESS, WARNING, show

SPREADSHEET = "com.sun.star.sheet.SpreadsheetDocument"


def click(ctx: Any, frame: Any, command: str) -> tuple[bool, str]:
    """Run `command` on `frame`'s document and show the result in an info bar.

    Returns (ok, what the user was told).
    """
    from .. import excel

    lang = user_lang()  # until the plan's Settings are read
    doc = frame.getController().getModel() if frame is not None else None
    if doc is None or not doc.supportsService(SPREADSHEET):
        message = t("err.surface.open_a_plan", lang)
        show(frame, f"Retrosheet — {caption(command, lang)}", message, DANGER)
        return False, message
    book = CalcBook(doc)
    action = excel.recompute if command == "recompute" else excel.report
    undo = doc.getUndoManager()
    undo.enterUndoContext(f"Retrosheet — {caption(command, lang)}")
    doc.lockControllers()
    try:
        outcome = action(book)  # never raises: problems become outcome.ok = False
    finally:
        doc.unlockControllers()
        undo.leaveUndoContext()
    if not outcome.ok and book.wrote:
        undo.undo()
    if book.active is not None:
        book.activate(book.active)  # shown once the controllers are unlocked
    told = "\n".join([outcome.message, *outcome.details]).strip()
    kind = DANGER if not outcome.ok else WARNING if outcome.details else SUCCESS
    show(frame, f"Retrosheet — {caption(command, outcome.lang or lang)}", told, kind)
    return outcome.ok, told
