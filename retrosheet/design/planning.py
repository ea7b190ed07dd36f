"""The Planning sheet: the task table with live dates, its week strip, rules and dropdowns."""

from __future__ import annotations

import datetime as dt

from .. import layout as L
from ..labels import PLANNING_KEYS, Status, TaskType, axis_label, header, sheet_name
from ..model import Task
from ..values import column_letter, to_serial
from ..words import t
from .context import DONE_OR_CANCELLED, VALIDATION_EXTRA_ROWS, Context, or_equals
from .model import Page, Rule, SheetDesign, Validation

COLUMN_LOOKS = {"start": "date", "deadline": "date", "offset": "offset", "duration": "center",
                "type": "center", "id": "center", "status": "center", "budget": "money",
                "spent": "money", "objective": "int", "result": "int", "action": "wrap",
                "notes": "wrap", "platform": "wrap", "kpi": "wrap", "axis": "wrap",
                "owner": "wrap", "followup": "center", "anchor": "center", "unit": "wrap"}
PRINT_LAST = "status"  # the last printed column


def planning(cx: Context) -> SheetDesign:
    lang, n = cx.lang, len(cx.rows)
    last_col = len(PLANNING_KEYS) - 1
    strip_cols = L.STRIP_FIRST_COL + len(cx.weeks)
    sh = SheetDesign("planning", sheet_name("planning", lang), n + 1 + VALIDATION_EXTRA_ROWS,
                     strip_cols, freeze=(1, L.COL["action"] + 1), table=("tblPlanning", n,
                                                                          last_col))
    for c, k in enumerate(PLANNING_KEYS):
        sh.put(0, c, header(k, lang), "header")
        sh.width(c, c, L.WIDTHS[k], COLUMN_LOOKS.get(k, "text"))
    sh.heights[0] = 30
    for i, task in enumerate(cx.rows, start=1):
        _task_row(cx, sh, i, task)
    sh.width(L.SPACER_COL, L.SPACER_COL, 1.5)
    _strip(cx, sh, n)
    _rules(sh, n)
    _validations(cx, sh, n)
    # Printed: ID → Statut (who does what, when), landscape, one page wide, the header
    # row on every page; the week strip, results and notes stay on screen.
    sh.page = Page(cx.paper, landscape=True, repeat_rows=(0, 0),
                   area=(0, 0, max(n, 1), L.COL[PRINT_LAST]), margins=(0.25, 0.25, 0.3, 0.4))
    return sh


LINE_POINTS = 15  # a line of Calibri 11


def text_lines(text: str, width: float) -> int:
    """Lines `text` takes wrapped in a column `width` characters wide (words kept whole).

    Spreadsheets do not all fit a row to wrapped text when they open a file (LibreOffice
    does not), so rows get an explicit height from this estimate.
    """
    per_line = max(int(width * 1.2) - 1, 1)  # text averages narrower than the digit "0"
    lines, used = 1, 0
    for w in text.split():
        size = len(w)
        if used and used + 1 + size > per_line:
            lines += 1
            used = 0
        used += size + (1 if used else 0)
        while used > per_line:
            lines += 1
            used -= per_line
    return lines


def _height(sh: SheetDesign, r: int) -> None:
    most = 1
    for key, look in COLUMN_LOOKS.items():
        cell = sh.cells.get((r, L.COL[key]))
        if look == "wrap" and cell is not None and isinstance(cell.value, str):
            most = max(most, text_lines(cell.value, L.WIDTHS[key]))
    if most > 1:
        sh.heights[r] = LINE_POINTS * min(most, 12)


def _task_row(cx: Context, sh: SheetDesign, r: int, task: Task) -> None:
    lang, C = cx.lang, L.COL
    row1 = r + 1
    sched = cx.dates[task.id]
    sh.put(r, C["id"], task.id)
    sh.put(r, C["type"], task.type.label(lang))
    sh.put(r, C["axis"], axis_label(task.axis, lang))
    sh.put(r, C["action"], task.action)
    sh.put(r, C["owner"], task.owner)
    sh.put(r, C["anchor"], ",".join(task.anchors))
    sh.put(r, C["offset"], task.offset, "offset")
    sh.put(r, C["unit"], task.unit.label(lang))
    if task.duration is not None and not task.is_milestone:
        sh.put(r, C["duration"], task.duration, "center")
    sh.put(r, C["start"], None, "date", formula=L.start_formula(row1, cx.refs),
           cached=to_serial(sched.start))
    sh.put(r, C["deadline"], None, "date",
           formula=L.deadline_formula(row1, task.anchors, cx.refs),
           cached=to_serial(sched.deadline))
    sh.put(r, C["status"], (task.status or Status.TODO).label(lang))
    sh.put(r, C["followup"], task.followup)
    sh.put(r, C["platform"], task.platform)
    sh.put(r, C["kpi"], task.kpi)
    for key in ("objective", "result", "budget", "spent"):
        value = getattr(task, key)
        if value is not None:
            sh.put(r, C[key], value)
    sh.put(r, C["notes"], task.notes)
    # ="" stops long notes from spilling over the week strip.
    sh.put(r, L.SPACER_COL, None, formula='=""', cached="")
    _height(sh, r)


def _strip(cx: Context, sh: SheetDesign, n: int) -> None:
    release_monday = L.monday(cx.plan.settings.release)
    c0 = L.STRIP_FIRST_COL
    for j, week in enumerate(cx.weeks):
        monday = release_monday + dt.timedelta(weeks=week)
        sh.put(0, c0 + j, None, "week", formula=L.week_header_formula(week, cx.refs),
               cached=to_serial(monday))
    c1 = c0 + len(cx.weeks) - 1
    sh.width(c0, c1, L.STRIP_WIDTH)
    first = column_letter(c0)
    s, k, t = L.LETTER["start"], L.LETTER["deadline"], L.LETTER["type"]
    milestone = L.is_event_formula(f"${t}2")
    in_week = f"AND(${s}2<={first}$1+6,${k}2>={first}$1)"
    rows = max(n, 1)
    sh.rules += [
        Rule(0, rows, c0, c1, f"=AND({first}$1<=TODAY(),TODAY()<{first}$1+7)", "today", True),
        Rule(1, rows, c0, c1, f"=AND({milestone},{in_week})", "milestone", True),
        Rule(1, rows, c0, c1, f"={in_week}", "span", True),
    ]


def _rules(sh: SheetDesign, n: int) -> None:
    last_col = len(PLANNING_KEYS) - 1
    st, k = f"${L.LETTER['status']}2", f"${L.LETTER['deadline']}2"
    finished = or_equals(st, DONE_OR_CANCELLED)
    week_start = "TODAY()-WEEKDAY(TODAY(),3)"
    rows = max(n, 1)
    f, g = L.LETTER["anchor"], L.COL["offset"]
    # A follow-up whose send is not done is neither late nor due (followups.waits_for_send).
    last = n + 1 + VALIDATION_EXTRA_ROWS
    ids, sts = (f"${L.LETTER[c]}$2:${L.LETTER[c]}${last}" for c in ("id", "status"))
    done = "+".join(f'COUNTIFS({ids},${f}2,{sts},"{x}")' for x in Status.DONE.every())
    followup = or_equals(f"${L.LETTER['type']}2", (TaskType.FOLLOWUP,))
    unsent = f"AND({followup},COUNTIFS({ids},${f}2)>0,{done}=0)"
    waits = f"OR({finished},{unsent})"
    sh.rules += [
        Rule(1, rows, 0, last_col, f"={finished}", "done", True),
        Rule(1, rows, 0, last_col, f"=AND(NOT({waits}),{k}<TODAY())", "late", True),
        Rule(1, rows, 0, last_col,
             f"=AND(NOT({waits}),{k}>=TODAY(),{k}<={week_start}+6)", "due", True),
        # A number format: Sheets' conditional formats cannot change one, so it skips this.
        Rule(1, rows, g, g, f'=AND(${f}2<>"J",${f}2<>"")', "task_offset", True),
    ]


def _validations(cx: Context, sh: SheetDesign, n: int) -> None:
    last = n + VALIDATION_EXTRA_ROWS
    C, lang = L.COL, cx.lang
    for key, name, strict in (("status", "status", True), ("axis", "axis", False),
                              ("unit", "unit", True), ("type", "type", True)):
        values = L.list_values(name, lang)
        sh.validations.append(Validation(
            1, last, C[key], "list", header(key, lang), ", ".join(values),
            source=cx.refs.list_range(name, len(values)), strict=strict))
    sh.validations.append(Validation(1, last, C["offset"], "whole", header("offset", lang),
                                     t("design.offset_range", lang, low=-3650, high=3650),
                                     low=-3650, high=3650))
    sh.validations.append(Validation(1, last, C["duration"], "whole",
                                     header("duration", lang), "1 … 366", low=1, high=366))
