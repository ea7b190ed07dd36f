"""One exception base for everything retrosheet reports to a user.

The core raises these with the place the problem is (sheet, cell, task); the command
line turns them into one-line messages and exit code 2, never a traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .words import REFERENCE, formats, t


@dataclass(frozen=True)
class Msg:
    """A message of the catalogue, its id and its values, put into words only when shown
    (the plan's language is known later than the problem, sometimes)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        # A part of a message may be a message itself ("offset: {problem}"): same language.
        return t(self.key, lang, **{k: v.text(lang) if isinstance(v, Msg) else v
                                    for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.text(REFERENCE)


def msg(key: str, /, **params: Any) -> Msg:
    return Msg(key, params)


def closest(typed: str, names: Iterable[str], quote: bool = False) -> Msg | str:
    """`; did you mean single?` for a typo (any case) among `names`, or nothing: the hint
    a refusal of an unknown name ends with, as click gives for an unknown option."""
    by_key = {n.casefold(): n for n in names}
    close = [by_key[k] for k in difflib.get_close_matches(typed.strip().casefold(),
                                                          list(by_key), n=3, cutoff=0.5)]
    if not close:
        return ""
    return msg("err.read.did_you_mean", names=", ".join(repr(c) if quote else c for c in close))


class RetrosheetError(Exception):
    """Base of every error retrosheet raises on purpose.

    `message` is a catalogue message (`msg("err.read.…", value=…)`) or, for what another
    program said (an operating system or a server), its own text.
    """

    def __init__(
        self,
        message: str | Msg,
        *,
        sheet: str | None = None,
        cell: str | None = None,
        task: str | None = None,
        lang: str | None = None,
    ) -> None:
        self.said = message
        self.sheet = sheet
        self.cell = cell
        self.task = task
        self.lang = lang  # None until the plan's language (or the user's) is known
        super().__init__(self.__str__())

    @property
    def shown_in(self) -> str:
        return self.lang or REFERENCE

    def text(self, lang: str | None = None) -> str:
        """The message alone, in `lang` (default: the error's language)."""
        said = self.said
        return said.text(lang or self.shown_in) if isinstance(said, Msg) else said

    @property
    def message(self) -> str:
        return self.text()

    def at(self, lang: str | None = None) -> str:
        """`Planning!G5 (T010)`: the place, as a spreadsheet user names it."""
        parts = []
        if self.sheet and self.cell:
            parts.append(f"{self.sheet}!{self.cell}")
        elif self.sheet:
            parts.append(self.sheet)
        elif self.cell:
            parts.append(self.cell)
        if self.task:
            parts.append(f"({self.task})" if parts
                         else t("err.task", lang or self.shown_in, task=self.task))
        return " ".join(parts)

    @property
    def where(self) -> str:
        return self.at()

    def line(self, lang: str | None = None) -> str:
        """The one line a user reads: place, then message, joined as the language writes
        a label and its value (`Planning!L3 (T020) : …`, `Planning!L3 (T020): …`)."""
        lang = lang or self.shown_in
        where, text = self.at(lang), self.text(lang)
        return formats.labelled(where, text, lang) if where else text

    def __str__(self) -> str:
        return self.line()


def in_language(exc: RetrosheetError, lang: str) -> RetrosheetError:
    """The error (and those it gathers) shown in `lang` unless a language is set already."""
    for e in flat(exc) + ([exc] if isinstance(exc, PlanErrors) else []):
        if e.lang is None:
            e.lang = lang
    return exc


class PlanError(RetrosheetError):
    """The plan's content is wrong: unknown anchor, cycle, bad number, bad date."""


class TemplateError(RetrosheetError):
    """A template cannot be found or read."""


class WorkbookError(RetrosheetError):
    """A workbook cannot be read or written (not a spreadsheet, locked, corrupt)."""


class PlanErrors(PlanError):
    """Every problem found in one read of a plan, each at its place: fixed in one go."""

    SHOWN = 20  # lines shown; the rest are counted

    def __init__(self, errors: list[RetrosheetError], lang: str | None = None) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.said, sheet=first.sheet, cell=first.cell, task=first.task,
                         lang=lang)

    def line(self, lang: str | None = None) -> str:
        errors = getattr(self, "errors", [])
        lang = lang or self.lang
        lines = [e.line(lang or e.lang) for e in errors[: self.SHOWN]]
        more = len(errors) - self.SHOWN
        if more > 0:
            lines.append(t("err.more", lang or self.shown_in, n=more))
        return "\n".join(lines)


def flat(exc: RetrosheetError) -> list[RetrosheetError]:
    return list(exc.errors) if isinstance(exc, PlanErrors) else [exc]


def raise_all(errors: list[RetrosheetError], lang: str | None = None) -> None:
    """Nothing, one error as itself, or all of them together (in `lang` if given)."""
    if len(errors) == 1:
        raise in_language(errors[0], lang) if lang else errors[0]
    if errors:
        raise PlanErrors(errors, lang)
