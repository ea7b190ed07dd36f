"""A sheet's grid of values (rows of cells) turned into a plan: the tables found by
their headers, the settings, the contacts (the tasks' rows: `task_rows`).

Every backend (CSV, .xlsx, Google Sheets) hands a grid to this module, so headers,
languages and typed values are read the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from .errors import Msg, PlanError, RetrosheetError, msg, raise_all
from .labels import (
    SETTINGS_FIELDS,
    Labeled,
    Reply,
    normalize,
    planning_key,
)
from .model import Contact, Member, Settings, Source, Task
from .task_rows import _cell, parse_task_rows
from .values import column_letter, is_blank, parse_date, said
from .words import REFERENCE, every, langs

Grid = Sequence[Sequence[Any]]
E = TypeVar("E", bound=Labeled)

HEADER_SCAN_ROWS = 30
_VARIANT = re.compile(r"^(.*?)\s*\((fr|en)\)\s*$", re.IGNORECASE)


@dataclass
class Table:
    """Where the Planning table sits in its sheet."""

    sheet: str
    header_row: int  # 0-based index in the grid
    columns: dict[str, int]  # field key → 0-based column
    extra: dict[str, int] = field(default_factory=dict)  # user column header → column
    width: int = 0

    def letters(self) -> dict[str, str]:
        return {k: column_letter(i) for k, i in self.columns.items()}


def find_table(
    grid: Grid, sheet: str, lang: str = "fr", key_of: Callable[[object], str | None] = planning_key
) -> Table:
    """Find the header row: the first with an ID column and two more known headers."""
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        variants: dict[str, int] = {}
        english: dict[str, int] = {}  # what a language without its own columns starts from
        extra: dict[str, int] = {}
        for c, value in enumerate(row):
            if is_blank(value) or not isinstance(value, str):
                continue  # the week strip's headers are dates, not user columns
            text = value.strip()
            m = _VARIANT.match(text)
            if m and key_of(m.group(1)):
                written = m.group(2).lower()
                if written == lang:
                    variants[key_of(m.group(1)) or ""] = c
                elif written == "en":
                    english[key_of(m.group(1)) or ""] = c
                continue  # the other language's column is not part of the plan
            key = key_of(text)
            if key and key not in columns:
                columns[key] = c
            else:
                extra[text] = c
        if "id" in columns and len(columns) >= 3:
            # French is the plain columns; another language has its own or the English ones.
            columns.update(variants or ({} if lang == REFERENCE else english))
            return Table(sheet, r, columns, extra, width=len(row))
    what = "Planning" if key_of is planning_key else "Contacts"
    raise PlanError(msg("err.read.no_table", what=what, rows=HEADER_SCAN_ROWS), sheet=sheet,
                    lang=lang)


def parse_tasks(grid: Grid, table: Table, date1904: bool = False, *, typed: bool = False,
                lang: str = "fr", problems: list[RetrosheetError] | None = None) -> list[Task]:
    """The table's tasks; every problem of every row is raised at once (`PlanErrors`).

    `typed`: the grid is a spreadsheet's (values typed as numbers, dates, text), so what
    its formulas would read otherwise (text in Décalage, spaces around an ID, a status
    not in the list) is a problem named at its cell, not something guessed."""
    return parse_task_rows(islice(grid, table.header_row + 1, None), table, date1904,
                           typed=typed, lang=lang, problems=problems)


def parse_settings(grid: Grid, sheet: str, date1904: bool = False, *,
                   typed: bool = False) -> Settings:
    """Settings from their labels (either language), wherever the rows sit.

    Values are read to the right of the label; the days-off list is the column under
    the `Jours non travaillés` / `Days off` heading, the team the rows under `Équipe`.
    """
    labels = {normalize(v): k for k in SETTINGS_FIELDS for v in every(f"setting.{k}")}
    labels.update({"date de sortie": "release", "release date": "release", "j": "release"})
    found: dict[str, tuple[int, int, Any]] = {}
    days_off_at: tuple[int, int] | None = None
    team_at: int | None = None
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if is_blank(value) or not isinstance(value, str):
                continue
            key = normalize(value)
            if key in labels and labels[key] not in found:
                found[labels[key]] = (r, c + 1, _cell(row, c + 1))
            elif key in {normalize(v) for v in every("word.days_off")} and days_off_at is None:
                days_off_at = (r, c)
            elif key in {normalize(v) for v in every("word.team")} and team_at is None:
                team_at = r
    lang = str(found.get("lang", (0, 0, None))[2] or REFERENCE).strip().lower()[:2]
    lang = lang if lang in langs() else REFERENCE  # a language retrosheet does not speak
    if "release" not in found:
        raise PlanError(msg("err.read.no_release", label=msg("setting.release")),
                        sheet=sheet, lang=lang)
    r, c, raw = found["release"]
    where = f"{column_letter(c)}{r + 1}"
    if is_blank(raw):
        raise PlanError(msg("err.read.release_empty"), sheet=sheet, cell=where, lang=lang)
    problems: list[RetrosheetError] = []
    if typed and isinstance(raw, str) and not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", raw):
        # The spreadsheet converts text with its own locale (04/06 is April 6 in en-US).
        problems.append(PlanError(msg("err.read.release_text", value=repr(raw.strip())),
                                  sheet=sheet, cell=where))
    try:
        release = parse_date(raw, date1904)
    except ValueError as exc:
        raise PlanError(msg("err.read.release_bad", problem=said(exc)), sheet=sheet,
                        cell=where, lang=lang) from None

    def text(key: str, default: str = "") -> str:
        v = found.get(key, (0, 0, None))[2]
        return default if is_blank(v) else str(v).strip()

    days_off: list[dt.date] = []
    cells = {"release": f"${column_letter(c)}${r + 1}"}
    if days_off_at:
        r0, c0 = days_off_at
        first = last = used = None
        e = column_letter(c0)
        for i, row in enumerate(grid[r0 + 1:], start=r0 + 2):
            v = _cell(row, c0)
            if not is_blank(v) or not is_blank(_cell(row, c0 + 1)):
                used = i  # the user's own lines (a label alone, a text) are never written
            if is_blank(v):
                continue
            if typed and isinstance(v, str) and first:
                # WORKDAY rejects text in its list: every date of the sheet would be an error.
                problems.append(PlanError(msg("err.read.day_off_text", value=repr(v.strip())),
                                          sheet=sheet, cell=f"{e}{i}"))
                continue
            try:
                days_off.append(parse_date(v, date1904))
            except ValueError:
                continue  # the column's own sub-header ("Date")
            first = first or i
            last = i
        if first and last and used:
            cells["days_off"] = f"${e}${first}:${e}${max(last + 100, 400)}"
            cells["days_off_next"] = f"{e}{max(last, used) + 1}"
    team: list[Member] = []
    if team_at is not None:
        for row in grid[team_at + 2:]:
            name = _cell(row, 0)
            if is_blank(name):
                break
            email, role = _cell(row, 1), _cell(row, 2)
            team.append(Member(str(name).strip(), "" if is_blank(email) else str(email).strip(),
                               "" if is_blank(role) else str(role).strip()))
    raise_all(problems, lang)
    _check_calendar(found, sheet, text("country", "FR"), text("region"), lang)
    created = None
    if not is_blank(found.get("created", (0, 0, None))[2]):
        try:
            created = parse_date(found["created"][2], date1904)
        except ValueError:
            created = None
    return Settings(
        release=release, created=created, lang=lang,
        country=text("country", "FR").upper(), region=text("region"), title=text("title"),
        artist=text("artist"), template=text("template"), days_off=tuple(days_off),
        team=tuple(team), cells=cells,
    )


def parse_contacts(grid: Grid, table: Table, date1904: bool = False,
                   lang: str = "fr") -> list[Contact]:
    letters = table.letters()
    out: list[Contact] = []
    problems: list[RetrosheetError] = []
    for r in range(table.header_row + 1, len(grid)):
        row = grid[r]
        if all(is_blank(v) for v in row):
            continue
        try:
            out.append(_contact(row, table, Source(table.sheet, r + 1, letters), date1904,
                                lang))
        except PlanError as exc:
            problems.append(exc)
    raise_all(problems, lang)
    return out


def _contact(row: Sequence[Any], table: Table, src: Source, date1904: bool,
             lang: str) -> Contact:
    def text(key: str) -> str:
        v = _cell(row, table.columns.get(key))
        if is_blank(v):
            return ""
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return str(v).strip()

    c = Contact(id=text("id"), axis=text("axis"), outlet=text("outlet"), name=text("name"),
                email=text("email"), task=text("task"), outcome=text("outcome"),
                notes=text("notes"), source=src)
    raw = _cell(row, table.columns.get("reply"))
    if not is_blank(raw):
        reply = Reply.parse(raw)
        if not isinstance(reply, Reply):
            raise c.error("reply", msg("err.read.not_one_of", column=msg("contact.reply"),
                                       value=repr(raw), values=", ".join(Reply.labels(lang))))
        c.reply = reply
    for key in ("sent", "replied", "followup1", "followup2"):
        raw = _cell(row, table.columns.get(key))
        if not is_blank(raw):
            try:
                setattr(c, key, parse_date(raw, date1904))
            except ValueError as exc:
                raise c.error(key, said(exc)) from None
    return c


def _check_calendar(found: dict[str, tuple[int, int, Any]], sheet: str, country: str,
                    region: str, lang: str) -> None:
    """An unknown country or region, named at its cell (Settings!B7)."""
    from .workdays import subdivision

    try:
        subdivision(country, region)
    except PlanError as exc:
        said_ = exc.said
        key = "region" if isinstance(said_, Msg) and said_.key == "err.read.no_region" \
            else "country"
        r, c, _ = found.get(key, (0, 0, None))
        raise PlanError(said_, sheet=sheet, lang=lang,
                        cell=f"{column_letter(c)}{r + 1}" if key in found else None) from None
