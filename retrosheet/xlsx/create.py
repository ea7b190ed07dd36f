"""A new plan written as a formatted, live .xlsx with XlsxWriter.

The workbook is the design of retrosheet/design (sheets, cells, looks, rules, dropdowns,
charts, page setup); this module only renders it. XlsxWriter writes each formula together
with its cached value, so readers without a calculation engine (previews, pandas,
calamine) see the engine's figures, while Excel, LibreOffice and Google Sheets recompute
them live from the Settings sheet.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .. import layout as L
from ..design import Chart, Look, SheetDesign, Workbook, build_workbook
from ..labels import sheet_name
from ..model import Plan, Scheduled
from ..store import Written
from ..values import column_letter
from .safe import atomic_path


class _PlainFormulas(Worksheet):
    """A worksheet that skips XlsxWriter's scan for post-2010 function names.

    That scan runs ~30 regular expressions over every formula (6 s for 10,000 rows);
    ours use only functions every Excel since 2007 knows, but MAXIFS and MINIFS (Excel
    2019), which the scan would prefix: they are prefixed here, on the Dashboard's formulas.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        formula = formula[1:] if formula.startswith("=") else formula
        if formula.startswith("{="):
            formula = formula[2:-1]
        return formula.replace("MAXIFS(", "_xlfn.MAXIFS(").replace("MINIFS(", "_xlfn.MINIFS(")


def _format(look: Look) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, on in (("bold", look.bold), ("italic", look.italic), ("text_wrap", look.wrap)):
        if on:
            out[key] = True
    if look.size:
        out["font_size"] = look.size
    if look.color:
        out["font_color"] = look.color
    if look.fill:
        out["bg_color"] = look.fill
    if look.border:
        out["border"] = 1
    if look.align:
        out["align"] = look.align
    if look.top:
        out["valign"] = "top"
    elif look.middle:
        out["valign"] = "vcenter"
    if look.rotation:
        out["rotation"] = look.rotation
    if look.number_format:
        out["num_format"] = look.number_format
    return out


class _Renderer:
    def __init__(self, wb: xlsxwriter.Workbook, design: Workbook) -> None:
        self.wb = wb
        self.design = design
        self.formats: dict[str, Format] = {}

    def fmt(self, name: str | None) -> Format | None:
        if name is None:
            return None
        if name not in self.formats:
            self.formats[name] = self.wb.add_format(_format(self.design.looks[name]))
        return self.formats[name]

    def sheet(self, sh: SheetDesign) -> None:
        ws = self.wb.add_worksheet(sh.title, worksheet_class=_PlainFormulas)
        for col in sh.columns:
            ws.set_column(col.first, col.last, col.width, self.fmt(col.look),
                          {"hidden": True} if col.width == 0 else None)
        for r, height in sh.heights.items():
            if height:
                ws.set_row(r, height)
            else:
                ws.set_row(r, None, None, {"hidden": True})
        table_header = 0 if sh.table else -1
        if sh.table:
            name, last_row, last_col = sh.table
            ws.add_table(0, 0, last_row, last_col, {
                "name": name, "style": "Table Style Light 9",
                "columns": [{"header": str(sh.cells[(0, c)].value),
                             "header_format": self.fmt(sh.cells[(0, c)].look)}
                            for c in range(last_col + 1)]})
        for r0, c0, r1, c1 in sh.merges:
            # Merged blank first: the first cell's own value or formula is written below.
            first = sh.cells.get((r0, c0))
            ws.merge_range(r0, c0, r1, c1, "", self.fmt(first.look if first else None))
        for (r, c), cell in sh.cells.items():
            if r == table_header and sh.table and c <= sh.table[2]:
                continue  # written by add_table
            fmt = self.fmt(cell.look)
            if cell.formula is not None:
                cached = "" if cell.cached is None else cell.cached
                if cell.array:
                    ws.write_array_formula(r, c, r, c, cell.formula, fmt, cached)
                else:
                    ws.write_formula(r, c, cell.formula, fmt, cached)
            elif isinstance(cell.value, str):
                # write_string: text from a template never turns into a formula or a link
                ws.write_string(r, c, cell.value, fmt)
            elif cell.value is not None:
                ws.write_number(r, c, cell.value, fmt)
            elif fmt is not None:
                ws.write_blank(r, c, None, fmt)
            if cell.note:
                ws.write_comment(r, c, cell.note)
        if sh.filter:
            ws.autofilter(0, 0, *sh.filter)
        if sh.freeze != (0, 0):
            ws.freeze_panes(*sh.freeze)
        for rule in sh.rules:
            ws.conditional_format(rule.first_row, rule.first_col, rule.last_row, rule.last_col,
                                  {"type": "formula", "criteria": rule.formula,
                                   "format": self.fmt(rule.look)})
        for v in sh.validations:
            opts: dict[str, Any] = {"error_title": v.title, "error_message": v.message}
            if v.kind == "list":
                opts |= {"validate": "list", "source": "=" + v.source,
                         "error_type": "stop" if v.strict else "information"}
            else:
                opts |= {"validate": "integer", "criteria": "between", "minimum": v.low,
                         "maximum": v.high}
            ws.data_validation(v.first_row, v.col, v.last_row, v.col, opts)
        for chart in sh.charts:
            self.chart(ws, sh, chart)
        self.page(ws, sh)

    def chart(self, ws: Worksheet, sh: SheetDesign, ch: Chart) -> None:
        t = L.quote_sheet(sh.title)

        def rng(col: int, r0: int, r1: int) -> str:
            x = column_letter(col)
            return f"={t}!${x}${r0 + 1}:${x}${r1 + 1}"

        chart = self.wb.add_chart({"type": ch.kind})
        assert chart is not None
        cats = ch.categories
        for s in ch.series:
            series: dict[str, Any] = {
                "name": f"={t}!${column_letter(s.col)}${s.first_row + 1}",
                "categories": rng(cats.col, cats.first_row + 1, cats.last_row),
                "values": rng(s.col, s.first_row + 1, s.last_row)}
            if ch.labels:
                series["data_labels"] = {"value": True, **(
                    {"num_format": "0%"} if ch.percent else {})}
            chart.add_series(series)
        chart.set_title({"name": ch.title})
        if ch.legend == "none":
            chart.set_legend({"none": True})
        elif ch.legend == "bottom":
            chart.set_legend({"position": "bottom"})
        if ch.percent:
            chart.set_x_axis({"num_format": "0%", "min": 0})
        ws.insert_chart(ch.row, ch.col, chart, {"x_scale": ch.width / 480,
                                                "y_scale": ch.height / 288,
                                                "object_position": 3})

    @staticmethod
    def page(ws: Worksheet, sh: SheetDesign) -> None:
        pg = sh.page
        ws.set_paper(9 if pg.paper == "A4" else 1)
        if pg.landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        if pg.fit_width:
            ws.fit_to_pages(pg.fit_width, pg.fit_height)
        elif pg.scale:
            ws.set_print_scale(pg.scale)
        if pg.repeat_rows:
            ws.repeat_rows(*pg.repeat_rows)
        if pg.repeat_cols:
            ws.repeat_columns(*pg.repeat_cols)
        if pg.area:
            ws.print_area(*pg.area)
        if pg.col_breaks:
            ws.set_v_pagebreaks(list(pg.col_breaks))
        if pg.across_first:
            ws.print_across()
        left, right, top, bottom = pg.margins
        ws.set_margins(left, right, top, bottom)
        if pg.center:
            ws.center_horizontally()
        ws.set_header("", {"margin": 0.1})
        ws.set_footer("&L&A&R&P / &N", {"margin": 0.15})


def write_new(plan: Plan, dates: dict[str, Scheduled], path: Path, today: dt.date, *,
              macro: bool = False, lite: bool = False,
              lite_requirement: str | None = None) -> None:
    """Write a new plan workbook at `path` (atomically: a temporary file, then rename).

    `macro`: an .xlsm with the Excel buttons (Recalculer/Recompute, Rapport/Report) on
    Planning and the installed xlwings' VBA (see xlsx/macro.py). `lite`: the same buttons
    for xlwings Lite, with their scripts in the workbook (see xlsx/lite.py);
    `lite_requirement` replaces `retrosheet==VERSION` in its requirements.txt.
    """
    NewFile(path, macro, lite, lite_requirement).create(build_workbook(plan, dates, today),
                                                        plan)


@dataclass(frozen=True)
class NewFile:
    """`new -o PATH`: the plan's workbook design rendered by XlsxWriter into a file (see
    `write_new` for the buttons)."""

    path: Path
    macro: bool = False
    lite: bool = False
    lite_requirement: str | None = None

    def create(self, design: Workbook, plan: Plan) -> Written:
        with atomic_path(self.path) as tmp:
            # Built in memory, written by us: XlsxWriter's own file would leak on a full
            # disk. in_memory: no temporary file a part either (writing and deleting a
            # dozen of them took longer than building the workbook).
            buf = io.BytesIO()
            wb = xlsxwriter.Workbook(buf, {
                "strings_to_numbers": False, "strings_to_formulas": False,
                "strings_to_urls": False, "in_memory": True,
            })
            st = plan.settings
            wb.set_properties({"title": st.title or "Rétroplanning", "author": st.artist,
                               "comments": "retrosheet"})
            wb.set_calc_mode("auto")
            r = _Renderer(wb, design)
            for sh in design.sheets:
                r.sheet(sh)
            wb.close()
            tmp.write_bytes(buf.getvalue())  # an OSError here (full disk) is one line
            if self.macro or self.lite:  # the buttons, on the Action column's header
                from .lite import add_lite
                from .macro import Place, add_macros

                lang = plan.settings.lang
                place = Place(sheet_name("planning", lang), 0, L.COL["action"], lang)
                if self.macro:
                    add_macros(tmp, tmp, place)
                if self.lite:
                    add_lite(tmp, tmp, place, self.lite_requirement)
        return Written(str(self.path))
