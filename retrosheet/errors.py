"""One exception base for everything retrosheet reports to a user.

The core raises these with the place the problem is (sheet, cell, task); the command
line turns them into one-line messages and exit code 2, never a traceback.
"""

from __future__ import annotations


class RetrosheetError(Exception):
    """Base of every error retrosheet raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        sheet: str | None = None,
        cell: str | None = None,
        task: str | None = None,
    ) -> None:
        self.message = message
        self.sheet = sheet
        self.cell = cell
        self.task = task
        super().__init__(self.__str__())

    @property
    def where(self) -> str:
        """`Planning!G5 (T010)`: the place, as a spreadsheet user names it."""
        parts = []
        if self.sheet and self.cell:
            parts.append(f"{self.sheet}!{self.cell}")
        elif self.sheet:
            parts.append(self.sheet)
        elif self.cell:
            parts.append(self.cell)
        if self.task:
            parts.append(f"({self.task})" if parts else f"task {self.task}")
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message


class PlanError(RetrosheetError):
    """The plan's content is wrong: unknown anchor, cycle, bad number, bad date."""


class TemplateError(RetrosheetError):
    """A template cannot be found or read."""


class WorkbookError(RetrosheetError):
    """A workbook cannot be read or written (not a spreadsheet, locked, corrupt)."""
