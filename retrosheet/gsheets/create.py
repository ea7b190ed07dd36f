"""A new plan written into Google Sheets: the README's workbook as Sheets API requests.

The same sheets, columns, live formulas (retrosheet/layout.py), dropdown lists, colours
and number formats as the .xlsx writer (retrosheet/xlsx/create.py), sent in as few
requests as docs/contract.md §9 allows:

- ``--gsheet-new TITLE``: spreadsheets.create (the six sheets' properties), then one
  spreadsheets.batchUpdate with every cell, format, width, rule, dropdown and chart;
  sharing it with someone (a service account's sheet is invisible otherwise) is a third
  request, to Drive;
- ``--gsheet KEY``: spreadsheets.get (which sheets are there), then one batchUpdate that
  adds the six sheets, fills them, and removes the spreadsheet's lone empty sheet.

Sheets computes the formulas itself, so no cached values are sent (unlike the .xlsx).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

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
from ..model import Task
from ..new import NewPlan
from ..values import column_letter, to_serial
from ..xlsx.create import (
    DONE_FONT,
    DONE_OR_CANCELLED,
    DUE_FILL,
    LATE_FILL,
    MILESTONE_FILL,
    SPAN_FILL,
    TODAY_FILL,
    VALIDATION_EXTRA_ROWS,
    _or_equals,
)
from . import sheet_url, style
from .cells import Json, grid_range, localize, update_cells
from .client import Sheets, SheetsError
from .sheet import book_of

SHEET_KEYS = ("planning", "contacts", "settings", "dashboard", "report", "history")
SHEETS_GRID_ROWS = 1000  # what Google gives a new sheet
SHEETS_GRID_COLS = 26
LOCALES = {"fr": "fr_FR", "en": "en_US"}
TIME_ZONES = {"FR": "Europe/Paris", "BE": "Europe/Brussels", "CH": "Europe/Zurich",
              "LU": "Europe/Luxembourg", "MC": "Europe/Monaco", "DE": "Europe/Berlin",
              "GB": "Europe/London", "IE": "Europe/Dublin", "ES": "Europe/Madrid",
              "IT": "Europe/Rome", "NL": "Europe/Amsterdam", "PT": "Europe/Lisbon",
              "CA": "America/Toronto", "US": "America/New_York"}
# Fields read to add a plan to an existing spreadsheet: are its sheets empty?
PROBE_FIELDS = ("spreadsheetId,properties(title,locale),sheets(properties(sheetId,title,index,"
                "gridProperties(rowCount,columnCount)),data(rowData(values(userEnteredValue))))")


@dataclass
class Created:
    """Where the new plan is."""

    key: str
    url: str
    title: str
    sheet_ids: dict[str, int]
    shared_with: str | None = None
    requests: int = 0


# ---- the plan as requests ---------------------------------------------------------------

@dataclass
class _Sheet:
    key: str
    id: int
    title: str
    rows: int
    cols: int
    frozen_rows: int = 0
    frozen_cols: int = 0

    def properties(self, index: int) -> Json:
        grid: Json = {"rowCount": self.rows, "columnCount": self.cols}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_cols:
            grid["frozenColumnCount"] = self.frozen_cols
        return {"sheetId": self.id, "title": self.title, "index": index,
                "gridProperties": grid}


@dataclass
class PlanRequests:
    """A new plan as the sheets to add and the batchUpdate requests that fill them."""

    sheets: list[_Sheet]
    requests: list[Json] = field(default_factory=list)


def _text(v: str) -> Json:
    return {"userEnteredValue": {"stringValue": v}} if v else {}


def _num(v: float | None) -> Json:
    return {} if v is None else {"userEnteredValue": {"numberValue": v}}


class _Builder:
    def __init__(self, made: NewPlan, today: dt.date, ids: dict[str, int], locale: str) -> None:
        self.plan = made.plan
        self.dates = made.dates
        self.today = today
        self.lang = lang = made.plan.settings.lang
        self.locale = locale
        self.refs = L.Refs(sheet_name("settings", lang))
        self.rows = sorted(self.plan.tasks,
                           key=lambda t: (self.dates[t.id].deadline, self.dates[t.id].start))
        self.weeks = L.strip_weeks(self.plan.settings.release, self.dates.values())
        n = len(self.rows)
        strip_cols = L.STRIP_FIRST_COL + len(self.weeks)
        self.sheets = {
            "planning": _Sheet("planning", ids["planning"], sheet_name("planning", lang),
                               n + 1 + VALIDATION_EXTRA_ROWS, strip_cols, 1,
                               L.COL["action"] + 1),
            "contacts": _Sheet("contacts", ids["contacts"], sheet_name("contacts", lang),
                               VALIDATION_EXTRA_ROWS + 1, SHEETS_GRID_COLS, 1),
            "settings": _Sheet("settings", ids["settings"], sheet_name("settings", lang),
                               SHEETS_GRID_ROWS, SHEETS_GRID_COLS),
            "dashboard": _Sheet("dashboard", ids["dashboard"], sheet_name("dashboard", lang),
                                SHEETS_GRID_ROWS, SHEETS_GRID_COLS),
            "report": _Sheet("report", ids["report"], sheet_name("report", lang),
                             SHEETS_GRID_ROWS, SHEETS_GRID_COLS),
            "history": _Sheet("history", ids["history"], sheet_name("history", lang),
                              SHEETS_GRID_ROWS, SHEETS_GRID_COLS, 1),
        }
        self.out: list[Json] = []

    def f(self, formula: str) -> Json:
        return {"userEnteredValue": {"formulaValue": localize(formula, self.locale)}}

    def id(self, key: str) -> int:
        return self.sheets[key].id

    # helpers
    def cells(self, key: str, cells: dict[tuple[int, int], Json],
              fields: str = "userEnteredValue,userEnteredFormat,note") -> None:
        self.out += update_cells(self.id(key), cells, fields)

    def fmt(self, key: str, fmt: Json, r0: int | None, r1: int | None, c0: int, c1: int,
            fields: str) -> None:
        self.out.append({"repeatCell": {
            "range": grid_range(self.id(key), r0, r1, c0, c1),
            "cell": {"userEnteredFormat": fmt}, "fields": fields}})

    def width(self, key: str, c0: int, c1: int, pixels: int) -> None:
        self.out.append({"updateDimensionProperties": {
            "range": {"sheetId": self.id(key), "dimension": "COLUMNS", "startIndex": c0,
                      "endIndex": c1},
            "properties": {"pixelSize": pixels}, "fields": "pixelSize"}})

    def height(self, key: str, row: int, pixels: int) -> None:
        self.out.append({"updateDimensionProperties": {
            "range": {"sheetId": self.id(key), "dimension": "ROWS", "startIndex": row,
                      "endIndex": row + 1},
            "properties": {"pixelSize": pixels}, "fields": "pixelSize"}})

    def rule(self, key: str, ranges: list[Json], formula: str, fmt: Json) -> None:
        index = sum(1 for r in self.out if "addConditionalFormatRule" in r
                    and r["addConditionalFormatRule"]["rule"]["ranges"][0]["sheetId"]
                    == self.id(key))
        self.out.append({"addConditionalFormatRule": {"index": index, "rule": {
            "ranges": ranges,
            "booleanRule": {"condition": {"type": "CUSTOM_FORMULA",
                                          "values": [{"userEnteredValue":
                                                      localize(formula, self.locale)}]},
                            "format": fmt}}}})

    def dropdown(self, key: str, r0: int, r1: int, col: int, name: str, strict: bool) -> None:
        count = len(L.list_values(name, self.lang))
        self.out.append({"setDataValidation": {
            "range": grid_range(self.id(key), r0, r1, col, col + 1),
            "rule": {"condition": {"type": "ONE_OF_RANGE", "values": [
                {"userEnteredValue": "=" + self.refs.list_range(name, count)}]},
                "strict": strict, "showCustomUi": True,
                "inputMessage": ", ".join(L.list_values(name, self.lang))}}})

    def whole_number(self, key: str, r0: int, r1: int, col: int, low: int, high: int,
                     message: str) -> None:
        cell = f"{column_letter(col)}{r0 + 1}"
        formula = f"=AND(ISNUMBER({cell}),{cell}=INT({cell}),{cell}>={low},{cell}<={high})"
        self.out.append({"setDataValidation": {
            "range": grid_range(self.id(key), r0, r1, col, col + 1),
            "rule": {"condition": {"type": "CUSTOM_FORMULA", "values": [
                {"userEnteredValue": localize(formula, self.locale)}]},
                "strict": True, "inputMessage": message}}})

    # ---- Planning ---------------------------------------------------------------------
    def planning(self) -> None:
        lang, C, sh = self.lang, L.COL, self.sheets["planning"]
        n = len(self.rows)
        last_col = len(PLANNING_KEYS) - 1
        formats: dict[str, Json] = {
            "start": style.centered_date(lang), "deadline": style.centered_date(lang),
            "offset": style.offset(), "duration": style.center(), "type": style.center(),
            "id": style.center(), "status": style.center(), "budget": style.money(lang),
            "spent": style.money(lang), "objective": style.integer(),
            "result": style.integer()}
        for k, fmt in formats.items():
            self.fmt("planning", fmt, 1, sh.rows, C[k], C[k] + 1,
                     "userEnteredFormat(numberFormat,horizontalAlignment)")
        cells: dict[tuple[int, int], Json] = {}
        for c, k in enumerate(PLANNING_KEYS):
            cells[(0, c)] = {**_text(header(k, lang)), "userEnteredFormat": style.header()}
        self.cells("planning", cells)
        body: dict[tuple[int, int], Json] = {}
        for i, task in enumerate(self.rows, start=1):
            for c, data in self._task_row(i + 1, task).items():
                body[(i, c)] = data
        self.cells("planning", body, "userEnteredValue")
        for k, c in C.items():
            self.width("planning", c, c + 1, style.px(L.WIDTHS[k]))
        self.width("planning", L.SPACER_COL, L.SPACER_COL + 1, style.px(1.5))
        self.height("planning", 0, style.HEADER_ROW_PX)
        self._strip(n)
        self._planning_rules()
        self._planning_validation(n)
        self.out.append({"setBasicFilter": {"filter": {
            "range": grid_range(sh.id, 0, None, 0, last_col + 1)}}})

    def _task_row(self, row1: int, task: Task) -> dict[int, Json]:
        lang, C = self.lang, L.COL
        out: dict[int, Json] = {
            C["id"]: _text(task.id), C["type"]: _text(task.type.label(lang)),
            C["axis"]: _text(axis_label(task.axis, lang)), C["action"]: _text(task.action),
            C["owner"]: _text(task.owner), C["anchor"]: _text(",".join(task.anchors)),
            C["offset"]: _num(task.offset), C["unit"]: _text(task.unit.label(lang)),
            C["duration"]: _num(None if task.is_milestone else task.duration),
            C["start"]: self.f(L.start_formula(row1, self.refs)),
            C["deadline"]: self.f(L.deadline_formula(row1, task.anchors, self.refs)),
            C["status"]: _text((task.status or Status.TODO).label(lang)),
            C["followup"]: _text(task.followup), C["platform"]: _text(task.platform),
            C["kpi"]: _text(task.kpi), C["notes"]: _text(task.notes),
            L.SPACER_COL: self.f('=""'),
        }
        for key in ("objective", "result", "budget", "spent"):
            out[C[key]] = _num(getattr(task, key))
        return out

    def _strip(self, n: int) -> None:
        c0 = L.STRIP_FIRST_COL
        heads = {(0, c0 + j): {**self.f(L.week_header_formula(week, self.refs)),
                               "userEnteredFormat": style.week_header(self.lang)}
                 for j, week in enumerate(self.weeks)}
        self.cells("planning", heads)
        c1 = c0 + len(self.weeks)  # end-exclusive
        self.width("planning", c0, c1, style.px(L.STRIP_WIDTH))
        first = column_letter(c0)
        s, k, t = L.LETTER["start"], L.LETTER["deadline"], L.LETTER["type"]
        milestone = L.is_event_formula(f"${t}2")
        in_week = f"AND(${s}2<={first}$1+6,${k}2>={first}$1)"
        sid = self.id("planning")
        self.rule("planning", [grid_range(sid, 0, None, c0, c1)],
                  f"=AND({first}$1<=TODAY(),TODAY()<{first}$1+7)", style.fill(TODAY_FILL))
        self.rule("planning", [grid_range(sid, 1, None, c0, c1)],
                  f"=AND({milestone},{in_week})", style.fill(MILESTONE_FILL))
        self.rule("planning", [grid_range(sid, 1, None, c0, c1)], f"={in_week}",
                  style.fill(SPAN_FILL))

    def _planning_rules(self) -> None:
        sid = self.id("planning")
        table = [grid_range(sid, 1, None, 0, len(PLANNING_KEYS))]
        st, k = f"${L.LETTER['status']}2", f"${L.LETTER['deadline']}2"
        finished = _or_equals(st, DONE_OR_CANCELLED)
        week_start = "TODAY()-WEEKDAY(TODAY(),3)"
        self.rule("planning", table, f"={finished}", style.font(DONE_FONT))
        self.rule("planning", table, f"=AND(NOT({finished}),{k}<TODAY())", style.fill(LATE_FILL))
        self.rule("planning", table,
                  f"=AND(NOT({finished}),{k}>=TODAY(),{k}<={week_start}+6)", style.fill(DUE_FILL))

    def _planning_validation(self, n: int) -> None:
        end = self.sheets["planning"].rows
        C, lang = L.COL, self.lang
        for key, name, strict in (("status", "status", True), ("axis", "axis", False),
                                  ("unit", "unit", True), ("type", "type", True)):
            self.dropdown("planning", 1, end, C[key], name, strict)
        days = " jours" if lang == "fr" else " days"
        self.whole_number("planning", 1, end, C["offset"], -3650, 3650, "-3650 … 3650" + days)
        self.whole_number("planning", 1, end, C["duration"], 1, 366, "1 … 366")

    # ---- Contacts ---------------------------------------------------------------------
    def contacts(self) -> None:
        lang, sh = self.lang, self.sheets["contacts"]
        widths = {"id": 8, "axis": 14, "outlet": 24, "name": 20, "email": 28, "task": 10,
                  "sent": 12, "reply": 14, "replied": 12, "outcome": 24, "followup1": 12,
                  "followup2": 12, "notes": 40}
        keys = [k for k, _, _ in CONTACT_COLUMNS]
        cells: dict[tuple[int, int], Json] = {}
        for c, (key, fr, en) in enumerate(CONTACT_COLUMNS):
            cells[(0, c)] = {**_text(fr if lang == "fr" else en),
                             "userEnteredFormat": style.header()}
            if key in ("sent", "replied", "followup1", "followup2"):
                self.fmt("contacts", style.date(lang), 1, sh.rows, c, c + 1,
                         "userEnteredFormat.numberFormat")
            self.width("contacts", c, c + 1, style.px(widths[key]))
        self.cells("contacts", cells)
        self.height("contacts", 0, style.HEADER_ROW_PX)
        self.out.append({"setBasicFilter": {"filter": {
            "range": grid_range(sh.id, 0, None, 0, len(keys))}}})
        self.dropdown("contacts", 1, sh.rows, keys.index("reply"), "reply", True)
        self.dropdown("contacts", 1, sh.rows, keys.index("axis"), "axis", False)

    # ---- Settings ---------------------------------------------------------------------
    def settings(self) -> None:
        lang, st = self.lang, self.plan.settings
        e = L.DAYS_OFF_COL
        sh = self.sheets["settings"]
        self.fmt("settings", style.date(lang), 2, sh.rows, e, e + 1,
                 "userEnteredFormat.numberFormat")
        cells: dict[tuple[int, int], Json] = {
            (0, 0): {**_text(word("settings_title", lang)), "userEnteredFormat": style.title()}}
        values = {"title": st.title, "artist": st.artist, "lang": lang, "country": st.country,
                  "region": st.region, "template": st.template}
        for key, fr, en in SETTINGS_FIELDS:
            r = L.SETTINGS_ROW[key] - 1
            cells[(r, 0)] = {**_text(fr if lang == "fr" else en),
                             "userEnteredFormat": style.bold()}
            if key == "release":
                cells[(r, 1)] = {**_num(to_serial(st.release)),
                                 "userEnteredFormat": style.input_date(lang)}
                cells[(r, 2)] = {**_text(word("release_help", lang)),
                                 "userEnteredFormat": style.note()}
            elif key == "created":
                cells[(r, 1)] = {**_num(to_serial(self.today)),
                                 "userEnteredFormat": style.date(lang)}
            else:
                cells[(r, 1)] = {**_text(values[key]), "userEnteredFormat": style.input_cell()}
        r = L.TEAM_HEADER_ROW - 1
        cells[(r, 0)] = {**_text(word("team", lang)), "userEnteredFormat": style.bold()}
        for c, key in enumerate(("name", "email", "role")):
            cells[(r + 1, c)] = {**_text(word(key, lang)), "userEnteredFormat": style.header()}
        for i, m in enumerate(st.team):
            for c, v in enumerate((m.name, m.email, m.role)):
                if v:
                    cells[(r + 2 + i, c)] = _text(v)
        cells[(0, e)] = {**_text(word("days_off", lang)), "userEnteredFormat": style.bold(),
                         "note": word("days_off_help", lang)}
        cells[(1, e)] = {**_text(word("date", lang)), "userEnteredFormat": style.header()}
        cells[(1, e + 1)] = {**_text(word("label", lang)), "userEnteredFormat": style.header()}
        for i, (day, label) in enumerate(L.days_off_rows(self.plan.settings, lang)):
            row = L.DAYS_OFF_FIRST_ROW - 1 + i
            cells[(row, e)] = {**_num(to_serial(day)), "userEnteredFormat": style.date(lang)}
            cells[(row, e + 1)] = _text(label)
        names = {"status": header("status", lang), "axis": header("axis", lang),
                 "unit": header("unit", lang), "type": header("type", lang),
                 "reply": word("lists", lang)}
        for j, name in enumerate(L.LISTS):
            c = L.LISTS_FIRST_COL + j
            cells[(0, c)] = {**_text(names[name]), "userEnteredFormat": style.header()}
            for i, v in enumerate(L.list_values(name, lang)):
                cells[(1 + i, c)] = _text(v)
        self.cells("settings", cells)
        self.height("settings", 0, style.TITLE_ROW_PX)
        for c0, c1, w in ((0, 1, 24), (1, 2, 26), (2, 3, 12), (e, e + 1, 12),
                          (e + 1, e + 2, 26),
                          (L.LISTS_FIRST_COL, L.LISTS_FIRST_COL + len(L.LISTS), 16)):
            self.width("settings", c0, c1, style.px(w))

    # ---- Dashboard --------------------------------------------------------------------
    def dashboard(self) -> None:
        lang, sid = self.lang, self.id("dashboard")
        p = L.quote_sheet(sheet_name("planning", lang))
        col = {k: f"{p}!${v}:${v}" for k, v in L.LETTER.items()}
        bold, integer, money = style.bold(), style.integer(), style.money(lang)
        cells: dict[tuple[int, int], Json] = {
            (0, 0): {**_text(word("dashboard_title", lang)), "userEnteredFormat": style.title()},
            (2, 0): {**_text(word("days_to_release", lang)), "userEnteredFormat": bold},
            (2, 1): {**self.f(f"={self.refs.release}-TODAY()"), "userEnteredFormat": integer},
            (3, 0): {**_text(word("late", lang)), "userEnteredFormat": bold},
        }
        not_finished = ",".join(
            f'{col["status"]},"<>{s.label(lg)}"' for s in DONE_OR_CANCELLED for lg in ("fr", "en"))
        cells[(3, 1)] = {**self.f(f'=COUNTIFS({col["deadline"]},"<"&TODAY(),{not_finished})'),
                         "userEnteredFormat": integer}
        top = 5
        cells[(top, 0)] = {**_text(word("status", lang)), "userEnteredFormat": style.header()}
        cells[(top, 1)] = {**_text(word("count", lang)), "userEnteredFormat": style.header()}
        for i, s in enumerate(Status):
            cells[(top + 1 + i, 0)] = _text(s.label(lang))
            cells[(top + 1 + i, 1)] = {
                **self.f(f'=COUNTIF({col["status"]},"{s.fr}")+COUNTIF({col["status"]},"{s.en}")'),
                "userEnteredFormat": integer}
        status_last = top + len(Status)
        axes = [a.label(lang) for a in Axis]
        axes += sorted({axis_label(t.axis, lang) for t in self.rows} - set(axes) - {""})
        top2 = status_last + 3
        heads = ("axis", "tasks", "done", "budget", "spent", "objective", "result", "reached")
        cells[(top2 - 1, 0)] = {**_text(word("by_axis", lang)), "userEnteredFormat": bold}
        for c, h in enumerate(heads):
            cells[(top2, c)] = {**_text(word(h, lang)), "userEnteredFormat": style.header()}
        for i, axis in enumerate(axes):
            r = top2 + 1 + i
            ax = f'{col["axis"]},$A{r + 1}'
            cells[(r, 0)] = _text(axis)
            cells[(r, 1)] = {**self.f(f"=COUNTIF({ax})"), "userEnteredFormat": integer}
            done = "=" + "+".join(f'COUNTIFS({ax},{col["status"]},"{label}")'
                                  for label in (Status.DONE.fr, Status.DONE.en))
            cells[(r, 2)] = {**self.f(done), "userEnteredFormat": integer}
            for c, key in ((3, "budget"), (4, "spent"), (5, "objective"), (6, "result")):
                cells[(r, c)] = {**self.f(f"=SUMIF({ax},{col[key]})"),
                                 "userEnteredFormat": money if c in (3, 4) else integer}
            cells[(r, 7)] = {**self.f(f'=IF(F{r + 1}>0,G{r + 1}/F{r + 1},"")'),
                             "userEnteredFormat": style.percent()}
        axis_last = top2 + len(axes)
        self.cells("dashboard", cells)
        self.height("dashboard", 0, style.TITLE_ROW_PX)
        self.width("dashboard", 0, 1, style.px(22))
        self.width("dashboard", 1, 8, style.px(12))
        self._charts(sid, top, status_last, top2, axis_last)

    def _charts(self, sid: int, top: int, status_last: int, top2: int, axis_last: int) -> None:
        lang = self.lang

        def src(c: int, r0: int, r1: int) -> Json:
            return {"sourceRange": {"sources": [grid_range(sid, r0, r1 + 1, c, c + 1)]}}

        def at(row: int, col: int) -> Json:
            return {"overlayPosition": {"anchorCell": {"sheetId": sid, "rowIndex": row,
                                                       "columnIndex": col},
                                        "widthPixels": 520, "heightPixels": 300}}

        self.out.append({"addChart": {"chart": {"spec": {
            "title": word("tasks_by_status", lang),
            "pieChart": {"legendPosition": "RIGHT_LEGEND",
                         "domain": src(0, top + 1, status_last),
                         "series": src(1, top + 1, status_last)}},
            "position": at(1, 8)}}})
        self.out.append({"addChart": {"chart": {"spec": {
            "title": word("budget_vs_spent", lang),
            "basicChart": {"chartType": "COLUMN", "legendPosition": "BOTTOM_LEGEND",
                           "headerCount": 1,
                           "axis": [{"position": "BOTTOM_AXIS"}, {"position": "LEFT_AXIS"}],
                           "domains": [{"domain": src(0, top2, axis_last)}],
                           "series": [{"series": src(c, top2, axis_last),
                                       "targetAxis": "LEFT_AXIS"} for c in (3, 4)]}},
            "position": at(17, 8)}}})
        # Objectives are in different units: compare the share reached per axis.
        self.out.append({"addChart": {"chart": {"spec": {
            "title": word("objective_vs_result", lang),
            "basicChart": {"chartType": "BAR", "legendPosition": "NO_LEGEND",
                           "headerCount": 1,
                           "axis": [{"position": "BOTTOM_AXIS"}, {"position": "LEFT_AXIS"}],
                           "domains": [{"domain": src(0, top2, axis_last)}],
                           "series": [{"series": src(7, top2, axis_last),
                                       "targetAxis": "BOTTOM_AXIS",
                                       "dataLabel": {"type": "DATA"}}]}},
            "position": at(33, 8)}}})

    # ---- Report and History -----------------------------------------------------------
    def report_sheets(self) -> None:
        lang = self.lang
        self.cells("report", {(0, 0): {**_text(word("report_hint", lang)),
                                       "userEnteredFormat": style.note()}})
        self.width("report", 0, 1, style.px(60))
        sh = self.sheets["history"]
        cells: dict[tuple[int, int], Json] = {}
        for c, (_, fr, en) in enumerate(HISTORY_COLUMNS):
            cells[(0, c)] = {**_text(fr if lang == "fr" else en),
                             "userEnteredFormat": style.header()}
            fmt = style.date(lang) if c == 0 else (style.money(lang) if c in (5, 6)
                                                   else style.integer())
            self.fmt("history", fmt, 1, sh.rows, c, c + 1, "userEnteredFormat.numberFormat")
            self.width("history", c, c + 1, style.px(14 if c < 2 else 11))
        cells[(0, 0)]["note"] = word("history_hint", lang)
        self.cells("history", cells)

    def build(self) -> list[Json]:
        self.planning()
        self.contacts()
        self.settings()
        self.dashboard()
        self.report_sheets()
        return self.out


def plan_requests(made: NewPlan, today: dt.date, ids: dict[str, int],
                  locale: str) -> PlanRequests:
    """The six sheets of a new plan (with those sheet ids) and the requests that fill them."""
    b = _Builder(made, today, ids, locale)
    requests = b.build()
    return PlanRequests([b.sheets[k] for k in SHEET_KEYS], requests)


# ---- the two ways in ----------------------------------------------------------------------

def _fixed_ids(taken: Iterable[int] = ()) -> dict[str, int]:
    used = set(taken)
    out: dict[str, int] = {}
    n = 1001
    for key in SHEET_KEYS:
        while n in used:
            n += 1
        out[key] = n
        used.add(n)
    return out


def create_new(made: NewPlan, today: dt.date, title: str, *, api: Sheets,
               share_with: str | None = None) -> Created:
    """`new --gsheet-new TITLE`: a new spreadsheet, filled, and shared with `share_with`."""
    lang = made.plan.settings.lang
    sent = len(api.traffic.requests)
    ids = _fixed_ids()
    locale = LOCALES.get(lang, "en_US")
    pr = plan_requests(made, today, ids, locale)
    props: Json = {"title": title, "locale": locale}
    tz = TIME_ZONES.get(made.plan.settings.country.upper())
    if tz:
        props["timeZone"] = tz
    answer = api.create({"properties": props,
                         "sheets": [{"properties": s.properties(i)}
                                    for i, s in enumerate(pr.sheets)]})
    key = str(answer.get("spreadsheetId", ""))
    if not key:
        raise SheetsError("Google Sheets created no spreadsheet (no spreadsheetId in its answer)")
    api.batch_update(key, pr.requests)
    if share_with:
        api.share(key, share_with)
    return Created(key, sheet_url(key), title, ids, share_with,
                   len(api.traffic.requests) - sent)


def fill_existing(made: NewPlan, today: dt.date, key: str, *, api: Sheets) -> Created:
    """`new --gsheet KEY`: the plan's sheets added to a spreadsheet shared with us.

    A spreadsheet that already has sheets with the plan's names is refused (nothing is
    written); a lone empty sheet (a fresh spreadsheet's "Sheet1") is removed.
    """
    lang = made.plan.settings.lang
    sent = len(api.traffic.requests)
    book = book_of(key, api.get(key, fields=PROBE_FIELDS, include_grid_data=True))
    wanted = {sheet_name(k, lang) for k in SHEET_KEYS}
    from ..labels import sheet_key as kind_of

    clash = [s.title for s in book.sheets
             if s.title in wanted or kind_of(s.title) in ("planning", "settings")]
    if clash:
        raise SheetsError(
            f"the Google Sheet {book.title or key!r} already has a {clash[0]!r} sheet: "
            "retrosheet new fills an empty spreadsheet (use recompute on an existing plan, or "
            "--gsheet-new TITLE for a new spreadsheet)")
    ids = _fixed_ids(s.id for s in book.sheets)
    pr = plan_requests(made, today, ids, book.locale)
    requests: list[Json] = [{"addSheet": {"properties": s.properties(i)}}
                            for i, s in enumerate(pr.sheets)]
    if len(book.sheets) == 1 and book.sheets[0].used_rows() == 0:
        requests.append({"deleteSheet": {"sheetId": book.sheets[0].id}})
    api.batch_update(key, requests + pr.requests)
    return Created(key, sheet_url(key), book.title, ids, None, len(api.traffic.requests) - sent)

