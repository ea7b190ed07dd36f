"""The Dashboard: live formulas over the Planning that say what the weekly report says.

Counts, budget and spend per axis, results per indicator (retrosheet/results.py: an
indicator is a KPI within an axis, never added to another; a cumulative one counts its
latest measure; its change since the week before is read from History, as the report does)
and the list of what is due this week. Each figure is a formula, so it
follows the Planning as it is edited; the engine's values are cached for readers that do
not calculate. A LibreOffice test holds the computed figures to the report's JSON.
"""

from __future__ import annotations

from .. import layout as L
from ..effective import EffectivePlan
from ..labels import HISTORY_COLUMNS, Status, TaskType, axis_label, header, sheet_name, word
from ..report import Report, Result, build_report
from ..results import by_indicator, counted, is_cumulative
from ..schedule import calendar_for
from ..values import column_letter, to_serial
from ..words import t
from .context import DONE_OR_CANCELLED, VALIDATION_EXTRA_ROWS, Context
from .model import Chart, Page, Rule, Series, SheetDesign
from .planning import LINE_POINTS, text_lines
from .sheets import GRID_COLS, GRID_ROWS

DUE_ROWS = 12  # tasks listed under "due this week"; more are counted below the list
LABEL_WIDTH = 20  # column A: the tables' labels
NAME_WIDTH = 19  # column B: an indicator's name on one line (« auditeurs mensuels »)
ACTION_WIDTH = LABEL_WIDTH + NAME_WIDTH  # A and B, joined in the due list
FIGURE_WIDTH = 10  # C to G: figures
OWNER_WIDTH = 2 * FIGURE_WIDTH  # D and E, joined in the due list
DUE_LINES = 2
CHART_COL = 9  # charts sit right of the tables, on their own printed page
WEEK_END = "(TODAY()-WEEKDAY(TODAY(),3)+6)"


def _words(lang: str) -> dict[str, str]:
    """The Dashboard's own words (catalogue ids `design.dashboard.*`)."""
    return {k: t(f"design.dashboard.{k}", lang) for k in (
        "due_week", "indicators", "indicator", "measured_on", "left", "more", "reached_chart")}


def _not(st: str, statuses: tuple[Status, ...]) -> str:
    """COUNTIFS criteria: `st` is none of `statuses`, in any language's label."""
    return ",".join(f'{st},"<>{x}"' for s in statuses for x in s.every())


def _unsent_row(col: dict[str, str]) -> str:
    """Per Planning row (an array), 1 for a follow-up whose send is not done
    (followups.waits_for_send): a follow-up whose Dépend de is an ID no done row has."""
    st, ids, anchor = col["status"], col["id"], col["anchor"]
    followup = "+".join(f'({col["type"]}="{x}")' for x in TaskType.FOLLOWUP.every())
    done = "+".join(f'COUNTIFS({ids},{anchor},{st},"{x}")' for x in Status.DONE.every())
    return f"(({followup})>0)*(COUNTIFS({ids},{anchor})>0)*(({done})=0)"


def _unsent(col: dict[str, str], rows: str) -> str:
    """How many open rows that `rows` (an array condition) keeps wait for their send: the
    report lists them neither late nor due, so the counts take them off."""
    st = col["status"]
    still_open = "*".join(f'({st}<>"{x}")' for s in DONE_OR_CANCELLED for x in s.every())
    return f"SUMPRODUCT({rows}*{still_open}*{_unsent_row(col)})"


def _late(k: str) -> str:
    """Per row: a deadline before today (COUNTIFS' `"<"&TODAY()`, blanks and text left)."""
    return f"ISNUMBER({k})*({k}<TODAY())"


def _this_week(k: str) -> str:
    return f"ISNUMBER({k})*({k}>=TODAY())*({k}<={WEEK_END})"


def dashboard(cx: Context) -> SheetDesign:
    lang = cx.lang
    ws = _words(lang)
    sh = SheetDesign("dashboard", sheet_name("dashboard", lang), GRID_ROWS, GRID_COLS)
    eff = EffectivePlan(cx.plan, cx.dates, calendar_for(cx.plan.settings))
    rep = build_report(eff, cx.today, findings=[])
    p = L.quote_sheet(sheet_name("planning", lang))
    last = len(cx.rows) + 1 + VALIDATION_EXTRA_ROWS
    col = {k: f"{p}!${v}$2:${v}${last}" for k, v in L.LETTER.items()}
    st = col["status"]
    open_ = _not(st, DONE_OR_CANCELLED)
    live = _not(st, (Status.CANCELLED,))
    k = col["deadline"]

    sh.put(0, 0, word("dashboard_title", lang), "title")
    sh.heights[0] = 24
    due_count = sum(len(xs) for xs in rep.due_this_week.values())
    for r, label, formula, cached in (
        (2, word("days_to_release", lang), f"={cx.refs.release}-TODAY()", rep.days_to_release),
        (3, word("late", lang), f'=COUNTIFS({k},"<"&TODAY(),{open_})'
         f"-{_unsent(col, _late(k))}", len(rep.late)),
        (4, ws["due_week"], f'=COUNTIFS({k},">="&TODAY(),{k},"<="&{WEEK_END},{open_})'
         f"-{_unsent(col, _this_week(k))}", due_count),
    ):
        sh.put(r, 0, label, "bold")
        sh.put(r, 1, None, "int", formula=formula, cached=cached)

    # What is due this week, under the counts: what a manager reads first (and, printed,
    # the tables after it go on to the next page rather than its empty rows)
    top = _due_list(cx, sh, 6, col, k, ws, rep)

    # Tasks by status
    sh.put(top, 0, word("status", lang), "header")
    sh.put(top, 1, word("count", lang), "header")
    for i, s in enumerate(Status):
        count = sum(1 for t in cx.rows if (t.status or Status.TODO) is s)
        sh.put(top + 1 + i, 0, s.label(lang))
        sh.put(top + 1 + i, 1, None, "int", cached=count,
               formula="=" + "+".join(f'COUNTIF({st},"{x}")' for x in s.every()))
    status_last = top + len(Status)

    # By axis: tasks, done, late, budget, spent, left (overspend highlighted)
    progress = {x.axis: x for x in rep.progress}
    money = {r.key: r for r in rep.results_by_axis}
    axes = [a for a in progress if a != "—"]
    top2 = status_last + 2
    sh.put(top2, 0, word("by_axis", lang), "section")
    heads = (word("axis", lang), word("tasks", lang), word("done", lang), word("late", lang),
             word("budget", lang), word("spent", lang), ws["left"])
    for c, h in enumerate(heads):
        sh.put(top2 + 1, c, h, "header")
    first_axis = top2 + 2
    for i, axis in enumerate(axes):
        r = first_axis + i
        ax = f'{col["axis"]},$A{r + 1}'
        pr, mr = progress[axis], money.get(axis)
        sh.put(r, 0, axis)
        sh.put(r, 1, None, "int", formula=f"=COUNTIFS({ax},{live})",
               cached=pr.total - pr.cancelled)
        done = "=" + "+".join(f'COUNTIFS({ax},{st},"{lab}")'
                              for lab in Status.DONE.every())
        sh.put(r, 2, None, "int", formula=done, cached=pr.done)
        on_axis = f"({col['axis']}=$A{r + 1})*{_late(k)}"
        sh.put(r, 3, None, "int", formula=f'=COUNTIFS({ax},{k},"<"&TODAY(),{open_})'
               f"-{_unsent(col, on_axis)}", cached=pr.late)
        budget = (mr.budget if mr else None) or 0
        spent = (mr.spent if mr else None) or 0
        sh.put(r, 4, None, "money", formula=f'=SUMIFS({col["budget"]},{ax},{live})',
               cached=budget)
        sh.put(r, 5, None, "money", formula=f'=SUMIFS({col["spent"]},{ax},{live})',
               cached=spent)
        sh.put(r, 6, None, "money", formula=f"=E{r + 1}-F{r + 1}", cached=budget - spent)
    axis_last = first_axis + len(axes) - 1
    if axes:
        sh.rules.append(Rule(first_axis, axis_last, 5, 6,
                             f"=$F{first_axis + 1}>$E{first_axis + 1}", "late"))

    # Results per indicator
    top3 = max(axis_last, first_axis) + 2
    sh.put(top3, 0, ws["indicators"], "section")
    ind_heads = (word("axis", lang), ws["indicator"], word("objective", lang),
                 word("result", lang), word("reached", lang), ws["measured_on"],
                 t("report.indicator.change", lang))
    for c, h in enumerate(ind_heads):
        sh.put(top3 + 1, c, h, "header")
    # Two lines: "Measured on", "Week on week" wrap in bold at these widths, and
    # LibreOffice does not grow a row to its wrapped text when it opens a file.
    sh.heights[top3 + 1] = 2 * LINE_POINTS
    figures = {(x.key, x.kpi.casefold()): x for x in rep.results_by_indicator}
    first_ind = r = top3 + 2
    for axis in axes:
        tasks = [t for t in counted(cx.plan.tasks) if axis_label(t.axis, lang) == axis]
        for group in by_indicator(tasks).values():
            kpi = group[0].kpi.strip()
            x = figures.get((axis, kpi.casefold()))
            _indicator_row(sh, r, axis, kpi, col, live, x)
            _week_change(sh, r, lang, x)
            r += 1
    ind_last = r - 1
    if ind_last >= first_ind:
        sh.rules.append(Rule(first_ind, ind_last, 4, 4,
                             f'=AND(ISNUMBER($E{first_ind + 1}),$E{first_ind + 1}>=1)',
                             "worked"))

    sh.width(0, 0, LABEL_WIDTH, "wrap")
    sh.width(1, 1, NAME_WIDTH, "wrap")
    sh.width(2, 6, FIGURE_WIDTH)
    sh.width(7, 7, 0)  # the due list's row numbers (a helper)
    sh.width(8, 8, 2)
    _charts(cx, sh, top, status_last, top2 + 1, axis_last, top3 + 1, ind_last)
    # Printed portrait: the tables first (the longest go on to a second page), the charts
    # whole on a page of their own.
    sh.page = Page(cx.paper, fit_width=0, scale=80, col_breaks=(CHART_COL - 1,),
                   area=(0, 0, max(ind_last + 1, first_ind, 48), CHART_COL + 7),
                   margins=(0.4, 0.4, 0.5, 0.5))
    return sh


def _indicator_row(sh: SheetDesign, r: int, axis: str, kpi: str, col: dict[str, str],
                   live: str, res: Result | None) -> None:
    row = r + 1
    c = f'{col["axis"]},$A{row},{col["kpi"]},$B{row},{live}'
    obj, rs, k = col["objective"], col["result"], col["deadline"]
    sh.put(r, 0, axis)
    sh.put(r, 1, kpi)
    if is_cumulative(kpi):
        # The latest measure counts: its date (today when its task is still to come, as
        # the report says), then its figures.
        last = f'MAXIFS({k},{c},{rs},"<>")'
        sh.put(r, 5, None, "date", formula=f'=IF({last}=0,"",MIN({last},TODAY()))',
               cached=to_serial(res.measured_on) if res and res.measured_on else "")
        at = f'{c},{k},{last},{rs},"<>"'
        objective = (f'=IF({last}<>0,IF(COUNTIFS({at},{obj},"<>")=0,"",'
                     f'SUMIFS({obj},{at})),IF(COUNTIFS({c},{obj},"<>")=0,"",'
                     f'SUMIFS({obj},{c},{k},MAXIFS({k},{c},{obj},"<>"))))')
        result = f'=IF({last}=0,"",SUMIFS({rs},{at}))'
    else:
        both = f'{c},{obj},"<>",{rs},"<>"'
        objective = (f'=IF(COUNTIFS({c},{obj},"<>")=0,"",IF(COUNTIFS({both})>0,'
                     f'SUMIFS({obj},{both}),SUMIFS({obj},{c})))')
        result = (f'=IF(COUNTIFS({c},{obj},"<>")>0,IF(COUNTIFS({both})>0,SUMIFS({rs},{both}),'
                  f'""),IF(COUNTIFS({c},{rs},"<>")>0,SUMIFS({rs},{c}),""))')
    sh.put(r, 2, None, "int", formula=objective,
           cached=res.objective if res and res.objective is not None else "")
    sh.put(r, 3, None, "int", formula=result,
           cached=res.result if res and res.result is not None else "")
    reached = res.reached if res else None
    sh.put(r, 4, None, "pct", formula=f'=IF(AND(ISNUMBER(C{row}),ISNUMBER(D{row})),'
                                      f'IF(C{row}>0,D{row}/C{row},""),"")',
           cached=reached if reached is not None else "")


HISTORY_ROWS = 10000  # History rows the week-on-week lookup reads (a weekly run adds ~30)


def _week_change(sh: SheetDesign, r: int, lang: str, res: Result | None) -> None:
    """G: the change since History's measure of this axis and indicator nearest to 7 days
    before today, the report's rule (retrosheet/history.py: days before today only, of two
    as near the older, of two rows that day the later); H (hidden, as the due list's
    helper): that day, 0 for none."""
    row = r + 1
    h = L.quote_sheet(sheet_name("history", lang))
    at = {k: column_letter(i) for i, k in enumerate(HISTORY_COLUMNS)}

    def whole(k: str) -> str:
        return f"{h}!${at[k]}:${at[k]}"

    def rows(k: str) -> str:
        return f"{h}!${at[k]}$2:${at[k]}${HISTORY_ROWS}"

    day, week = whole("date"), "(TODAY()-7)"
    key = f'{whole("axis")},$A{row},{whole("kpi")},$B{row},{whole("result")},"<>"'
    before = f'MAXIFS({day},{key},{day},"<="&{week})'
    after = f'MINIFS({day},{key},{day},">"&{week},{day},"<"&TODAY())'
    sh.put(r, 7, None, formula=f"=IF({before}=0,{after},IF({after}=0,{before},"
                                f"IF({after}-{week}<{week}-{before},{after},{before})))",
           cached=to_serial(res.previous_on) if res and res.previous_on else 0)
    # The last History row of that day, axis and indicator: the highest row number that
    # matches (LOOKUP(2,1/…) is not reliable in LibreOffice: it returned 0 in a test).
    match = (f'({rows("date")}=$H{row})*({rows("axis")}=$A{row})*({rows("kpi")}=$B{row})'
             f'*({rows("result")}<>"")')
    last = f'INDEX({whole("result")},MAX(IF({match},ROW({rows("result")}))))'
    change = res.change if res else None
    sh.put(r, 6, None, "change", formula=f'=IF(OR($H{row}=0,NOT(ISNUMBER($D{row}))),"",'
                                      f'$D{row}-{last})',
           cached="" if change is None else change, array=True)


# The due list: Action over columns A and B joined (wrapped, about 75 characters on two
# lines), deadline, owner over D and E joined, status, ID: (first column, last, key, look).
DUE_COLUMNS = ((0, 1, "action", "slot_wrap"), (2, 2, "deadline", "slot_date"),
               (3, 4, "owner", "slot_wrap"), (5, 5, "status", "slot"), (6, 6, "id", "slot"))


def _due_list(cx: Context, sh: SheetDesign, top: int, col: dict[str, str], k: str,
              ws: dict[str, str], rep: Report) -> int:
    """The list from row `top`; the row where the next table starts."""
    lang = cx.lang
    sh.put(top, 0, ws["due_week"], "section")
    for c, last, key, _ in DUE_COLUMNS:
        sh.put(top + 1, c, header(key, lang), "header")
        for joined in range(c + 1, last + 1):
            sh.put(top + 1, joined, None, "header")
        if last > c:
            sh.merges.append((top + 1, c, top + 1, last))
    rows = {t.id: i for i, t in enumerate(cx.rows, start=2)}
    due = sorted((x for xs in rep.due_this_week.values() for x in xs),
                 key=lambda x: (x.deadline, rows[x.id]))
    st, rng = col["status"], k
    p = k.split("!", 1)[0]
    keep = "*".join([f"({rng}>=TODAY())", f"({rng}<={WEEK_END})"] + [
        f'({st}<>"{x}")' for s in DONE_OR_CANCELLED for x in s.every()]
        + [f"(1-{_unsent_row(col)})"])
    # Ordered by deadline, then row: deadline × 10^5 + row, the row read back with MOD.
    order = f"{rng}*100000+ROW({rng})"
    for i in range(DUE_ROWS):
        r = top + 2 + i
        x = due[i] if i < len(due) else None
        sh.put(r, 7, None, formula=f'=IFERROR(MOD(SMALL(IF({keep},{order}),{i + 1}),100000),"")',
               cached=rows[x.id] if x else "", array=True)
        h = f"$H{r + 1}"
        values: dict[str, str | float] = {} if x is None else {
            "action": x.action, "owner": x.owner, "deadline": to_serial(x.deadline),
            "status": x.status.label(lang), "id": x.id}
        for c, last, key, look in DUE_COLUMNS:
            letter = L.LETTER[key]
            sh.put(r, c, None, look, formula=f'=IF({h}="","",INDEX({p}!${letter}:${letter},{h}))',
                   cached=values.get(key, ""))
            for joined in range(c + 1, last + 1):
                sh.put(r, joined, None, look)  # its borders, wherever the merge draws them
            if last > c:
                sh.merges.append((r, c, r, last))
        # Rows do not grow to a formula's wrapped text: two lines, more for a longer text
        # listed when the workbook is written.
        lines = max(text_lines(str(values.get("action", "")), ACTION_WIDTH),
                    text_lines(str(values.get("owner", "")), OWNER_WIDTH))
        sh.heights[r] = LINE_POINTS * min(max(DUE_LINES, lines), 5)
    more = top + 2 + DUE_ROWS
    total = (f'(COUNTIFS({k},">="&TODAY(),{k},"<="&{WEEK_END},{_not(st, DONE_OR_CANCELLED)})'
             f"-{_unsent(col, _this_week(k))})")
    extra = max(0, len(due) - DUE_ROWS)
    sh.put(more, 0, None, "note", formula=f'=IF({total}>{DUE_ROWS},"+"&({total}-{DUE_ROWS})&" '
                                          f'{ws["more"]}","")',
           cached=f"+{extra} {ws['more']}" if extra else "")
    return more + 2


def _charts(cx: Context, sh: SheetDesign, top: int, status_last: int, axis_head: int,
            axis_last: int, ind_head: int, ind_last: int) -> None:
    lang = cx.lang
    sh.charts.append(Chart("pie", word("tasks_by_status", lang), Series(0, top, status_last),
                           (Series(1, top, status_last),), 1, CHART_COL, labels=True))
    if axis_last > axis_head:
        sh.charts.append(Chart("column", word("budget_vs_spent", lang),
                               Series(0, axis_head, axis_last),
                               (Series(4, axis_head, axis_last), Series(5, axis_head, axis_last)),
                               17, CHART_COL, legend="bottom"))
    if ind_last > ind_head:
        # Indicators are in different units: compare the share of each one reached.
        sh.charts.append(Chart("bar", _words(lang)["reached_chart"],
                               Series(1, ind_head, ind_last), (Series(4, ind_head, ind_last),),
                               33, CHART_COL, labels=True, percent=True, legend="none"))
