"""Cell updates: what a recompute or a report changes, as data any backend can apply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["date", "number", "text", "blank"]


@dataclass(frozen=True)
class CellUpdate:
    sheet: str
    row: int  # 1-based
    col: int  # 0-based
    kind: Kind
    value: float | str | None = None  # a date is its serial number
    formula: str | None = None  # with its leading "="
    task: str | None = None  # for messages: the task (or contact's task) this cell is about


@dataclass(frozen=True)
class Change:
    """An update that really changes a cell: what dry-run prints."""

    update: CellUpdate
    old: str  # the cell's value as text ('' when empty)
    new: str
