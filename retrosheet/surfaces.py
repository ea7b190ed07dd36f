"""PLAN as the user names it (a file path, a Google Sheets URL or key) → its plan store.

The only place that knows which adapter serves which kind of PLAN; the command line
calls it once per command. Backends are imported only for the PLAN at hand.
"""

from __future__ import annotations

from pathlib import Path

from .store import PlanStore


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
