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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..design import Chart, SheetDesign, Workbook, build_workbook
from ..errors import msg
from ..labels import sheet_name
from ..model import Plan
from ..new import NewPlan
from ..store import Written
from ..values import column_letter
from . import sheet_url, style
from .cells import Json, grid_range, localize, update_cells
from .client import Sheets, SheetsError
from .sheet import book_of

SHEET_KEYS = ("planning", "contacts", "settings", "dashboard", "report", "history")
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


class _Builder:
    """The design's sheets as batchUpdate requests (Sheets has no page setup: the
    design's print settings live in the .xlsx only)."""

    def __init__(self, design: Workbook, ids: dict[str, int], locale: str) -> None:
        self.design = design
        self.locale = locale
        self.formats = {k: style.cell_format(v) for k, v in self.design.looks.items()}
        self.sheets = {
            sh.key: _Sheet(sh.key, ids[sh.key], sh.title, sh.rows, sh.cols, *sh.freeze)
            for sh in self.design.sheets}
        self.out: list[Json] = []

    def f(self, formula: str, array: bool = False) -> Json:
        body = localize(formula, self.locale)
        if array:
            body = f"=ARRAYFORMULA({body[1:]})"
        return {"userEnteredValue": {"formulaValue": body}}

    def sheet(self, sh: SheetDesign) -> None:
        sid = self.sheets[sh.key].id
        for col in sh.columns:
            rng = {"sheetId": sid, "dimension": "COLUMNS", "startIndex": col.first,
                   "endIndex": col.last + 1}
            if col.width == 0:
                self.out.append({"updateDimensionProperties": {
                    "range": rng, "properties": {"hiddenByUser": True},
                    "fields": "hiddenByUser"}})
            else:
                self.out.append({"updateDimensionProperties": {
                    "range": rng, "properties": {"pixelSize": style.px(col.width)},
                    "fields": "pixelSize"}})
            if col.look:
                self.out.append({"repeatCell": {
                    "range": grid_range(sid, 0, sh.rows, col.first, col.last + 1),
                    "cell": {"userEnteredFormat": self.formats[col.look]},
                    "fields": "userEnteredFormat"}})
        for r, points in sh.heights.items():
            props: Json = {"pixelSize": style.row_px(points)} if points else {
                "hiddenByUser": True}
            self.out.append({"updateDimensionProperties": {
                "range": {"sheetId": sid, "dimension": "ROWS", "startIndex": r,
                          "endIndex": r + 1},
                "properties": props, "fields": next(iter(props))}})
        styled: dict[tuple[int, int], Json] = {}
        plain: dict[tuple[int, int], Json] = {}
        for at, cell in sh.cells.items():
            data: Json = {}
            if cell.formula is not None:
                data = self.f(cell.formula, cell.array)
            elif isinstance(cell.value, str):
                data = {"userEnteredValue": {"stringValue": cell.value}} if cell.value else {}
            elif cell.value is not None:
                data = {"userEnteredValue": {"numberValue": cell.value}}
            if cell.note:
                data["note"] = cell.note
            if cell.look:
                data["userEnteredFormat"] = self.formats[cell.look]
                styled[at] = data
            else:
                plain[at] = data
        self.out += update_cells(sid, styled, "userEnteredValue,userEnteredFormat,note")
        self.out += update_cells(sid, plain, "userEnteredValue,note")
        for rule in sh.rules:
            fmt = style.rule_format(self.design.looks[rule.look])
            if self.design.looks[rule.look].number_format:
                continue  # a Sheets conditional format cannot change a number format
            self.out.append({"addConditionalFormatRule": {
                "index": sum(1 for r in sh.rules[:sh.rules.index(rule)]
                             if not self.design.looks[r.look].number_format),
                "rule": {"ranges": [grid_range(sid, rule.first_row,
                                               None if rule.grow else rule.last_row + 1,
                                               rule.first_col, rule.last_col + 1)],
                         "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [
                             {"userEnteredValue": localize(rule.formula, self.locale)}]},
                             "format": fmt}}}})
        for v in sh.validations:
            rng = grid_range(sid, v.first_row, v.last_row + 1, v.col, v.col + 1)
            if v.kind == "list":
                check: Json = {"condition": {"type": "ONE_OF_RANGE", "values": [
                    {"userEnteredValue": "=" + v.source}]},
                    "strict": v.strict, "showCustomUi": True, "inputMessage": v.message}
            else:
                a1 = f"{column_letter(v.col)}{v.first_row + 1}"
                formula = (f"=AND(ISNUMBER({a1}),{a1}=INT({a1}),{a1}>={v.low},"
                           f"{a1}<={v.high})")
                check = {"condition": {"type": "CUSTOM_FORMULA", "values": [
                    {"userEnteredValue": localize(formula, self.locale)}]},
                    "strict": True, "inputMessage": v.message}
            self.out.append({"setDataValidation": {"range": rng, "rule": check}})
        for r0, c0, r1, c1 in sh.merges:
            self.out.append({"mergeCells": {"range": grid_range(sid, r0, r1 + 1, c0, c1 + 1),
                                            "mergeType": "MERGE_ALL"}})
        if sh.table or sh.filter:
            last_col = sh.table[2] if sh.table else (sh.filter or (0, 0))[1]
            self.out.append({"setBasicFilter": {"filter": {
                "range": grid_range(sid, 0, None, 0, last_col + 1)}}})
        for chart in sh.charts:
            self.chart(sid, chart)

    def chart(self, sid: int, ch: Chart) -> None:
        def src(col: int, r0: int, r1: int) -> Json:
            return {"sourceRange": {"sources": [grid_range(sid, r0, r1 + 1, col, col + 1)]}}

        position = {"overlayPosition": {
            "anchorCell": {"sheetId": sid, "rowIndex": ch.row, "columnIndex": ch.col},
            "widthPixels": ch.width, "heightPixels": ch.height}}
        cats = ch.categories
        if ch.kind == "pie":
            s = ch.series[0]
            spec: Json = {"title": ch.title, "pieChart": {
                "legendPosition": "RIGHT_LEGEND",
                "domain": src(cats.col, cats.first_row + 1, cats.last_row),
                "series": src(s.col, s.first_row + 1, s.last_row)}}
        else:
            target = "BOTTOM_AXIS" if ch.kind == "bar" else "LEFT_AXIS"
            series: list[Json] = []
            for s in ch.series:
                one: Json = {"series": src(s.col, s.first_row, s.last_row),
                             "targetAxis": target}
                if ch.labels:
                    one["dataLabel"] = {"type": "DATA"}
                series.append(one)
            legend = {"right": "RIGHT_LEGEND", "bottom": "BOTTOM_LEGEND",
                      "none": "NO_LEGEND"}[ch.legend]
            spec = {"title": ch.title, "basicChart": {
                "chartType": ch.kind.upper(), "legendPosition": legend, "headerCount": 1,
                "axis": [{"position": "BOTTOM_AXIS"}, {"position": "LEFT_AXIS"}],
                "domains": [{"domain": src(cats.col, cats.first_row, cats.last_row)}],
                "series": series}}
        self.out.append({"addChart": {"chart": {"spec": spec, "position": position}}})

    def build(self) -> list[Json]:
        for sh in self.design.sheets:
            self.sheet(sh)
        return self.out


def plan_requests(design: Workbook, ids: dict[str, int], locale: str) -> PlanRequests:
    """The six sheets of a new plan (with those sheet ids) and the requests that fill them."""
    b = _Builder(design, ids, locale)
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


@dataclass
class NewSheet:
    """`new --gsheet-new TITLE` (a spreadsheet made, filled, and shared with `share_with`)
    or `new --gsheet KEY` (the plan's sheets added to an empty spreadsheet): the workbook
    design as batchUpdate requests. `connect` signs in when the plan is written, so what
    is wrong with the template is said first."""

    connect: Callable[[], Sheets]
    key: str | None = None  # None: a new spreadsheet called `title`
    title: str = ""
    share_with: str | None = None
    created: Created | None = None  # once written: where, and how many requests it took

    def create(self, design: Workbook, plan: Plan) -> Written:
        api = self.connect()
        if self.key is None:
            self.created = _create_new(design, plan, self.title, api, self.share_with)
        else:
            self.created = _fill_existing(design, self.key, api)
        me = api.identity
        hidden = self.key is None and not self.share_with and me.service_account
        return Written(self.created.url, (me.email or "") if hidden else None)


def create_new(made: NewPlan, today: dt.date, title: str, *, api: Sheets,
               share_with: str | None = None) -> Created:
    """`new --gsheet-new TITLE` for a plan made already (the library's way in)."""
    return _create_new(build_workbook(made.plan, made.dates, today), made.plan, title, api,
                       share_with)


def fill_existing(made: NewPlan, today: dt.date, key: str, *, api: Sheets) -> Created:
    """`new --gsheet KEY` for a plan made already (the library's way in)."""
    return _fill_existing(build_workbook(made.plan, made.dates, today), key, api)


def _create_new(design: Workbook, plan: Plan, title: str, api: Sheets,
                share_with: str | None) -> Created:
    sent = len(api.traffic.requests)
    ids = _fixed_ids()
    locale = LOCALES.get(design.lang, "en_US")
    pr = plan_requests(design, ids, locale)
    props: Json = {"title": title, "locale": locale}
    tz = TIME_ZONES.get(plan.settings.country.upper())
    if tz:
        props["timeZone"] = tz
    answer = api.create({"properties": props,
                         "sheets": [{"properties": s.properties(i)}
                                    for i, s in enumerate(pr.sheets)]})
    key = str(answer.get("spreadsheetId", ""))
    if not key:
        raise SheetsError(msg("err.surface.sheets.not_created"))
    api.batch_update(key, pr.requests)
    if share_with:
        api.share(key, share_with)
    return Created(key, sheet_url(key), title, ids, share_with,
                   len(api.traffic.requests) - sent)


def _fill_existing(design: Workbook, key: str, api: Sheets) -> Created:
    """The plan's sheets added to a spreadsheet shared with us.

    A spreadsheet that already has sheets with the plan's names is refused (nothing is
    written); a lone empty sheet (a fresh spreadsheet's "Sheet1") is removed.
    """
    lang = design.lang
    sent = len(api.traffic.requests)
    book = book_of(key, api.get(key, fields=PROBE_FIELDS, include_grid_data=True))
    wanted = {sheet_name(k, lang) for k in SHEET_KEYS}
    from ..labels import sheet_key as kind_of

    clash = [s.title for s in book.sheets
             if s.title in wanted or kind_of(s.title) in ("planning", "settings")]
    if clash:
        raise SheetsError(msg("err.surface.sheets.not_empty", title=repr(book.title or key),
                              sheet=repr(clash[0])))
    ids = _fixed_ids(s.id for s in book.sheets)
    pr = plan_requests(design, ids, book.locale)
    requests: list[Json] = [{"addSheet": {"properties": s.properties(i)}}
                            for i, s in enumerate(pr.sheets)]
    if len(book.sheets) == 1 and book.sheets[0].used_rows() == 0:
        requests.append({"deleteSheet": {"sheetId": book.sheets[0].id}})
    api.batch_update(key, requests + pr.requests)
    return Created(key, sheet_url(key), book.title, ids, None, len(api.traffic.requests) - sent)

