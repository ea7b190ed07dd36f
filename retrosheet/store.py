"""The plan-store interface: what retrosheet needs from a workbook, whoever holds it.

A plan lives in an .xlsx file, a Google Sheet, a workbook open in Excel or in LibreOffice.
Each is one adapter of `PlanStore`; `recompute`, the report sheet and the buttons are
written once over it (`retrosheet.actions`). An adapter reads grids and formulas, and
writes what it is given: it never decides what a cell should hold, nor whether a cell
already holds it (`same` below is the one rule for that).

A store is a unit of work: `apply` and `put_sheet` queue changes (or make them at once on
a live workbook), `save` makes them durable (writes the file, sends the one batchUpdate)
and says what was written. Rows are 1-based and columns 0-based everywhere; a date in a
`CellUpdate` is its serial number in the 1900 date system (an adapter of a 1904 workbook
shifts it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from .updates import CellUpdate
from .words import t
from .words.formats import labelled

if TYPE_CHECKING:
    from .design import Workbook
    from .model import Plan

Kind = Literal["text", "number", "date"]


@dataclass(frozen=True)
class Val:
    """A value of a sheet described for any backend, with its style role (`ROLES`)."""

    kind: Kind
    value: str | float | dt.date
    style: str | None = None


Row = Sequence[Val | None]

# Style roles a sheet description may use; each adapter maps them to its own formats
# (number formats by language, bold, the header's fill).
ROLES = ("date", "int", "money", "pct", "bold", "title", "header", "note", "section",
         "header_num", "wrap")


@dataclass(frozen=True)
class SheetSpec:
    """Cells of a sheet retrosheet writes whole (the Report) or appends to (History),
    described without a backend.

    `key` names the kind of sheet (`labels.sheet_key`: "report", "history"…) so an
    adapter finds it whatever its language; `name` is used when it has to be added.
    `rows` go from row `first_row` down (None leaves a cell as it is); with `replace`
    every other cell of the sheet is cleared first. Style roles (`ROLES`) are shown as
    `lang` writes dates, numbers and money. `widths` (characters, by 0-based column) are
    set on a sheet that is added and only widen an existing one. When rows are appended
    below a table (History as an Excel table), the table grows to cover them; new cells
    take the look of the cells above them down to `header_row` (1-based, 0: none), never
    the header's.
    """

    key: str
    name: str
    lang: str
    rows: Sequence[Row] = ()
    first_row: int = 1
    replace: bool = True
    widths: Mapping[int, float] = field(default_factory=dict)
    frozen_rows: int = 0
    header_row: int = 0


@dataclass(frozen=True)
class Growth:
    """The Planning table grows from `old_last` to `new_last` (1-based rows): its table
    range, validations and conditional formats that end on `old_last` follow."""

    sheet: str
    old_last: int
    new_last: int


Reason = Literal["deleted", "duplicated", "exists"]


@dataclass(frozen=True)
class Skipped:
    """Cells not written because their row is no longer where the task is (a teammate
    edited the sheet between the read and the write)."""

    sheet: str
    task: str
    reason: Reason

    def message(self, lang: str) -> str:
        return labelled(f"{self.sheet} ({self.task})", t(f"err.read.skipped_{self.reason}", lang),
                        lang)


@dataclass
class Saved:
    """What `save` wrote."""

    written: bool
    skipped: list[Skipped] = field(default_factory=list)  # updates not written (and why)
    problems: list[str] = field(default_factory=list)  # cosmetic things that did not follow
    not_written: frozenset[int] = frozenset()  # ids (`id()`) of the updates skipped


class PlanStore(Protocol):
    """A workbook holding a plan, as retrosheet reads and writes it."""

    @property
    def name(self) -> str:
        """What to call the workbook in messages (a file name, a sheet's title)."""
        ...

    @property
    def date1904(self) -> bool:
        """Whether the workbook counts dates from 1904 (old Mac Excel files)."""
        ...

    @property
    def live(self) -> bool:
        """Whether the workbook computes its formulas itself (Excel, LibreOffice, Google
        Sheets): then a formula cell's shown value is never compared, only its formula."""
        ...

    def sheet_names(self) -> list[str]: ...

    def rows(self, sheet: str) -> Iterable[Sequence[Any]]:
        """The sheet's values row by row from A1 (what formulas show; dates as dates or
        as serial numbers, empty cells None or "")."""
        ...

    def formula(self, sheet: str, row: int, col: int) -> str | None:
        """The cell's formula with its leading "=", or None for a value or nothing."""
        ...

    def apply(self, updates: Sequence[CellUpdate], growth: Growth | None = None) -> None:
        """Write these cells (with a formula, the formula; else the value). `growth`:
        the Planning table gets new rows, which take the rows above's validations and
        formats. Cells of a sheet the workbook lacks are an error."""
        ...

    def put_sheet(self, spec: SheetSpec) -> None:
        """Write `spec` on the sheet `spec.key` names (its own language's name first),
        added after the last sheet when the workbook has none."""
        ...

    def save(self) -> Saved:
        """Make what was applied durable; nothing is written before when the store is a
        file or a remote sheet (a refused plan leaves it untouched)."""
        ...


@dataclass(frozen=True)
class Written:
    """Where `new` put a plan."""

    where: str  # the file's path or the sheet's URL, as messages show it
    only_owner: str | None = None  # a new Google Sheet only this service account can open


class NewTarget(Protocol):
    """Where `new` writes a plan: a file, a Google Sheet. Each renders the workbook design
    (`design.build_workbook`, backend-neutral) its own way; nothing is there before."""

    def create(self, design: Workbook, plan: Plan) -> Written: ...


# ---- the one rule for "is this cell already right" -------------------------------------

def _split_outside_strings(formula: str) -> list[tuple[bool, str]]:
    return [(i % 2 == 1, part) for i, part in enumerate(re.split(r'("(?:[^"]|"")*")', formula))]


def norm_formula(text: Any) -> str:
    """A formula as compared: separators (`;` in comma-decimal locales), spaces, quotes
    around sheet names and letter case are spellings, not meaning. "" for no formula."""
    if not isinstance(text, str) or not text.startswith("="):
        return ""
    return "".join(part if quoted else re.sub(r"[\s']", "", part.replace(";", ",")).upper()
                   for quoted, part in _split_outside_strings(text))


def number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


DAYS_1900_TO_1904 = 1462


def serial_of(old: Any, date1904: bool = False) -> float | None:
    """A cell's value as a number in the 1900 date system (dates included), or None."""
    from .values import to_serial

    if isinstance(old, dt.datetime):
        midnight = dt.datetime.combine(old.date(), dt.time())
        return to_serial(old.date()) + (old - midnight).total_seconds() / 86400
    if isinstance(old, dt.date):
        return float(to_serial(old))
    if isinstance(old, bool):
        return None
    if isinstance(old, int | float):
        return float(old) + (DAYS_1900_TO_1904 if date1904 else 0)
    if isinstance(old, str):
        try:
            return float(old) + (DAYS_1900_TO_1904 if date1904 else 0)
        except ValueError:
            return None
    return None


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v == "")


def same(u: CellUpdate, old: Any, old_formula: str | None, *, date1904: bool = False,
         live: bool = False) -> bool:
    """Whether a cell showing `old` with formula `old_formula` already holds what `u`
    writes. A live workbook computes its formulas: only the formula is compared there."""
    if old_formula != u.formula and norm_formula(old_formula) != norm_formula(u.formula):
        return False  # (the same text needs no normalising: the common case, and costly)
    if u.formula and live:
        return True
    if u.kind == "blank":
        return _blank(old)
    if u.kind in ("date", "number"):
        if _blank(old) or u.value is None:
            return _blank(old) and u.value is None
        if isinstance(u.value, str):
            return False
        if u.kind == "number":
            if isinstance(old, int | float) and not isinstance(old, bool):
                return float(old) == float(u.value)
            return isinstance(old, str) and old.strip() == number_text(u.value)
        return serial_of(old, date1904) == float(u.value)
    text = "" if old is None else (number_text(old) if isinstance(old, int | float)
                                   and not isinstance(old, bool) else str(old))
    return text == ("" if u.value is None else str(u.value))


def shown(u: CellUpdate, old: Any, date1904: bool = False) -> str:
    """A cell's value as text for a change list: '' when empty, a date cell's value as
    its 1900 serial (as `u.value` is), numbers without a useless ".0"."""
    if _blank(old):
        return ""
    if u.kind == "date":
        serial = serial_of(old, date1904)
        if serial is not None:
            return number_text(serial)
    if isinstance(old, dt.date):
        return number_text(serial_of(old) or 0)
    if isinstance(old, int | float) and not isinstance(old, bool):
        return number_text(float(old))
    return str(old)
