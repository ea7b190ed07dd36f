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


class PlanErrors(PlanError):
    """Every problem found in one read of a plan, each at its place: fixed in one go."""

    SHOWN = 20  # lines shown; the rest are counted

    def __init__(self, errors: list[RetrosheetError], lang: str = "fr") -> None:
        self.errors = errors
        self.lang = lang
        first = errors[0]
        super().__init__(first.message, sheet=first.sheet, cell=first.cell, task=first.task)

    def __str__(self) -> str:
        errors = getattr(self, "errors", [])
        lines = [str(RetrosheetError.__str__(e)) for e in errors[: self.SHOWN]]
        more = len(errors) - self.SHOWN
        if more > 0:
            lines.append(f"+{more} autres problèmes" if self.lang == "fr"
                         else f"+{more} more problems")
        return "\n".join(lines)


def flat(exc: RetrosheetError) -> list[RetrosheetError]:
    return list(exc.errors) if isinstance(exc, PlanErrors) else [exc]


def raise_all(errors: list[RetrosheetError], lang: str = "fr") -> None:
    """Nothing, one error as itself, or all of them together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise PlanErrors(errors, lang)
