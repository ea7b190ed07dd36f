"""A new plan written as a formatted, live .xlsx with XlsxWriter.

XlsxWriter writes each formula together with its cached value, so readers without a
calculation engine (previews, pandas, calamine) see the engine's dates, while Excel,
LibreOffice and Google Sheets recompute them live from the Settings sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .. import layout as L
from ..labels import (
    CONTACT_COLUMNS,
    HISTORY_COLUMNS,
    PLANNING_KEYS,
    SETTINGS_FIELDS,
    Axis,
    Status,
    axis_label,
    header,
    sheet_name,
    word,
)
from ..model import Plan, Scheduled, Task
from ..values import column_letter, to_serial
from .safe import atomic_path

HEADER_FILL = "#1F3864"
INPUT_FILL = "#FFF2CC"
LATE_FILL = "#F8CBAD"
DUE_FILL = "#FFE699"
DONE_FONT = "#7F7F7F"
SPAN_FILL = "#5B9BD5"
MILESTONE_FILL = "#C00000"
TODAY_FILL = "#E2EFDA"
VALIDATION_EXTRA_ROWS = 300  # dropdowns also on the rows a user adds below the table

DONE_OR_CANCELLED = (Status.DONE, Status.CANCELLED)


class _PlainFormulas(Worksheet):
    """A worksheet that skips XlsxWriter's scan for post-2010 function names.

    That scan runs ~30 regular expressions over every formula (6 s for 10,000 rows);
    ours use only functions every Excel since 2007 knows, so there is nothing to prefix.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula[1:] if formula.startswith("=") else formula


def _or_equals(cell: str, statuses: tuple[Status, ...]) -> str:
    labels = [s.fr for s in statuses] + [s.en for s in statuses]
    return "OR(" + ",".join(f'{cell}="{x}"' for x in labels) + ")"


class _Writer:
    def __init__(
        self,
        wb: xlsxwriter.Workbook,
        plan: Plan,
        dates: dict[str, Scheduled],
        today: dt.date,
    ) -> None:
        self.wb = wb
        self.plan = plan
        self.lang = plan.settings.lang
        self.dates = dates
        self.today = today
        self.refs = L.Refs(sheet_name("settings", self.lang))
        self.rows = sorted(
            plan.tasks, key=lambda t: (dates[t.id].deadline, dates[t.id].start)
        )
        dfmt = L.date_format(self.lang)
        add: Callable[[dict[str, Any]], Format] = wb.add_format
        self.f_header = add({"bold": True, "font_color": "white", "bg_color": HEADER_FILL,
                             "text_wrap": True, "valign": "vcenter", "border": 1})
        self.f_date = add({"num_format": dfmt, "align": "center"})
        self.f_offset = add({"num_format": L.OFFSET_FORMAT, "align": "center"})
        self.f_center = add({"align": "center"})
        day = "j" if self.lang == "fr" else "d"
        self.f_task_offset = add({"num_format": f'+0" {day}";-0" {day}";0" {day}"'})
        self.f_money = add({"num_format": "#,##0 €" if self.lang == "fr" else "€#,##0"})
        self.f_int = add({"num_format": "#,##0"})
        self.f_pct = add({"num_format": "0%"})
        self.f_week = add({"num_format": L.week_format(self.lang), "rotation": 90,
                           "font_size": 8, "align": "center", "bold": True,
                           "font_color": "white", "bg_color": HEADER_FILL})
        self.f_title = add({"bold": True, "font_size": 16, "font_color": HEADER_FILL})
        self.f_bold = add({"bold": True})
        self.f_input_date = add({"num_format": dfmt, "bg_color": INPUT_FILL, "bold": True,
                                 "border": 1, "align": "center"})
        self.f_input = add({"bg_color": INPUT_FILL, "border": 1})
        self.f_help = add({"italic": True, "font_color": "#595959"})
        self.f_late = add({"bg_color": LATE_FILL})
        self.f_due = add({"bg_color": DUE_FILL})
        self.f_done = add({"font_color": DONE_FONT})
        self.f_span = add({"bg_color": SPAN_FILL})
        self.f_milestone = add({"bg_color": MILESTONE_FILL})
        self.f_today_col = add({"bg_color": TODAY_FILL})

    # ---- Planning -------------------------------------------------------------
    def planning(self) -> None:
        ws = self.wb.add_worksheet(sheet_name("planning", self.lang),
                                   worksheet_class=_PlainFormulas)
        lang = self.lang
        n = len(self.rows)
        last_col = len(PLANNING_KEYS) - 1
        ws.add_table(0, 0, n, last_col, {
            "name": "tblPlanning",
            "style": "Table Style Light 9",
            "columns": [{"header": header(k, lang), "header_format": self.f_header}
                        for k in PLANNING_KEYS],
        })
        for i, task in enumerate(self.rows):
            self._task_row(ws, i + 1, task)
        for k, c in L.COL.items():
            fmt = {"start": self.f_date, "deadline": self.f_date, "offset": self.f_offset,
                   "duration": self.f_center, "type": self.f_center, "id": self.f_center,
                   "budget": self.f_money, "spent": self.f_money, "objective": self.f_int,
                   "result": self.f_int, "status": self.f_center}.get(k)
            ws.set_column(c, c, L.WIDTHS[k], fmt)
        ws.set_row(0, 30)
        ws.set_column(L.SPACER_COL, L.SPACER_COL, 1.5)
        for r in range(1, n + 1):
            ws.write_formula(r, L.SPACER_COL, '=""', None, "")
        self._strip(ws, n)
        self._planning_rules(ws, n)
        self._planning_validation(ws, n)
        ws.freeze_panes(1, L.COL["action"] + 1)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)

    def _task_row(self, ws: Worksheet, r: int, task: Task) -> None:
        lang, C = self.lang, L.COL
        row1 = r + 1
        sched = self.dates[task.id]
        ws.write_string(r, C["id"], task.id)
        ws.write_string(r, C["type"], task.type.label(lang))
        self._text(ws, r, C["axis"], axis_label(task.axis, lang))
        self._text(ws, r, C["action"], task.action)
        self._text(ws, r, C["owner"], task.owner)
        ws.write_string(r, C["anchor"], ",".join(task.anchors))
        ws.write_number(r, C["offset"], task.offset, self.f_offset)
        ws.write_string(r, C["unit"], task.unit.label(lang))
        if task.duration is not None and not task.is_milestone:
            ws.write_number(r, C["duration"], task.duration, self.f_center)
        ws.write_formula(r, C["start"], L.start_formula(row1, self.refs), self.f_date,
                         to_serial(sched.start))
        ws.write_formula(r, C["deadline"], L.deadline_formula(row1, task.anchors, self.refs),
                         self.f_date, to_serial(sched.deadline))
        ws.write_string(r, C["status"], (task.status or Status.TODO).label(lang))
        self._text(ws, r, C["followup"], task.followup)
        self._text(ws, r, C["platform"], task.platform)
        self._text(ws, r, C["kpi"], task.kpi)
        for key in ("objective", "result", "budget", "spent"):
            value = getattr(task, key)
            if value is not None:
                ws.write_number(r, C[key], value)
        self._text(ws, r, C["notes"], task.notes)

    @staticmethod
    def _text(ws: Worksheet, r: int, c: int, text: str) -> None:
        # write_string: text from a template is never turned into a formula or a link.
        if text:
            ws.write_string(r, c, text)

    def _strip(self, ws: Worksheet, n: int) -> None:
        release_monday = L.monday(self.plan.settings.release)
        weeks = L.strip_weeks(self.plan.settings.release, self.dates.values())
        c0 = L.STRIP_FIRST_COL
        for j, week in enumerate(weeks):
            monday = release_monday + dt.timedelta(weeks=week)
            ws.write_formula(0, c0 + j, L.week_header_formula(week, self.refs), self.f_week,
                             to_serial(monday))
        c1 = c0 + len(weeks) - 1
        ws.set_column(c0, c1, L.STRIP_WIDTH)
        first = column_letter(c0)
        s, k = L.LETTER["start"], L.LETTER["deadline"]
        t = L.LETTER["type"]
        milestone = L.is_event_formula(f"${t}2")
        in_week = f"AND(${s}2<={first}$1+6,${k}2>={first}$1)"
        ws.conditional_format(0, c0, n, c1, {
            "type": "formula", "criteria": f"=AND({first}$1<=TODAY(),TODAY()<{first}$1+7)",
            "format": self.f_today_col})
        ws.conditional_format(1, c0, max(n, 1), c1, {
            "type": "formula", "criteria": f"=AND({milestone},{in_week})",
            "format": self.f_milestone})
        ws.conditional_format(1, c0, max(n, 1), c1, {
            "type": "formula", "criteria": f"={in_week}", "format": self.f_span})

    def _planning_rules(self, ws: Worksheet, n: int) -> None:
        last_col = len(PLANNING_KEYS) - 1
        st, k = f"${L.LETTER['status']}2", f"${L.LETTER['deadline']}2"
        finished = _or_equals(st, DONE_OR_CANCELLED)
        week_start = "TODAY()-WEEKDAY(TODAY(),3)"
        rows = max(n, 1)
        ws.conditional_format(1, 0, rows, last_col, {
            "type": "formula", "criteria": f"={finished}", "format": self.f_done})
        # An offset from another task reads "+7 j", not "J+7": J is the release day.
        f, g = L.LETTER["anchor"], L.COL["offset"]
        ws.conditional_format(1, g, rows, g, {
            "type": "formula", "criteria": f'=AND(${f}2<>"J",${f}2<>"")',
            "format": self.f_task_offset})
        ws.conditional_format(1, 0, rows, last_col, {
            "type": "formula", "criteria": f"=AND(NOT({finished}),{k}<TODAY())",
            "format": self.f_late})
        ws.conditional_format(1, 0, rows, last_col, {
            "type": "formula",
            "criteria": f"=AND(NOT({finished}),{k}>=TODAY(),{k}<={week_start}+6)",
            "format": self.f_due})

    def _planning_validation(self, ws: Worksheet, n: int) -> None:
        last = n + VALIDATION_EXTRA_ROWS
        C, lang = L.COL, self.lang
        for key, name, strict in (("status", "status", True), ("axis", "axis", False),
                                  ("unit", "unit", True), ("type", "type", True)):
            count = len(L.list_values(name, lang))
            ws.data_validation(1, C[key], last, C[key], {
                "validate": "list", "source": "=" + self.refs.list_range(name, count),
                "error_type": "stop" if strict else "information",
                "error_title": header(key, lang),
                "error_message": ", ".join(L.list_values(name, lang)),
            })
        ws.data_validation(1, C["offset"], last, C["offset"], {
            "validate": "integer", "criteria": "between", "minimum": -3650, "maximum": 3650,
            "error_title": header("offset", lang),
            "error_message": "-3650 … 3650" + (" jours" if lang == "fr" else " days"),
        })
        ws.data_validation(1, C["duration"], last, C["duration"], {
            "validate": "integer", "criteria": "between", "minimum": 1, "maximum": 366,
            "error_title": header("duration", lang), "error_message": "1 … 366",
        })

    # ---- Contacts -------------------------------------------------------------
    def contacts(self) -> None:
        lang = self.lang
        ws = self.wb.add_worksheet(sheet_name("contacts", lang))
        widths = {"id": 8, "axis": 14, "outlet": 24, "name": 20, "email": 28, "task": 10,
                  "sent": 12, "reply": 14, "replied": 12, "outcome": 24, "followup1": 12,
                  "followup2": 12, "notes": 40}
        for c, (key, fr, en) in enumerate(CONTACT_COLUMNS):
            ws.write_string(0, c, fr if lang == "fr" else en, self.f_header)
            fmt = self.f_date if key in ("sent", "replied", "followup1", "followup2") else None
            ws.set_column(c, c, widths[key], fmt)
        last_col = len(CONTACT_COLUMNS) - 1
        ws.autofilter(0, 0, VALIDATION_EXTRA_ROWS, last_col)
        ws.freeze_panes(1, 0)
        ws.set_row(0, 30)
        keys = [k for k, _, _ in CONTACT_COLUMNS]
        count = len(L.list_values("reply", lang))
        ws.data_validation(1, keys.index("reply"), VALIDATION_EXTRA_ROWS, keys.index("reply"), {
            "validate": "list", "source": "=" + self.refs.list_range("reply", count)})
        ws.data_validation(1, keys.index("axis"), VALIDATION_EXTRA_ROWS, keys.index("axis"), {
            "validate": "list", "error_type": "information",
            "source": "=" + self.refs.list_range("axis", len(L.list_values("axis", lang)))})

    # ---- Settings -------------------------------------------------------------
    def settings(self) -> None:
        lang, st = self.lang, self.plan.settings
        ws = self.wb.add_worksheet(sheet_name("settings", lang))
        ws.write_string(0, 0, word("settings_title", lang), self.f_title)
        ws.set_row(0, 24)
        values: dict[str, str] = {
            "title": st.title, "artist": st.artist, "lang": lang, "country": st.country,
            "region": st.region, "template": st.template,
        }
        for key, fr, en in SETTINGS_FIELDS:
            r = L.SETTINGS_ROW[key] - 1
            ws.write_string(r, 0, fr if lang == "fr" else en, self.f_bold)
            if key == "release":
                ws.write_number(r, 1, to_serial(st.release), self.f_input_date)
                ws.write_string(r, 2, word("release_help", lang), self.f_help)
            elif key == "created":
                ws.write_number(r, 1, to_serial(self.today), self.f_date)
            else:
                ws.write_string(r, 1, values[key], self.f_input)
        # Team
        r = L.TEAM_HEADER_ROW - 1
        ws.write_string(r, 0, word("team", lang), self.f_bold)
        for c, key in enumerate(("name", "email", "role")):
            ws.write_string(r + 1, c, word(key, lang), self.f_header)
        for i, m in enumerate(st.team):
            for c, v in enumerate((m.name, m.email, m.role)):
                if v:
                    ws.write_string(r + 2 + i, c, v)
        # Days off: public holidays for the years the plan can move into, then the team's.
        e = L.DAYS_OFF_COL
        ws.write_string(0, e, word("days_off", lang), self.f_bold)
        ws.write_comment(0, e, word("days_off_help", lang))
        ws.write_string(1, e, word("date", lang), self.f_header)
        ws.write_string(1, e + 1, word("label", lang), self.f_header)
        for i, (day, label) in enumerate(L.days_off_rows(self.plan.settings, self.lang)):
            ws.write_number(L.DAYS_OFF_FIRST_ROW - 1 + i, e, to_serial(day), self.f_date)
            ws.write_string(L.DAYS_OFF_FIRST_ROW - 1 + i, e + 1, label)
        # Lists behind dropdowns
        for j, name in enumerate(L.LISTS):
            c = L.LISTS_FIRST_COL + j
            ws.write_string(0, c, {"status": header("status", lang), "axis": header("axis", lang),
                                   "unit": header("unit", lang), "type": header("type", lang),
                                   "reply": word("lists", lang)}[name], self.f_header)
            for i, v in enumerate(L.list_values(name, lang)):
                ws.write_string(1 + i, c, v)
        ws.set_column(0, 0, 24)
        ws.set_column(1, 1, 26)
        ws.set_column(2, 2, 12)
        ws.set_column(e, e, 12, self.f_date)
        ws.set_column(e + 1, e + 1, 26)
        ws.set_column(L.LISTS_FIRST_COL, L.LISTS_FIRST_COL + len(L.LISTS) - 1, 16)

    # ---- Dashboard ------------------------------------------------------------
    def dashboard(self) -> None:
        lang = self.lang
        ws = self.wb.add_worksheet(sheet_name("dashboard", lang))
        p = L.quote_sheet(sheet_name("planning", lang))
        col = {k: f"{p}!${v}:${v}" for k, v in L.LETTER.items()}
        ws.write_string(0, 0, word("dashboard_title", lang), self.f_title)
        ws.set_row(0, 24)
        ws.write_string(2, 0, word("days_to_release", lang), self.f_bold)
        ws.write_formula(2, 1, f"={self.refs.release}-TODAY()", self.f_int,
                         (self.plan.settings.release - self.today).days)
        ws.write_string(3, 0, word("late", lang), self.f_bold)
        late = [t for t in self.rows if self._late(t)]
        not_finished = ",".join(
            f'{col["status"]},"<>{s.label(lg)}"' for s in DONE_OR_CANCELLED for lg in ("fr", "en")
        )
        ws.write_formula(3, 1, f'=COUNTIFS({col["deadline"]},"<"&TODAY(),{not_finished})',
                         self.f_int, len(late))

        # Tasks by status
        top = 5
        ws.write_string(top, 0, word("status", lang), self.f_header)
        ws.write_string(top, 1, word("count", lang), self.f_header)
        for i, s in enumerate(Status):
            count = sum(1 for t in self.rows if (t.status or Status.TODO) is s)
            ws.write_string(top + 1 + i, 0, s.label(lang))
            ws.write_formula(top + 1 + i, 1,
                             f'=COUNTIF({col["status"]},"{s.fr}")+COUNTIF({col["status"]},"{s.en}")',
                             self.f_int, count)
        status_last = top + len(Status)

        # By axis
        axes = [a.label(lang) for a in Axis]
        axis_of = {t.id: axis_label(t.axis, lang) for t in self.rows}
        axes += sorted(set(axis_of.values()) - set(axes) - {""})
        by_axis: dict[str, list[Task]] = {a: [] for a in axes}
        for t in self.rows:
            by_axis.setdefault(axis_of[t.id], []).append(t)
        top2 = status_last + 3
        heads = ("axis", "tasks", "done", "budget", "spent", "objective", "result", "reached")
        ws.write_string(top2 - 1, 0, word("by_axis", lang), self.f_bold)
        for c, h in enumerate(heads):
            ws.write_string(top2, c, word(h, lang), self.f_header)
        for i, axis in enumerate(axes):
            r = top2 + 1 + i
            mine = by_axis[axis]
            ws.write_string(r, 0, axis)
            ax = f'{col["axis"]},$A{r + 1}'
            ws.write_formula(r, 1, f"=COUNTIF({ax})", self.f_int, len(mine))
            done = "=" + "+".join(
                f'COUNTIFS({ax},{col["status"]},"{label}")'
                for label in (Status.DONE.fr, Status.DONE.en)
            )
            ws.write_formula(r, 2, done, self.f_int,
                             sum(1 for t in mine if t.status is Status.DONE))
            for c, key in ((3, "budget"), (4, "spent"), (5, "objective"), (6, "result")):
                total = sum(getattr(t, key) or 0 for t in mine)
                fmt = self.f_money if key in ("budget", "spent") else self.f_int
                ws.write_formula(r, c, f"=SUMIF({ax},{col[key]})", fmt, total)
            objective = sum(t.objective or 0 for t in mine)
            result = sum(t.result or 0 for t in mine)
            ws.write_formula(r, 7, f'=IF(F{r + 1}>0,G{r + 1}/F{r + 1},"")', self.f_pct,
                             result / objective if objective else "")
        axis_last = top2 + len(axes)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 7, 12)

        d = L.quote_sheet(sheet_name("dashboard", lang))

        def rng(c: int, r0: int, r1: int) -> str:
            x = column_letter(c)
            return f"={d}!${x}${r0 + 1}:${x}${r1 + 1}"

        pie = self.wb.add_chart({"type": "pie"})
        pie.add_series({"name": word("tasks_by_status", lang),
                        "categories": rng(0, top + 1, status_last),
                        "values": rng(1, top + 1, status_last),
                        "data_labels": {"value": True}})
        pie.set_title({"name": word("tasks_by_status", lang)})
        ws.insert_chart(1, 8, pie, {"x_scale": 1.0, "y_scale": 1.0})

        money = self.wb.add_chart({"type": "column"})
        for c in (3, 4):
            money.add_series({"name": f"={d}!${column_letter(c)}${top2 + 1}",
                              "categories": rng(0, top2 + 1, axis_last),
                              "values": rng(c, top2 + 1, axis_last)})
        money.set_title({"name": word("budget_vs_spent", lang)})
        money.set_legend({"position": "bottom"})
        ws.insert_chart(17, 8, money, {"x_scale": 1.3, "y_scale": 1.0})
        # Objectives are in different units (streams, articles, plays): compare the share
        # reached per axis, not the raw sums.
        reached = self.wb.add_chart({"type": "bar"})
        reached.add_series({"name": word("reached", lang),
                            "categories": rng(0, top2 + 1, axis_last),
                            "values": rng(7, top2 + 1, axis_last),
                            "data_labels": {"value": True, "num_format": "0%"}})
        reached.set_title({"name": word("objective_vs_result", lang)})
        reached.set_legend({"none": True})
        reached.set_x_axis({"num_format": "0%", "min": 0})
        ws.insert_chart(33, 8, reached, {"x_scale": 1.3, "y_scale": 1.0})

    # ---- Report and History: filled by `report --write-sheet` ------------------
    def report_sheets(self) -> None:
        lang = self.lang
        ws = self.wb.add_worksheet(sheet_name("report", lang))
        ws.write_string(0, 0, word("report_hint", lang), self.f_help)
        ws.set_column(0, 0, 60)
        hs = self.wb.add_worksheet(sheet_name("history", lang))
        for c, (_, fr, en) in enumerate(HISTORY_COLUMNS):
            hs.write_string(0, c, fr if lang == "fr" else en, self.f_header)
            fmt = self.f_date if c == 0 else (self.f_money if c in (5, 6) else self.f_int)
            hs.set_column(c, c, 14 if c < 2 else 11, fmt)
        hs.write_comment(0, 0, word("history_hint", lang))
        hs.freeze_panes(1, 0)

    def _late(self, t: Task) -> bool:
        return (t.status not in DONE_OR_CANCELLED
                and self.dates[t.id].deadline < self.today)


def write_new(plan: Plan, dates: dict[str, Scheduled], path: Path, today: dt.date, *,
              macro: bool = False, lite: bool = False,
              lite_requirement: str | None = None) -> None:
    """Write a new plan workbook at `path` (atomically: a temporary file, then rename).

    `macro`: an .xlsm with the Excel buttons (Recalculer/Recompute, Rapport/Report) on
    Planning and the installed xlwings' VBA (see xlsx/macro.py). `lite`: the same buttons
    for xlwings Lite, with their scripts in the workbook (see xlsx/lite.py);
    `lite_requirement` replaces `retrosheet==VERSION` in its requirements.txt.
    """
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {
            "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False,
        })
        st = plan.settings
        wb.set_properties({"title": st.title or "Rétroplanning", "author": st.artist,
                           "comments": "retrosheet"})
        wb.set_calc_mode("auto")
        w = _Writer(wb, plan, dates, today)
        w.planning()
        w.contacts()
        w.settings()
        w.dashboard()
        w.report_sheets()
        wb.close()
        if macro:
            from .macro import Place, add_macros

            lang = plan.settings.lang
            add_macros(tmp, tmp, Place(sheet_name("planning", lang), 0, L.COL["action"], lang))
        if lite:
            from .lite import add_lite
            from .macro import Place

            lang = plan.settings.lang
            add_lite(tmp, tmp, Place(sheet_name("planning", lang), 0, L.COL["action"], lang),
                     lite_requirement)
