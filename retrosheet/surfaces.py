"""PLAN as the user names it (a file path, a Google Sheets URL or key) → its plan store.

The only place that knows which adapter serves which kind of PLAN; the command line
calls it once per command. Backends are imported only for the PLAN at hand.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .store import NewTarget, PlanStore

if TYPE_CHECKING:
    from .gsheets.client import Sheets


def open_store(plan: str, credentials: str | Path | None = None) -> PlanStore:
    """The store of `plan`: a Google Sheet (URL or key, signed in with `credentials`) or
    an .xlsx/.xlsm file. Raises RetrosheetError when it cannot be opened."""
    from .gsheets import sheet_key

    key = sheet_key(plan)
    if key is not None:
        from .gsheets.backend import SheetStore
        from .gsheets.client import connect

        return SheetStore(key, connect(credentials))
    from .xlsx.store import XlsxStore

    return XlsxStore(Path(plan))


def new_target(dest: str, kind: Literal["file", "sheet", "new sheet"] = "file", *,
               credentials: str | Path | None = None, share: str | None = None,
               macro: bool = False, lite: bool = False,
               lite_requirement: str | None = None) -> NewTarget:
    """Where `new` writes: the file at path `dest` (`macro`/`lite`: with the Excel or
    xlwings Lite buttons), the empty Google Sheet whose key is `dest`, or a new Google
    Sheet titled `dest` (shared with `share`). Nothing is opened before the plan is made."""
    if kind == "file":
        from .xlsx.create import NewFile

        return NewFile(Path(dest), macro, lite, lite_requirement)
    from .gsheets.client import connect
    from .gsheets.create import NewSheet

    def sign_in() -> Sheets:
        return connect(credentials, create=kind == "new sheet")

    if kind == "new sheet":
        return NewSheet(sign_in, title=dest, share_with=share)
    return NewSheet(sign_in, key=dest)


@contextlib.contextmanager
def writing(plan: str) -> Iterator[None]:
    """Hold retrosheet's writer lock on a file PLAN from its read to its write, so two
    commands writing it at once do not lose a write (xlsx/safe.py). A Google Sheet needs
    none: its writes go by ID into the live sheet."""
    from .gsheets import sheet_key

    if sheet_key(plan) is not None:
        yield
        return
    from .xlsx.safe import writer_lock

    with writer_lock(Path(plan)):
        yield
