"""The Planning table's rows turned into tasks, a column at a time.

Every backend (CSV, .xlsx, Google Sheets) reads its tasks here. A 100,000-row plan's
columns repeat a few values (types, units, statuses, owners, offsets, dates): each
column's distinct values are read once (their value and their problems), then each
row's task is put together from its columns. The problems are listed row by row, and
within a row in the order its cells are read (`_RANK`), as a reader reading cell by
cell would list them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, repeat
from math import copysign
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import Msg, PlanError, RetrosheetError, msg, raise_all
from .labels import Labeled, Status, TaskType, Unit, header
from .model import RELEASE, Source, Task, located
from .values import is_blank, parse_date, parse_number, parse_whole, said

if TYPE_CHECKING:
    from .grid import Table

E = TypeVar("E", bound=Labeled)

REQUIRED_PLANNING = ("anchor", "offset")
OFFSET_LIMIT = 3650  # days either side of the anchor
DURATION_LIMIT = 366  # working days
# What a spreadsheet shows for a formula it cannot compute.
ERROR_VALUE = re.compile(r"#(?:N/A|DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!)")
_NUMBERS = ("objective", "result", "budget", "spent")
_TEXTS = ("axis", "owner", "followup", "platform", "kpi", "notes")
# Where a cell's problem stands among its row's: an error value (by column), spaces,
# a number typed as text, then the cells as they are read.
_RANK = {"id": 0, "anchor": 1, "type": 3, "offset": 4, "unit": 5, "duration": 6,
         "status": 7, **{k: 8 + i for i, k in enumerate(_NUMBERS)}, "start": 12,
         "deadline": 13}
_SPACES, _NUMBER_TEXT = 1, 2
_CONVERTED = frozenset(_RANK) - {"id"}  # columns whose cells are not texts as they are
_MILESTONES = frozenset({TaskType.MILESTONE, TaskType.RELEASE})  # points in time
_NO_KEYS: frozenset[str] = frozenset()

# A cell's reading: its value (as the task holds it) and its problems (rank, message).
Reading = tuple[Any, tuple[tuple[float, "Msg | str"], ...]]


class RowLost(PlanError):
    """A row read as no task at all (no ID): other tasks may anchor on it."""


def _cell(row: Sequence[Any], col: int | None) -> Any:
    if col is None or col >= len(row):
        return None
    return row[col]


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


class _Reader:
    """What one column's cells read as (`read(key, position)` gives the reading of a
    cell of that column), the rules of a task's cells in one place."""

    def __init__(self, date1904: bool, typed: bool, lang: str) -> None:
        self.date1904, self.typed, self.lang = date1904, typed, lang

    def read(self, key: str, position: int) -> Callable[[Any], Reading]:
        convert = self._convert(key)
        typed, lang = self.typed, self.lang
        error_rank = position / 1000  # an error value: rank 0, in the columns' order

        def reading(raw: Any) -> Reading:
            found: list[tuple[float, Msg | str]] = []
            given = raw
            if typed and isinstance(raw, str) and "#" in raw and \
                    ERROR_VALUE.fullmatch(raw.strip()):
                found.append((error_rank, msg("err.read.error_value", error=raw.strip())))
                raw = None
            if typed and key in ("id", "anchor") and isinstance(raw, str) and raw.strip() \
                    and raw != raw.strip() and "," not in raw:
                found.append((_SPACES + _RANK[key] / 10, msg("err.read.spaces",
                                                            value=repr(raw))))
            if typed and key in ("offset", "duration") and isinstance(raw, str) \
                    and raw.strip() and _reads_as_whole(raw):
                found.append((_NUMBER_TEXT + (key == "duration") / 10, msg(
                    "err.read.number_text", column=header(key, lang), value=repr(raw),
                    number=parse_whole(raw))))
                raw = None
            value = convert(given if key in ("id", "action") else raw, found)
            return value, tuple(found)

        return reading

    def plain(self, key: str) -> Callable[[str], Any] | None:
        """What a text cell of `key` reads as when its text raises no problem (None:
        a column whose texts are read by `read` alone)."""
        if key == "anchor":
            anchors = self._convert(key)
            return lambda text: anchors(text, [])  # an anchor's text raises no problem
        return None if key in _CONVERTED else str.strip

    def _convert(self, key: str) -> Callable[[Any, list[tuple[float, Msg | str]]], Any]:
        """The value of a cell of `key` (its problems added to the list)."""
        rank = _RANK.get(key, 0)
        typed, lang, date1904 = self.typed, self.lang, self.date1904
        enum: type[Labeled] | None = {"type": TaskType, "unit": Unit,
                                      "status": Status}.get(key)

        def choice(raw: Any, found: list[tuple[float, Msg | str]]) -> Any:
            assert enum is not None
            member = _choose(key, enum, raw, typed, lang)
            if isinstance(member, Msg):
                found.append((rank, member))
                member = None
            return member or {"type": TaskType.TASK, "unit": Unit.DAYS}.get(key)

        def anchors(raw: Any, found: list[tuple[float, Msg | str]]) -> tuple[str, ...]:
            anchor = _text(raw)
            if "," in anchor or ";" in anchor:
                names = [a.strip() for a in re.split(r"[,;]", anchor) if a.strip()]
                return tuple(RELEASE if a.upper() == RELEASE else a for a in names) \
                    or (RELEASE,)
            return (RELEASE if anchor.upper() == RELEASE else anchor,) if anchor \
                else (RELEASE,)

        def offset(raw: Any, found: list[tuple[float, Msg | str]]) -> int:
            n = 0
            if not _blank(raw):
                try:
                    n = _whole(raw)
                except ValueError as exc:
                    found.append((rank, msg("err.read.offset_bad", problem=said(exc))))
                if abs(n) > OFFSET_LIMIT:
                    found.append((rank, msg("err.read.offset_limit", n=n,
                                            limit=OFFSET_LIMIT)))
                    n = 0
            return n

        def duration(raw: Any, found: list[tuple[float, Msg | str]]) -> int | None:
            """A task's duration (a milestone's is dropped with its problems, `_rows`)."""
            n: int | None = 1
            if not _blank(raw):
                try:
                    n = _whole(raw)
                except ValueError as exc:
                    found.append((rank, msg("err.read.duration_bad", problem=said(exc))))
                if n is not None and n < 1:
                    found.append((rank, msg("err.read.duration_low", n=n)))
                    n = 1
                if n is not None and n > DURATION_LIMIT:
                    found.append((rank, msg("err.read.duration_limit", n=n,
                                            limit=DURATION_LIMIT)))
                    n = 1
            return n

        def number(raw: Any, found: list[tuple[float, Msg | str]]) -> float | None:
            if isinstance(raw, float):
                return raw
            if not _blank(raw):
                try:
                    return parse_number(raw)
                except ValueError as exc:
                    found.append((rank, said(exc)))
            return None

        def date(raw: Any, found: list[tuple[float, Msg | str]]) -> dt.date | None:
            if isinstance(raw, dt.date):
                return raw if not isinstance(raw, dt.datetime) else raw.date()
            if not _blank(raw) and not (isinstance(raw, str) and raw.startswith("=")):
                try:
                    return parse_date(raw, date1904)
                except ValueError as exc:
                    found.append((rank, said(exc)))
            return None

        def text(raw: Any, found: list[tuple[float, Msg | str]]) -> str:
            return _text(raw)

        if enum is not None:
            return choice
        return {"anchor": anchors, "offset": offset, "duration": duration,
                "start": date, "deadline": date,
                **{k: number for k in _NUMBERS}}.get(key, text)


class _Column:
    """A column's values as the tasks hold them, and its cells with problems (row
    index, problems): each distinct value read once."""

    def __init__(self, cells: Sequence[Any], reading: Callable[[Any], Reading],
                 plain: Callable[[str], Any] | None = None, spaces: bool = False) -> None:
        """`plain`: the value of a text cell holding no error value (#N/A) and no spaces
        around it (`spaces`: spaces around are a problem), read in C when it is the
        text stripped."""
        self.bad: list[tuple[int, tuple[tuple[float, Msg | str], ...]]] = []
        if plain is not None and _plain_texts(cells):
            # One object a distinct text: 100,000 tasks share a few owners' names.
            read = {v: v.strip() for v in dict.fromkeys(cells)}
            if spaces and any(v is not t for v, t in read.items()):
                pass  # spaces around some: said by `reading`
            else:
                if plain is not str.strip:
                    read = {v: plain(v) for v in read}
                self.values: list[Any] = list(map(read.__getitem__, cells))
                return
        try:
            distinct = dict.fromkeys(cells)
        except TypeError:  # a value that cannot be a key: each cell read alone
            distinct = None
        if distinct is not None and _one_key_each(distinct, cells):
            read = {v: reading(v) for v in distinct}
            self.values = list(map({v: r[0] for v, r in read.items()}.__getitem__, cells))
            bad = {v: r[1] for v, r in read.items() if r[1]}
            self.bad = [(i, bad[v]) for i, v in enumerate(cells) if v in bad] if bad else []
            return
        readings = [reading(v) for v in cells]
        self.values = [r[0] for r in readings]
        self.bad = [(i, r[1]) for i, r in enumerate(readings) if r[1]]


def _plain_texts(cells: Sequence[Any]) -> bool:
    """Texts only, none of them an error value (#N/A): a text column's values are its
    cells stripped (checked in C, not a cell at a time)."""
    return set(map(type, cells)) <= {str} and "#" not in "".join(cells)


def _one_key_each(distinct: dict[Any, None], cells: Sequence[Any]) -> bool:
    """Whether equal values are the same value here: not when numbers of two types meet
    (1 == 1.0 == True) or -0.0 stands beside 0.0."""
    numeric = {t for t in set(map(type, cells)) if issubclass(t, int | float)}
    return len(numeric) <= 1 and (0 not in distinct or not any(
        type(v) is float and v == 0 and copysign(1.0, v) < 0 for v in cells))


_DEFAULTS: dict[str, Any] = {
    "action": "", "type": TaskType.TASK, "anchor": (RELEASE,), "offset": 0,
    "unit": Unit.DAYS, "duration": 1, "status": None,
    **{k: None for k in (*_NUMBERS, "start", "deadline")}, **{k: "" for k in _TEXTS}}
# Task's fields in the order of its constructor, from `id` to `deadline`.
_FIELDS = ("action", "type", "axis", "owner", "anchor", "offset", "unit", "duration",
           "status", "followup", "platform", "kpi", *_NUMBERS, "notes", "start", "deadline")


def parse_task_rows(rows: Iterable[Sequence[Any]], table: Table, date1904: bool = False, *,
                    typed: bool = False, lang: str = "fr",
                    problems: list[RetrosheetError] | None = None) -> list[Task]:
    """The tasks of the rows under the table's header, as they come (a reader need not
    hold a 100,000-row grid); every problem of every row is raised at once
    (`PlanErrors`). `typed`: the rows are a spreadsheet's (values typed as numbers,
    dates, text), so what its formulas would read otherwise (text in Décalage, spaces
    around an ID, a status not in the list) is a problem named at its cell."""
    missing = [k for k in REQUIRED_PLANNING if k not in table.columns]
    if missing:
        names = ", ".join(f"{header(k, 'fr')}/{header(k, 'en')}" for k in missing)
        raise PlanError(msg("err.read.no_column", row=table.header_row + 1, names=names),
                        sheet=table.sheet, lang=lang)
    keys = list(table.columns)
    at = [table.columns[k] for k in keys]
    need, first = max([*at, *table.extra.values()]) + 1, at[keys.index("id")]
    cut = itemgetter(*at)
    kept: list[tuple[Any, ...]] = []
    numbers: list[int] = []
    extras: list[dict[str, Any]] = []
    # (two more cells read: itemgetter gives a tuple from two cells on, zip drops them)
    extra_names, extra_at = list(table.extra), itemgetter(*table.extra.values(), 0, 0)
    for number, row in enumerate(rows, start=table.header_row + 2):
        if len(row) < need:  # cells past a row's end read as empty
            row = [*row, *repeat(None, need - len(row))]
        given = row[first]
        if (given is None or (isinstance(given, str) and not given.strip())) and \
                all(is_blank(v) for v in row):
            continue
        numbers.append(number)
        extras.append(dict(zip(extra_names, extra_at(row), strict=False)) if extra_names
                      else {})
        kept.append(cut(row))
    reader = _Reader(date1904, typed, lang)
    columns = {k: _Column(cells, reader.read(k, i), reader.plain(k),
                          typed and k in ("id", "anchor"))
               for i, (k, cells) in enumerate(zip(keys, zip(*kept, strict=True)
                                                  if kept else [()] * len(keys),
                                                  strict=True))}
    found: list[RetrosheetError] = [] if problems is None else problems
    tasks = _rows(table, numbers, extras, columns, found)
    if problems is None:
        raise_all(found, lang)
    return tasks


def _rows(table: Table, numbers: list[int], extras: list[dict[str, Any]],
          columns: dict[str, _Column], problems: list[RetrosheetError]) -> list[Task]:
    """Each row's task from its columns; its problems, in reading order."""
    letters = table.letters()
    sheet = table.sheet
    ids = columns["id"].values
    lost = [i for i, task_id in enumerate(ids) if not task_id]
    kept = None if not lost else [bool(task_id) for task_id in ids]

    def column(values: Iterable[Any]) -> Iterable[Any]:
        return values if kept is None else compress(values, kept)

    fields = [column(columns[k].values) if k in columns else repeat(_DEFAULTS[k])
              for k in _FIELDS]
    sources = column(map(Source, repeat(sheet), numbers, repeat(letters)))
    # a column the table lacks repeats its default: the ids say how many tasks
    tasks = list(map(Task, column(ids), *fields, repeat(_NO_KEYS), repeat(None), sources,
                     column(extras)))
    for task in tasks:
        if task.type in _MILESTONES:
            task.duration = None
    at = [i for i in range(len(ids)) if i not in set(lost)] if lost else range(len(ids))
    _problems(dict(zip(at, tasks, strict=True)), lost, numbers, columns, letters, sheet,
              problems)
    return tasks


def _problems(task_at: dict[int, Task], lost: list[int], numbers: list[int],
              columns: dict[str, _Column], letters: dict[str, str], sheet: str,
              problems: list[RetrosheetError]) -> None:
    """The rows' problems after `problems`, row by row, each row's in reading order (a
    lost row has only its own)."""
    found: list[tuple[int, float, int, RetrosheetError]] = []
    actions = columns["action"].values if "action" in columns else repeat("")
    for i, action in zip(lost, (a for j, a in enumerate(actions) if j in set(lost)),
                         strict=False):
        said_ = (msg("err.read.no_id_named", action=repr(action)) if action
                 else msg("err.read.no_id_row"))
        gone = located(Source(sheet, numbers[i], letters), "id", said_, "")
        found.append((i, -1.0, 0, RowLost(gone.said, sheet=gone.sheet, cell=gone.cell,
                                          task=None)))
    for key, col in columns.items():
        for i, cell_problems in col.bad:
            task = task_at.get(i)
            if task is None:
                continue  # a lost row: no task to name
            for rank, message in cell_problems:
                if rank == _RANK["duration"] and key == "duration" and task.duration is None:
                    continue  # a milestone has no duration to get wrong
                found.append((i, rank, len(found), task.error(key, message)))
    found.sort(key=lambda f: f[:3])
    problems.extend(f[3] for f in found)
