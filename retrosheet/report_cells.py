"""The Report and History sheets as cells, for every backend.

`report_rows` lays the weekly report out for people (sections, headers, real dates and
numbers, each value with a style role); `history_layout`/`history_updates` find where
this run's History rows go and what they hold. Pure: the .xlsx writer, Google Sheets and
the buttons' workbooks only render these cells.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .checks import Finding
from .history import HistoryLayout, history_layout
from .labels import (
    HISTORY_COLUMNS,
    Reply,
    Status,
    contact_header,
    header,
    history_header,
    sheet_key,
    sheet_name,
    word,
)
from .render import heading, owner_heading, week_of
from .report import AxisProgress, Report, Result, TaskLine
from .store import DAYS_1900_TO_1904, Kind, Row, SheetSpec, Val
from .updates import CellUpdate
from .values import from_serial, to_serial
from .words import t

MAX_TEXT = 32767  # characters Excel keeps in one cell

# ---- cell text --------------------------------------------------------------------------

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def clean_text(text: str) -> str:
    """Text a cell can hold: no character XML forbids, `_x0041_` kept literal (Excel reads
    `_xHHHH_` in a string as an escaped character), at most 32,767 characters."""
    text = _ILLEGAL_XML.sub("", text)
    text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    return text[:MAX_TEXT]


@dataclass
class Styles:
    """Indexes into styles.xml's cellXfs the Report and History cells use (None: default)."""

    date: str | None = None
    int: str | None = None
    money: str | None = None
    pct: str | None = None
    bold: str | None = None
    title: str | None = None
    header: str | None = None
    note: str | None = None
    section: str | None = None  # a section's title
    header_num: str | None = None  # a header over numbers: right-aligned like them
    wrap: str | None = None  # long text (findings, actions) wrapped in its column



class _Layout:
    """The Report sheet as rows of values, built section by section."""

    def __init__(self, rep: Report, st: Styles) -> None:
        self.rep = rep
        self.lang = rep.lang
        self.st = st
        self.rows: list[Row] = []

    # values
    def t(self, text: str, style: str | None = None) -> Val | None:
        return Val("text", text, style) if text else None

    def n(self, x: float | None, style: str | None = None) -> Val | None:
        if x is None or not math.isfinite(x):
            return None
        return Val("number", x, style)

    def d(self, day: dt.date | None) -> Val | None:
        return None if day is None else Val("date", day, self.st.date)

    def money(self, x: float | None) -> Val | None:
        return self.n(x, self.st.money)

    def pct(self, x: float | None) -> Val | None:
        return self.n(None if x is None else round(x, 4), self.st.pct)

    # rows
    def line(self, *cells: Val | None) -> None:
        wrap = self.st.wrap
        if wrap is not None and any(v is not None and v.style == wrap for v in cells):
            # A wrapped cell makes the row taller: its plain cells (ID, owner, status, a
            # cost) are set at the top with it and with the dates, not left at the bottom.
            cells = tuple(Val(v.kind, v.value, wrap) if v is not None and v.style is None
                          else v for v in cells)
        self.rows.append(cells)

    def blank(self) -> None:
        self.rows.append(())

    def heads(self, *titles: str, numbers: Iterable[int] = ()) -> None:
        """A header row; the columns in `numbers` hold numbers or dates, and their header
        is right-aligned over them."""
        right = set(numbers)
        self.line(*(self.t(x, (self.st.header_num or self.st.header) if i in right
                           else self.st.header) for i, x in enumerate(titles)))

    def section(self, title: str, count: int | None = None) -> None:
        self.line(self.t(f"{title} ({count})" if count else title,
                         self.st.section or self.st.bold))

    def long(self, text: str) -> Val | None:
        """Text that may be longer than its column: wrapped, not cut."""
        return self.t(text, self.st.wrap)

    def nothing(self) -> None:
        self.line(self.t(t("report.nothing", self.lang), self.st.note))

    # sections
    def task_heads(self, *extra: str) -> None:
        lang = self.lang
        self.heads(header("action", lang), header("id", lang), header("owner", lang),
                   header("axis", lang), header("start", lang), header("deadline", lang),
                   header("status", lang), t("report.sheet.days_late", lang),
                   t("report.sheet.where", lang), *extra,
                   numbers=(4, 5, 7, *range(9, 9 + len(extra))))

    def task(self, x: TaskLine, *extra: Val | None) -> None:
        self.line(self.long(x.action), self.t(x.id), self.t(x.owner), self.t(x.axis),
                  self.d(x.start), self.d(x.deadline), self.t(x.status.label(self.lang)),
                  self.n(x.days_late or None, self.st.int), self.t(x.cell or ""), *extra)

    def tasks(self, title: str, xs: list[TaskLine]) -> None:
        self.section(title, len(xs))
        if xs:
            self.task_heads()
            for x in xs:
                self.task(x)
        else:
            self.nothing()
        self.blank()

    def by_owner(self, title: str, groups: dict[str, list[TaskLine]]) -> None:
        self.section(title, sum(len(xs) for xs in groups.values()))
        if not groups:
            self.nothing()
        else:
            self.task_heads()
            for owner, xs in groups.items():
                self.line(self.t(owner_heading(owner, self.lang), self.st.bold))
                for x in xs:
                    self.task(x)
        self.blank()

    def followups(self) -> None:
        lang, fs = self.lang, self.rep.followups_due
        self.section(t("report.followups", lang), len(fs))
        if not fs:
            self.nothing()
            self.blank()
            return
        self.task_heads(t("report.sheet.waiting", lang))
        for f in fs:
            self.task(f.line, self.n(f.waiting, self.st.int))
        chase = [c for f in fs for c in f.chase]
        if chase:
            self.blank()
            self.line(self.t(f"{t('report.sheet.to_chase', lang)} ({len(chase)})", self.st.bold))
            self.heads(contact_header("outlet", lang), contact_header("name", lang),
                       contact_header("email", lang), t("report.sheet.task", lang),
                       contact_header("sent", lang), t("report.sheet.followup_on", lang),
                       t("report.sheet.round", lang), numbers=(4, 5, 6))
            for c in chase:
                self.line(self.t(c.outlet), self.t(c.name), self.t(c.email), self.t(c.task),
                          self.d(c.sent), self.d(c.followup), self.n(c.round, self.st.int))
        self.blank()

    def progress(self) -> None:
        lang, ps = self.lang, self.rep.progress
        self.section(t("report.progress", lang))
        if not ps:
            self.nothing()
        else:
            self.heads(t("report.axis", lang), word("tasks", lang), word("done", lang),
                       t("report.sheet.share_done", lang), Status.IN_PROGRESS.label(lang),
                       word("late", lang), t("report.sheet.blocked", lang),
                       t("report.sheet.cancelled", lang), numbers=range(1, 8))
            for p in ps:
                i = self.st.int
                self.line(self.t(p.axis), self.n(p.total - p.cancelled, i), self.n(p.done, i),
                          self.pct(p.share_done), self.n(p.in_progress, i), self.n(p.late, i),
                          self.n(p.blocked, i), self.n(p.cancelled, i))
        self.blank()

    def results(self, key: str, first: str, results: list[Result], ids: bool = False) -> None:
        lang = self.lang
        self.section(t(f"report.{key}", lang), len(results))
        if not results:
            self.nothing()
            self.blank()
            return
        extra = [header("id", lang)] if ids else []
        self.heads(t(f"report.{first}", lang), t("report.kpi", lang),
                   t("report.objective", lang), t("report.result", lang),
                   t("report.reached", lang), t("report.budget", lang), t("report.spent", lang),
                   t("report.cost_unit", lang), t("report.verdict", lang), *extra,
                   numbers=range(2, 8))
        for r in results:
            cost = r.cost_per_unit
            self.line(self.long(r.label), self.t(r.kpi), self.n(r.objective, self.st.int),
                      self.n(r.result, self.st.int), self.pct(r.reached), self.money(r.budget),
                      self.money(r.spent),
                      # often a few cents: a number, not the whole-euro money format
                      self.n(None if cost is None else round(cost, 2 if cost >= 1 else 4)),
                      self.t(r.verdict.label(lang)), *([self.t(r.key)] if ids else []))
        self.blank()

    def indicators(self) -> None:
        """Each indicator within its axis (never added to another): as on the Dashboard."""
        lang, rs = self.lang, self.rep.results_by_indicator
        self.section(t("report.sheet.indicators", lang), len(rs))
        if not rs:
            self.nothing()
            self.blank()
            return
        # then its change since the History measure nearest to a week before, and its date
        self.heads(t("report.axis", lang), t("report.kpi", lang), t("report.objective", lang),
                   t("report.result", lang), t("report.reached", lang),
                   t("report.sheet.measured_on", lang), t("report.verdict", lang),
                   t("report.indicator.change", lang), t("report.indicator.since_head", lang),
                   numbers=(2, 3, 4, 5, 7, 8))
        for r in rs:
            self.line(self.t(r.label), self.t(r.kpi), self.n(r.objective, self.st.int),
                      self.n(r.result, self.st.int), self.pct(r.reached), self.d(r.measured_on),
                      self.t(r.verdict.label(lang)), self.n(r.change, self.st.int),
                      self.d(r.previous_on if r.change is not None else None))
        self.blank()

    def replies(self) -> None:
        lang, rs = self.lang, self.rep.replies
        self.section(t("report.replies", lang))
        if not rs:
            self.nothing()
        else:
            self.heads(t("report.axis", lang), t("report.sheet.contacts", lang),
                       t("report.sheet.replies", lang),
                       t("report.sheet.rate", lang), Reply.YES.label(lang), Reply.NO.label(lang),
                       numbers=range(1, 6))
            i = self.st.int
            for r in rs:
                self.line(self.t(r.axis), self.n(r.contacts, i), self.n(r.replied, i),
                          self.pct(r.rate), self.n(r.yes, i), self.n(r.no, i))
        self.blank()

    def findings(self, findings: list[Finding]) -> None:
        lang = self.lang
        self.section(t("report.findings", lang), len(findings))
        if not findings:
            self.nothing()
        else:
            self.heads(t("report.sheet.finding", lang), t("report.sheet.severity", lang),
                       t("report.sheet.where", lang),
                       t("report.sheet.task", lang), t("report.sheet.code", lang))
            for f in findings:
                place = (f"{f.sheet}!{f.cell}" if f.sheet and f.cell
                         else f.where.removesuffix(f" ({f.task})") if f.task else f.where)
                self.line(self.long(f.message), self.t(f.severity.label(lang)), self.t(place),
                          self.t(f.task or ""), self.t(f.code))
        self.blank()

    def build(self) -> list[Row]:
        rep, lang = self.rep, self.lang
        self.line(self.t(heading(rep), self.st.title))
        self.line(self.t(t("report.sheet.report_date", lang)), self.d(rep.as_of))
        self.line(self.t(t("report.sheet.release", lang)), self.d(rep.release))
        self.line(self.t(word("days_to_release", lang)), self.n(rep.days_to_release),
                  self.t(rep.j_label))
        self.blank()
        self.tasks(t("report.late", lang), rep.late)
        monday, sunday = rep.week
        self.by_owner(f"{t('report.this_week', lang)} ({week_of(monday, sunday, lang)})",
                      rep.due_this_week)
        self.by_owner(t("report.next_week", lang), rep.due_next_week)
        self.followups()
        self.tasks(t("report.blocked", lang), rep.blocked)
        self.progress()
        self.results("results_axis", "axis", rep.results_by_axis)
        self.indicators()
        self.results("results_platform", "platform", rep.results_by_platform)
        self.results("results_action", "action", rep.results_by_action, ids=True)
        self.replies()
        self.findings(rep.findings)
        self.line(self.t(word("report_hint", lang), self.st.note))
        return self.rows


# The look of each Report cell by its role, for writers that style cells themselves (Excel
# through xlwings, Google Sheets) rather than point at an existing cellXfs entry.
ROLES = Styles(date="date", int="int", money="money", pct="pct", bold="bold", title="title",
               header="header", note="note", section="section", header_num="header_num",
               wrap="wrap")


def report_rows(rep: Report, styles: Styles = ROLES) -> list[Row]:
    """The Report sheet's rows for `rep`: row i holds the values of sheet row i + 1.

    The pure layout every writer shares: this module's XML writer passes the workbook's
    own style indexes, the Excel buttons (retrosheet.excel) and Google Sheets the role
    names of ROLES, found again in each Val's `style`.
    """
    return _Layout(rep, styles).build()


def history_rows(rep: Report) -> list[dict[str, Val | None]]:
    """This run's History rows, by HISTORY_COLUMNS key: one per axis of the report's
    progress, then one per indicator (its axis, KPI, objective and result: the measure the
    next weeks' reports compare with, retrosheet/history.py)."""
    by_axis = {r.key: r for r in rep.results_by_axis}
    out = [_history_row(rep.as_of, p, by_axis.get(p.axis)) for p in rep.progress]
    for r in rep.results_by_indicator:
        if r.kpi and (r.objective is not None or r.result is not None):
            out.append({"date": Val("date", rep.as_of), "axis": Val("text", r.key) if r.key
                        else None, "kpi": Val("text", r.kpi), "objective": _number(r.objective),
                        "result": _number(r.result)})
    return out


def _number(x: float | None) -> Val | None:
    return None if x is None or not math.isfinite(x) else Val("number", x)


def _history_row(as_of: dt.date, p: AxisProgress, r: Result | None) -> dict[str, Val | None]:
    n = _number
    return {
        "date": Val("date", as_of), "axis": Val("text", p.axis) if p.axis else None,
        "tasks": n(p.total - p.cancelled), "done": n(p.done), "late": n(p.late),
        "budget": n(r.budget if r else None), "spent": n(r.spent if r else None),
        "objective": n(r.objective if r else None), "result": n(r.result if r else None),
    }


REPORT_WIDTHS = (60.7109375, 16.7109375)  # column A (labels, actions), then each other

# ---- History ----------------------------------------------------------------------------

def history_updates(sheet: str, layout: HistoryLayout, rep: Report, lang: str,
                    date1904: bool) -> list[CellUpdate]:
    """The cells one run appends to History (and its header, when there is none yet)."""
    out: list[CellUpdate] = []
    labels = {k: history_header(k, lang) for k in HISTORY_COLUMNS}
    row = layout.last_row + 1
    if layout.header_row is None:
        if layout.last_row:
            row += 1  # a blank row between someone else's content and ours
        for k, c in layout.columns.items():
            out.append(CellUpdate(sheet, row, c, "text", labels[k]))
        row += 1
    else:
        for k in layout.missing:
            out.append(CellUpdate(sheet, layout.header_row, layout.columns[k], "text",
                                  labels[k]))
    for values in history_rows(rep):
        for k, v in values.items():
            if v is None:
                continue
            c = layout.columns[k]
            if v.kind == "date":
                assert isinstance(v.value, dt.date)
                out.append(CellUpdate(sheet, row, c, "date",
                                      to_serial(v.value) - (DAYS_1900_TO_1904 if date1904 else 0)))
            elif v.kind == "number":
                assert isinstance(v.value, int | float)
                out.append(CellUpdate(sheet, row, c, "number", v.value))
            else:
                out.append(CellUpdate(sheet, row, c, "text", clean_text(str(v.value))))
        row += 1
    return out


def pick_sheet(names: Iterable[str], key: str, lang: str) -> str | None:
    """The plan's Report or History sheet among `names`, preferring the plan's language."""
    found = [n for n in names if sheet_key(n) == key]
    found.sort(key=lambda n: n != sheet_name(key, lang))
    return found[0] if found else None




# ---- the sheets as backend-neutral descriptions ----------------------------------------

HISTORY_WIDTHS = (14.7109375, 11.7109375)  # date, axis and indicator, then the numbers


def report_spec(rep: Report) -> SheetSpec:
    """The Report sheet: this week's report replaces whatever was there."""
    rows = report_rows(rep)
    width = max((len(r) for r in rows), default=1)
    return SheetSpec("report", sheet_name("report", rep.lang), rep.lang, rows,
                     widths={c: REPORT_WIDTHS[0] if c == 0 else REPORT_WIDTHS[1]
                             for c in range(max(width, 2))})


def history_spec(name: str | None, grid: Sequence[Sequence[Any]], rep: Report) -> SheetSpec:
    """This run's History rows (and the header when there is none), below the last used
    row of the History sheet whose values are `grid` (`name` None: no such sheet yet)."""
    lang = rep.lang
    layout = history_layout(grid)
    sheet = name or sheet_name("history", lang)
    updates = history_updates(sheet, layout, rep, lang, False)
    header_row = layout.header_row or (layout.last_row + (2 if layout.last_row else 1))
    keys = {c: k for k, c in layout.columns.items()}
    first = min((u.row for u in updates), default=header_row)
    last = max((u.row for u in updates), default=header_row)
    width = max((u.col for u in updates), default=0) + 1
    rows: list[list[Val | None]] = [[None] * width for _ in range(last - first + 1)]
    for u in updates:
        role = ("header" if u.row == header_row else "date" if keys.get(u.col) == "date"
                else "money" if keys.get(u.col) in ("budget", "spent")
                else "int" if u.kind == "number" else None)
        value: str | float | dt.date
        if u.kind == "date":
            assert isinstance(u.value, int | float)
            value = from_serial(u.value)
        else:
            assert u.value is not None
            value = u.value
        kind: Kind = "text" if u.kind == "text" else "date" if u.kind == "date" else "number"
        rows[u.row - first][u.col] = Val(kind, value, role)
    widths = {} if name is not None else {
        c: HISTORY_WIDTHS[0] if k in ("date", "axis", "kpi") else HISTORY_WIDTHS[1]
        for k, c in layout.columns.items()}
    return SheetSpec("history", sheet, lang, rows, first_row=first, replace=False,
                     widths=widths, frozen_rows=1 if name is None else 0,
                     header_row=header_row)
