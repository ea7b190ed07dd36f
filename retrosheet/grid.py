"""A sheet's grid of values (rows of cells) turned into tasks.

Every backend (CSV, .xlsx, Google Sheets) hands a grid to this module, so headers,
languages and typed values are read the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from .errors import Msg, PlanError, RetrosheetError, msg, raise_all
from .labels import (
    SETTINGS_FIELDS,
    Labeled,
    Reply,
    Status,
    TaskType,
    Unit,
    header,
    normalize,
    planning_key,
)
from .model import RELEASE, Contact, Member, Settings, Source, Task
from .values import column_letter, is_blank, parse_date, parse_number, parse_whole, said
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


def _cell(row: Sequence[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    return row[col]


REQUIRED_PLANNING = ("anchor", "offset")
OFFSET_LIMIT = 3650  # days either side of the anchor
DURATION_LIMIT = 366  # working days
def _sheet_agrees(key: str, raw: str, member: Labeled) -> bool:
    """Whether the sheet's own formulas read a dropdown's text as retrosheet does. Status:
    the Dashboard counts its labels only. Unit: the date formulas look for "ouvr"/"work",
    then "fix", in the text (SEARCH ignores case)."""
    if key == "status":
        return raw.casefold() in {x.casefold() for x in member.every()}
    if key == "unit":
        text = raw.casefold()
        sheet = (Unit.WORKING_DAYS if "ouvr" in text or "work" in text
                 else Unit.FIXED_DAYS if "fix" in text else Unit.DAYS)
        return sheet is member
    return True
# What a spreadsheet shows for a formula it cannot compute.
ERROR_VALUE = re.compile(r"#(?:N/A|DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!)")


class RowLost(PlanError):
    """A row read as no task at all (no ID): other tasks may anchor on it."""


def parse_tasks(grid: Grid, table: Table, date1904: bool = False, *, typed: bool = False,
                lang: str = "fr", problems: list[RetrosheetError] | None = None) -> list[Task]:
    """The table's tasks; every problem of every row is raised at once (`PlanErrors`).

    `typed`: the grid is a spreadsheet's (values typed as numbers, dates, text), so what
    its formulas would read otherwise (text in Décalage, spaces around an ID, a status
    not in the list) is a problem named at its cell, not something guessed."""
    return parse_task_rows(islice(grid, table.header_row + 1, None), table, date1904,
                           typed=typed, lang=lang, problems=problems)


def parse_task_rows(rows: Iterable[Sequence[Any]], table: Table, date1904: bool = False, *,
                    typed: bool = False, lang: str = "fr",
                    problems: list[RetrosheetError] | None = None) -> list[Task]:
    """`parse_tasks` over the rows under the table's header, as they come (a reader need
    not hold a 100,000-row grid)."""
    missing = [k for k in REQUIRED_PLANNING if k not in table.columns]
    if missing:
        names = ", ".join(f"{header(k, 'fr')}/{header(k, 'en')}" for k in missing)
        raise PlanError(msg("err.read.no_column", row=table.header_row + 1, names=names),
                        sheet=table.sheet, lang=lang)
    letters = table.letters()
    tasks: list[Task] = []
    collect = problems is not None  # the caller gathers them with its own
    problems = [] if problems is None else problems
    choices: _Choices = {}  # a plan's dropdowns hold a few distinct texts: read each once
    sheet = table.sheet
    for number, row in enumerate(rows, start=table.header_row + 2):
        if all(is_blank(v) for v in row):
            continue
        src = Source(sheet, number, letters)
        try:
            tasks.append(_parse_row(row, table, src, date1904, problems, typed, lang, choices))
        except PlanError as exc:
            problems.append(exc)
    if not collect:
        raise_all(problems, lang)
    return tasks


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def _text(v: Any) -> str:
    if type(v) is str:  # the common case, and what the lines below make of it
        return v.strip()
    if _blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _whole(v: Any) -> int:
    if isinstance(v, float) and v.is_integer():  # the common case: a number cell
        return int(v)
    return parse_whole(v)


def _reads_as_whole(text: str) -> bool:
    try:
        parse_whole(text)
    except ValueError:
        return False
    return True


# (column key, the cell's text) → the member read, or the problem's message
_Choices = dict[tuple[str, str], "Labeled | Msg | None"]


def _choose(key: str, enum: type[E], raw: Any, typed: bool, lang: str) -> E | Msg | None:
    """A dropdown value in either language, or the error listing the choices in the plan's
    language (the reader takes every language) (None: blank)."""
    if _blank(raw):
        return None
    member = enum.parse(raw)
    if typed and isinstance(member, enum) and not _sheet_agrees(key, str(raw), member):
        member = None  # an alias the sheet's own formulas read otherwise
    if not isinstance(member, enum):
        return msg("err.read.not_one_of", column=header(key, lang), value=repr(raw),
                   values=", ".join(enum.labels(lang)))
    return member


def _parse_row(row: Sequence[Any], table: Table, src: Source, date1904: bool,
               problems: list[RetrosheetError], typed: bool = False,
               lang: str = "fr", choices: _Choices | None = None) -> Task:
    n = len(row)
    # One lookup per column, not one per access: this runs for every row of big plans.
    cell = {k: (row[i] if i < n else None) for k, i in table.columns.items()}
    get = cell.get

    task = Task(id=_text(get("id")), action=_text(get("action")), source=src)

    def fail(key: str, message: Msg) -> PlanError:
        return task.error(key, message)

    if not task.id:
        lost = fail("id", msg("err.read.no_id_named", action=repr(task.action)) if task.action
                    else msg("err.read.no_id_row"))
        raise RowLost(lost.said, sheet=lost.sheet, cell=lost.cell, task=lost.task)
    if typed:
        for key, raw in cell.items():
            if isinstance(raw, str) and "#" in raw and ERROR_VALUE.fullmatch(raw.strip()):
                problems.append(fail(key, msg("err.read.error_value", error=raw.strip())))
                cell[key] = None
        for key in ("id", "anchor"):
            raw = get(key)
            if isinstance(raw, str) and raw.strip() and raw != raw.strip() and "," not in raw:
                problems.append(fail(key, msg("err.read.spaces", value=repr(raw))))
        for key in ("offset", "duration"):
            raw = get(key)
            if isinstance(raw, str) and raw.strip() and _reads_as_whole(raw):
                problems.append(fail(key, msg("err.read.number_text", column=header(key, lang),
                                              value=repr(raw), number=parse_whole(raw))))
                cell[key] = None

    seen = {} if choices is None else choices

    def choice(key: str, enum: type[E]) -> E | None:
        """A dropdown value in either language, or an error listing the choices."""
        raw = get(key)
        if type(raw) is str:
            if (key, raw) not in seen:
                seen[key, raw] = _choose(key, enum, raw, typed, lang)
            member = seen[key, raw]
        else:  # a number or a date: rare here, and -0.0 == 0.0 would share a message
            member = _choose(key, enum, raw, typed, lang)
        if isinstance(member, Msg):
            problems.append(fail(key, member))
            return None
        return member  # type: ignore[return-value]  # read for this key's enum

    task.type = choice("type", TaskType) or TaskType.TASK

    anchor = _text(get("anchor"))
    if "," in anchor or ";" in anchor:
        anchors = [a.strip() for a in re.split(r"[,;]", anchor) if a.strip()]
        task.anchors = tuple(RELEASE if a.upper() == RELEASE else a
                             for a in anchors) or (RELEASE,)
    elif anchor:
        task.anchors = (RELEASE if anchor.upper() == RELEASE else anchor,)

    raw = get("offset")
    if not _blank(raw):
        try:
            task.offset = _whole(raw)
        except ValueError as exc:
            problems.append(fail("offset", msg("err.read.offset_bad", problem=said(exc))))
        if abs(task.offset) > OFFSET_LIMIT:
            problems.append(fail("offset", msg("err.read.offset_limit", n=task.offset,
                                               limit=OFFSET_LIMIT)))
            task.offset = 0

    task.unit = choice("unit", Unit) or Unit.DAYS

    raw = get("duration")
    if task.is_milestone:
        task.duration = None
    elif not _blank(raw):
        try:
            task.duration = _whole(raw)
        except ValueError as exc:
            problems.append(fail("duration", msg("err.read.duration_bad", problem=said(exc))))
        if task.duration is not None and task.duration < 1:
            problems.append(fail("duration", msg("err.read.duration_low", n=task.duration)))
            task.duration = 1
        if task.duration is not None and task.duration > DURATION_LIMIT:
            problems.append(fail("duration", msg("err.read.duration_limit", n=task.duration,
                                                 limit=DURATION_LIMIT)))
            task.duration = 1

    task.status = choice("status", Status)

    for key in ("objective", "result", "budget", "spent"):
        raw = get(key)
        if isinstance(raw, float):
            setattr(task, key, raw)
        elif not _blank(raw):
            try:
                setattr(task, key, parse_number(raw))
            except ValueError as exc:
                problems.append(task.error(key, said(exc)))

    for key in ("start", "deadline"):
        raw = get(key)
        if isinstance(raw, dt.date):
            setattr(task, key, raw if not isinstance(raw, dt.datetime) else raw.date())
        elif not _blank(raw) and not (isinstance(raw, str) and raw.startswith("=")):
            try:
                setattr(task, key, parse_date(raw, date1904))
            except ValueError as exc:
                problems.append(task.error(key, said(exc)))

    def text(key: str) -> str:
        return _text(get(key))

    task.axis = text("axis")
    task.owner = text("owner")
    task.followup = text("followup")
    task.platform = text("platform")
    task.kpi = text("kpi")
    task.notes = text("notes")
    task.extra = {name: _cell(row, c) for name, c in table.extra.items()}
    return task


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
