"""The weekly report as one self-contained HTML page, ready to e-mail (SPEC §6).

Self-contained: inline CSS, charts drawn here as inline SVG, system fonts, no script, no
link to anything outside the page but ``mailto:`` and in-page anchors. Readable on a phone
(a max-width column; task and contact rows turn into small cards, wide tables scroll
sideways, the timeline keeps a readable minimum width and scrolls) and in a mail client
(plain block layout: nothing essential depends on flex or grid; badges carry their colours
inline; every chart's numbers are also in a table).

Words, numbers and dates come from render.py (``w``, ``day``, ``pct``, ``money``,
``heading``, ``task_text``, ``result_cells``) and labels.py, so the page says what the text
report says. Every user text goes through ``html.escape``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from urllib.parse import quote

from .checks import Finding, Severity
from .labels import (
    Reply,
    Status,
    TaskType,
    contact_header,
    header,
    sheet_name,
    word,
)
from .render import (
    RESULT_COLUMNS,
    day,
    heading,
    money,
    pct,
    result_cells,
    task_text,
    w,
    week_of,
)
from .report import Report, Result, TaskLine, Verdict

# Words only the HTML page uses (the shared ones are render.W and labels.WORDS).
_HW: dict[str, tuple[str, str]] = {
    "results": ("Résultats", "Results"),
    "timeline": ("Calendrier des tâches", "Timeline"),
    "milestone": ("Jalon", "Milestone"),
    "chart_progress": ("Part des tâches faites par axe", "Share of tasks done by axis"),
    "chart_timeline": ("Chaque tâche du début à l'échéance, avec J et aujourd'hui",
                       "Every task from start to deadline, with J and today"),
}

FONT = ('-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
        '"Liberation Sans", "DejaVu Sans", sans-serif')

# Colours (text on white stays above 4.5:1).
RED, RED_BG = "#b71c1c", "#fdecea"
GREEN, GREEN_BG = "#1b5e20", "#e3f2e4"
ORANGE, ORANGE_BG = "#9a4a00", "#fff0dc"
GREY, GREY_BG = "#555b63", "#eceef1"
BLUE = "#1565c0"
INK, MUTED, RULE = "#1f2328", "#5b636d", "#d8dde3"

VERDICT_COLOURS: dict[Verdict, tuple[str, str, str]] = {  # text, background, bar
    Verdict.WORKED: (GREEN, GREEN_BG, "#43a047"),
    Verdict.IMPROVE: (ORANGE, ORANGE_BG, "#fb8c00"),
    Verdict.FAILED: (RED, RED_BG, "#e53935"),
    Verdict.PENDING: (GREY, GREY_BG, "#9aa3ad"),
}
SEVERITY_COLOURS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: (RED, RED_BG),
    Severity.WARNING: (ORANGE, ORANGE_BG),
    Severity.INFO: (BLUE, "#e3eefb"),
}
STATUS_FILL: dict[Status, str] = {
    Status.TODO: "#90a4ae",
    Status.IN_PROGRESS: "#1e88e5",
    Status.DONE: "#43a047",
    Status.BLOCKED: "#fb8c00",
    Status.CANCELLED: "#d5d9de",
}
LATE_FILL = "#e53935"
J_COLOUR = "#6a1b9a"
TODAY_COLOUR = INK

CSS = f"""
body{{margin:0;padding:0;background:#f3f4f6;color:{INK};font-family:{FONT};font-size:15px;
line-height:1.45;-webkit-text-size-adjust:100%;text-size-adjust:100%}}
.wrap{{max-width:880px;margin:0 auto;padding:16px}}
.top{{background:#1f2a44;color:#fff;border-radius:10px;padding:16px 18px}}
.top .kicker{{margin:0;font-size:13px;color:#c9d1e3}}
.top h1{{margin:2px 0 4px;font-size:23px;line-height:1.25}}
.top p{{margin:0}}
.jn{{float:right;margin:0 0 6px 12px;background:#fff;color:#1f2a44;border-radius:10px;
padding:6px 12px;font-size:26px;font-weight:700;line-height:1.1;text-align:center}}
.jn small{{display:block;font-size:11px;font-weight:400;color:{MUTED}}}
.chips{{clear:both;margin:10px 0 0;padding:0}}
.chip{{display:inline-block;margin:4px 6px 0 0;padding:3px 10px;border-radius:14px;
background:#33405f;color:#fff;text-decoration:none;font-size:13px;white-space:nowrap}}
.chip.hot{{background:#c62828}}
section{{background:#fff;border:1px solid {RULE};border-radius:10px;padding:14px 16px;
margin:14px 0}}
h2{{margin:0 0 10px;font-size:18px;line-height:1.3}}
h2.hot{{color:{RED}}}
h3{{margin:14px 0 6px;font-size:15px}}
.owner{{margin:12px 0 4px;font-weight:600}}
.scroll{{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:0 0 4px}}
table{{border-collapse:collapse;width:100%;font-size:14px}}
table.wide{{min-width:720px}}
td.name{{min-width:150px}}
table.tasks th.id{{width:11%}}
table.tasks th.d{{width:14%}}
table.tasks th.own{{width:22%}}
table.tasks th.st,table.tasks th.late{{width:19%}}
table.nums th{{white-space:normal}}
th,td{{padding:6px 8px;border-bottom:1px solid #e6e9ed;text-align:left;vertical-align:top}}
th{{background:#f5f7f9;font-weight:600;font-size:13px;white-space:nowrap}}
th.n,td.n{{text-align:right;white-space:nowrap}}
td.id,td.d{{white-space:nowrap}}
tr.late td{{background:{RED_BG}}}
td.late,.late-text{{color:{RED};font-weight:600}}
.nothing{{margin:0;color:{MUTED};font-style:italic}}
.muted{{color:{MUTED}}}
.fu{{margin:10px 0 14px}}
.fu p{{margin:0 0 4px}}
a{{color:{BLUE}}}
.badge{{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;
font-weight:600;white-space:nowrap;line-height:1.5}}
.meter{{display:inline-block;width:60px;height:8px;background:{GREY_BG};border-radius:4px;
vertical-align:middle;margin-right:6px;overflow:hidden}}
.meter span{{display:block;height:8px;background:{BLUE}}}
ul.findings{{margin:0;padding:0;list-style:none}}
ul.findings li{{padding:6px 0;border-bottom:1px solid #e6e9ed}}
.where{{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:13px;
color:{MUTED}}}
svg.chart{{display:block;max-width:100%;height:auto;margin:6px 0 12px}}
svg.timeline{{display:block;width:100%;min-width:480px;height:auto}}
.pair{{display:inline-block;vertical-align:top;width:50%;box-sizing:border-box}}
.pair.right{{padding-left:14px}}
.caption{{margin:8px 0 2px;font-weight:600;font-size:14px}}
.foot{{margin:18px 0 8px;color:{MUTED};font-size:12px;text-align:center}}
@media (max-width:640px){{
.wrap{{padding:8px}}
section{{padding:12px 10px;margin:10px 0}}
.top{{padding:14px 12px}}
.top h1{{font-size:20px}}
th,td{{padding:5px 6px;font-size:13px}}
.pair{{display:block;width:auto}}
.pair.right{{padding-left:0}}
.meter{{width:36px}}
table.cards thead{{display:none}}
table.cards,table.cards tbody,table.cards tr{{display:block;width:auto}}
table.cards tr{{padding:7px 4px;border-bottom:1px solid #e6e9ed}}
table.cards td{{display:inline-block;border:0;padding:0 10px 0 0;font-size:14px}}
table.cards td.blk{{display:block;padding:2px 0}}
table.cards td.id,table.cards td.outlet{{font-weight:600}}
table.cards td.own{{color:{MUTED}}}
table.cards td[data-label]:before{{content:attr(data-label) " ";color:{MUTED}}}
table.cards tr.late{{background:{RED_BG}}}
}}
""".strip()


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def hw(key: str, lang: str) -> str:
    fr, en = _HW[key]
    return fr if lang == "fr" else en


def badge(text: str, fg: str, bg: str, cls: str = "") -> str:
    """A coloured label; colours inline so that mail clients that drop <style> keep them."""
    return (f'<span class="badge{" " + cls if cls else ""}" style="color:{fg};'
            f'background:{bg};border-radius:10px;padding:1px 8px">{_e(text)}</span>')


def verdict_badge(v: Verdict, lang: str) -> str:
    fg, bg, _ = VERDICT_COLOURS[v]
    return badge(v.label(lang), fg, bg, f"verdict-{v.name.lower()}")


def _nothing(lang: str) -> str:
    return f'<p class="nothing">{_e(w("nothing", lang))}</p>'


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], *,
           cols: Sequence[str] = (), kind: str = "",
           row_classes: Sequence[str] | None = None,
           labels: dict[int, str] | None = None) -> str:
    """A table in a sideways-scrolling box. `head` is text; `rows` hold ready HTML.

    `cols[i]` is the class of column i (``n``: a number, right-aligned); `kind` the table's
    class (``cards``: on a phone each row becomes a small card, `labels` naming the cells
    whose column header would be missed there; ``wide``: keeps its width and scrolls).
    """
    labels = labels or {}

    def attrs(i: int, cell: bool) -> str:
        cls = cols[i] if i < len(cols) else ""
        out = f' class="{cls}"' if cls else ""
        if cell and i in labels:
            out += f' data-label="{_e(labels[i])}"'
        return out

    th = "".join(f"<th{attrs(i, False)}>{_e(h)}</th>" for i, h in enumerate(head))
    body = []
    for r, row in enumerate(rows):
        rc = row_classes[r] if row_classes else ""
        tds = "".join(f"<td{attrs(i, True)}>{c}</td>" for i, c in enumerate(row))
        body.append(f'<tr class="{rc}">{tds}</tr>' if rc else f"<tr>{tds}</tr>")
    table = f'<table class="{kind}">' if kind else "<table>"
    return (f'<div class="scroll">{table}'
            f"<thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def _section(sid: str, title: str, body: str, *, hot: bool = False) -> str:
    cls = ' class="hot"' if hot else ""
    return f'<section id="{sid}"><h2{cls}>{_e(title)}</h2>{body}</section>'


def _count(title: str, n: int) -> str:
    return f"{title} ({n})"


# ---------------------------------------------------------------- task lists


def _task_table(xs: list[TaskLine], lang: str, *, owner: bool = True,
                late: bool = False) -> str:
    head = ["ID", header("deadline", lang), header("action", lang)]
    cols = ["id", "d", "blk act"]
    if owner:
        head.append(header("owner", lang))
        cols.append("own")
    head.append(w("late", lang) if late else header("status", lang))
    cols.append("late" if late else "st")
    rows: list[list[str]] = []
    for x in xs:
        row = [_e(x.id), _e(day(x.deadline, lang)), _e(x.action)]
        if owner:
            row.append(_e(x.owner or "—"))
        row.append(_e(w("days_late", lang, n=x.days_late)) if late
                   else _status_text(x, lang))
        rows.append(row)
    return _table(head, rows, cols=cols, kind="tasks cards",
                  row_classes=["late" if late else "" for _ in xs])


def _status_text(x: TaskLine, lang: str) -> str:
    text = _e(x.status.label(lang))
    if x.days_late:
        text += f' <span class="late-text">({_e(w("days_late", lang, n=x.days_late))})</span>'
    return text


def _late(rep: Report) -> str:
    lang = rep.lang
    body = _task_table(rep.late, lang, late=True) if rep.late else _nothing(lang)
    return _section("late", _count(w("late", lang), len(rep.late)), body, hot=bool(rep.late))


def _due(rep: Report, sid: str, key: str, groups: dict[str, list[TaskLine]],
         monday: dt.date, sunday: dt.date) -> str:
    lang = rep.lang
    n = sum(len(xs) for xs in groups.values())
    title = f"{w(key, lang)} ({week_of(monday, sunday, lang)})"
    parts = [f'<p class="owner">{_e(owner)} ({len(xs)})</p>'
             f"{_task_table(xs, lang, owner=False)}" for owner, xs in groups.items()]
    return _section(sid, _count(title, n) if n else title, "".join(parts) or _nothing(lang))


def _mailto(email: str, rep: Report) -> str:
    subject = " — ".join(x for x in (rep.title, rep.artist) if x)
    href = "mailto:" + quote(email.strip(), safe="@.+-_~!$'*,;=")
    if subject:
        href += "?subject=" + quote(subject, safe="")
    return f'<a href="{_e(href)}">{_e(email)}</a>'


def _followups(rep: Report) -> str:
    lang = rep.lang
    parts = []
    for f in rep.followups_due:
        x = f.line
        waiting = ("" if f.waiting is None
                   else f' — <span class="muted">{_e(w("waiting", lang, n=f.waiting))}</span>')
        late = (f' <span class="late-text">({_e(w("days_late", lang, n=x.days_late))})</span>'
                if x.days_late else "")
        owner = f" — {_e(x.owner)}" if x.owner else ""
        head = (f"<p><strong>{_e(x.id)}</strong> {_e(day(x.deadline, lang))} "
                f"{_e(x.action)}{owner}{late}{waiting}</p>")
        table = ""
        if f.chase:
            rows = [[_e(c.outlet or "—"), _e(c.name or "—"),
                     _mailto(c.email, rep) if c.email.strip() else "—",
                     _e(day(c.sent, lang)),
                     _e(f"{w('round', lang, n=c.round)} {day(c.followup, lang)}")]
                    for c in f.chase]
            sent = contact_header("sent", lang)
            table = _table([*(contact_header(k, lang) for k in ("outlet", "name", "email")),
                            sent, header("followup", lang)], rows,
                           cols=["outlet", "", "blk", "d", "d"], kind="contacts cards",
                           labels={3: sent})
        parts.append(f'<div class="fu">{head}{table}</div>')
    return _section("followups", _count(w("followups", lang), len(rep.followups_due)),
                    "".join(parts) or _nothing(lang))


def _blocked(rep: Report) -> str:
    lang = rep.lang
    body = _task_table(rep.blocked, lang) if rep.blocked else _nothing(lang)
    return _section("blocked", _count(w("blocked", lang), len(rep.blocked)), body,
                    hot=bool(rep.blocked))


# ---------------------------------------------------------------- SVG charts


def _svg(width: int, height: int, label: str, body: str, cls: str = "chart") -> str:
    return (f'<svg class="{cls}" role="img" aria-label="{_e(label)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" font-size="13" '
            f'font-family="{_e(FONT)}" fill="{INK}"><title>{_e(label)}</title>{body}</svg>')


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK,
          size: float | None = None, weight: str | None = None) -> str:
    extra = f' text-anchor="{anchor}"' if anchor != "start" else ""
    extra += f' font-size="{size}"' if size else ""
    extra += f' font-weight="{weight}"' if weight else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" fill="{fill}"{extra}>{_e(text)}</text>'


def _rect(x: float, y: float, width: float, height: float, fill: str, *, rx: float = 2,
          title: str | None = None, extra: str = "") -> str:
    tip = f"<title>{_e(title)}</title>" if title else ""
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" '
            f'height="{height:.1f}" rx="{rx}" fill="{fill}"{extra}>{tip}</rect>')


CHART_W = 420
TODAY_REACH = 28  # days: today further from the tasks than this is shown at the axis' edge
LABEL_CHARS = 16


def _label_width(labels: Sequence[str]) -> int:
    longest = max((len(_clip(x, LABEL_CHARS)) for x in labels), default=4)
    return min(128, max(48, int(longest * 7.2) + 10))


def progress_chart(rep: Report) -> str:
    lang = rep.lang
    rows = rep.progress
    label_w = _label_width([p.axis for p in rows])
    value_w = 96
    bar_w = CHART_W - label_w - value_w - 8
    row_h, top = 26, 8
    height = top + row_h * len(rows) + 22
    out = []
    for q in (0.0, 0.5, 1.0):
        gx = label_w + bar_w * q
        out.append(f'<line x1="{gx:.1f}" y1="{top - 2}" x2="{gx:.1f}" '
                   f'y2="{top + row_h * len(rows)}" stroke="{RULE}" stroke-width="1"/>')
        out.append(_text(gx, height - 6, pct(q, lang), anchor="middle", fill=MUTED, size=11))
    for i, p in enumerate(rows):
        y = top + i * row_h
        share = p.share_done
        counted = p.total - p.cancelled
        tip = f"{p.axis}: {w('done_of', lang, done=p.done, total=counted)} ({pct(share, lang)})"
        out.append(_text(label_w - 8, y + 17, _clip(p.axis, LABEL_CHARS), anchor="end"))
        out.append(_rect(label_w, y + 6, bar_w, 14, GREY_BG, rx=3))
        out.append(_rect(label_w, y + 6, bar_w * share, 14, "#43a047", rx=3, title=tip))
        out.append(_text(label_w + bar_w + 8, y + 17,
                         f"{pct(share, lang)} ({p.done}/{counted})"))
    return _svg(CHART_W, height, f"{hw('chart_progress', lang)} — " + ", ".join(
        f"{p.axis} {pct(p.share_done, lang)}" for p in rows), "".join(out))


def _legend(items: Sequence[tuple[str, str]], x: float, y: float, *, size: float = 12,
            gap: float = 16, right: float = 1e9, line: float = 16,
            diamonds: frozenset[str] = frozenset()) -> tuple[str, float]:
    """Coloured squares (diamonds for labels in `diamonds`) with labels, left to right from
    (x, y), wrapping before `right`; returns (svg, baseline of the last line)."""
    out = []
    x0 = x
    for colour, label in items:
        width = 14 + len(label) * size * 0.58
        if x > x0 and x + width > right:
            x, y = x0, y + line
        if label in diamonds:
            out.append(f'<polygon points="{_diamond(x + 5, y - 4, 6)}" fill="{colour}"/>')
        else:
            out.append(_rect(x, y - 9, 10, 10, colour, rx=2))
        out.append(_text(x + 14, y, label, size=size))
        x += width + gap
    return "".join(out), y


def budget_chart(rep: Report) -> str | None:
    lang = rep.lang
    rows = [r for r in rep.results_by_axis if r.budget is not None or r.spent is not None]
    if not rows:
        return None
    label_w = _label_width([r.label for r in rows])
    value_w = 82
    bar_w = CHART_W - label_w - value_w - 8
    top, bar_h, group_h = 26, 11, 34
    height = top + group_h * len(rows) + 4
    top_value = max(max(r.budget or 0.0, r.spent or 0.0) for r in rows) or 1.0
    budget_c, spent_c = "#90a4ae", BLUE
    legend, _ = _legend([(budget_c, w("budget", lang)), (spent_c, w("spent", lang)),
                         (LATE_FILL, "> " + w("budget", lang))], label_w, 13,
                        right=CHART_W)
    out = [legend]
    for i, r in enumerate(rows):
        y = top + i * group_h
        over = r.budget is not None and r.spent is not None and r.spent > r.budget
        out.append(_text(label_w - 8, y + bar_h + 6, _clip(r.label, LABEL_CHARS),
                         anchor="end"))
        for j, (value, colour, key) in enumerate(((r.budget, budget_c, "budget"),
                                                  (r.spent, LATE_FILL if over else spent_c,
                                                   "spent"))):
            by = y + j * (bar_h + 2)
            text = money(value, lang)
            if value is not None:
                out.append(_rect(label_w, by, bar_w * value / top_value, bar_h, colour,
                                 title=f"{r.label} — {w(key, lang)}: {text}"))
            out.append(_text(label_w + bar_w + 8, by + bar_h - 1, text, size=12,
                             fill=RED if over and key == "spent" else INK))
    label = f"{word('budget_vs_spent', lang)} — " + ", ".join(
        f"{r.label}: {money(r.budget, lang)} / {money(r.spent, lang)}" for r in rows)
    return _svg(CHART_W, height, label, "".join(out))


def reached_chart(rep: Report) -> str | None:
    lang = rep.lang
    rows = [r for r in rep.results_by_axis if r.objective]
    if not rows:
        return None
    label_w = _label_width([r.label for r in rows])
    value_w = 64
    bar_w = CHART_W - label_w - value_w - 8
    top, row_h = 24, 26
    reached = [r.reached for r in rows if r.reached is not None]
    scale = min(2.0, max([1.0, *reached]) * 1.1)  # beyond 200 %, the bar is clipped
    hundred = label_w + bar_w / scale
    legend, _ = _legend([(VERDICT_COLOURS[v][2], v.label(lang))
                         for v in (Verdict.WORKED, Verdict.IMPROVE, Verdict.FAILED,
                                   Verdict.PENDING)], 4, 12, size=11, gap=10,
                        right=CHART_W)
    out = [legend]
    for i, r in enumerate(rows):
        y = top + i * row_h
        out.append(_text(label_w - 8, y + 17, _clip(r.label, LABEL_CHARS), anchor="end"))
        out.append(_rect(label_w, y + 6, bar_w, 14, "#f5f7f9", rx=3))
        fg, _, bar = VERDICT_COLOURS[r.verdict]
        tip = (f"{r.label}: {w('result', lang)} {result_cells(r, lang)[2]} / "
               f"{w('objective', lang)} {result_cells(r, lang)[1]} "
               f"{r.kpi} — {pct(r.reached, lang)} — {r.verdict.label(lang)}")
        if r.reached is not None:
            out.append(_rect(label_w, y + 6, bar_w * min(r.reached, scale) / scale, 14, bar,
                             rx=3, title=tip))
        out.append(_text(label_w + bar_w + 8, y + 17, pct(r.reached, lang),
                         fill=fg, weight="600"))
    bottom = top + row_h * len(rows)
    out.append(f'<line x1="{hundred:.1f}" y1="{top + 2}" x2="{hundred:.1f}" y2="{bottom + 2}" '
               f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 3"/>')
    out.append(_text(hundred, bottom + 16, pct(1.0, lang), anchor="middle", size=11,
                     fill=MUTED))
    label = f"{word('objective_vs_result', lang)} — " + ", ".join(
        f"{r.label}: {pct(r.reached, lang)} ({r.verdict.label(lang)})" for r in rows)
    return _svg(CHART_W, bottom + 20, label, "".join(out))


def _weeks(d0: dt.date, d1: dt.date) -> list[dt.date]:
    monday = d0 + dt.timedelta(days=-d0.weekday() % 7)
    out = []
    while monday <= d1:
        out.append(monday)
        monday += dt.timedelta(days=7)
    return out


def timeline_chart(rep: Report) -> str | None:
    """Every task as a bar from its start to its deadline (milestones as diamonds) on a date
    axis from the first start to the last deadline, widened to show J and today."""
    lang = rep.lang
    xs = rep.timeline
    if not xs:
        return None
    d0 = min([*(x.start for x in xs), rep.release])
    d1 = max([*(x.deadline for x in xs), rep.release]) + dt.timedelta(days=1)
    # Today a few weeks out widens the axis; further out, it is an arrow at the edge.
    near = dt.timedelta(days=TODAY_REACH)
    if d0 - near <= rep.as_of < d1 + near:
        d0, d1 = min(d0, rep.as_of), max(d1, rep.as_of + dt.timedelta(days=1))
    span = max((d1 - d0).days, 1)
    width, label_w, right = 720, 58, 12
    plot_w = width - label_w - right
    row_h, font = 18, 12
    day_w = plot_w / span

    def x_of(d: dt.date) -> float:
        return label_w + (d - d0).days * day_w

    items = [(STATUS_FILL[s], s.label(lang)) for s in Status] + [
        (LATE_FILL, w("late", lang)), (STATUS_FILL[Status.TODO], hw("milestone", lang))]
    legend, last = _legend(items, 4, 15, size=font, gap=12, right=width - 4, line=18,
                           diamonds=frozenset({hw("milestone", lang)}))
    marks_y = round(last) + 22  # the "today" label; the J label one line below
    top = marks_y + 26
    bottom = top + row_h * len(xs)
    height = bottom + 24
    out = [legend]
    for i in range(1, len(xs), 2):  # zebra rows
        out.append(_rect(0, top + i * row_h, width, row_h, "#f3f5f7", rx=0))
    step = 1 if 7 * day_w >= 50 else int(50 // (7 * day_w)) + 1
    for k, monday in enumerate(_weeks(d0, d1)):
        gx = x_of(monday)
        out.append(f'<line x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{bottom}" '
                   f'stroke="{RULE}" stroke-width="1"/>')
        if k % step == 0:
            out.append(_text(gx, bottom + 16, day(monday, lang, True), anchor="middle",
                             size=font, fill=MUTED))
    ids, bars, actions = [], [], []  # grouped: shared attributes are written once
    for i, x in enumerate(xs):
        y = top + i * row_h
        fill = LATE_FILL if x.days_late else STATUS_FILL[x.status]
        tip = f"{task_text(x, lang)} — {x.status.label(lang)}"
        label_fill = RED if x.days_late else (MUTED if x.status in (Status.DONE,
                                                                    Status.CANCELLED) else INK)
        ids.append(_text(4, y + 13, x.id, fill=label_fill))
        x0 = x_of(x.start)
        x1 = x_of(x.deadline + dt.timedelta(days=1))
        if x.type in (TaskType.MILESTONE, TaskType.RELEASE):
            cx = (x0 + x1) / 2
            x0, x1 = cx - 6, cx + 6
            bars.append(f'<polygon points="{_diamond(cx, y + row_h / 2, 6)}" fill="{fill}">'
                        f"<title>{_e(tip)}</title></polygon>")
        else:
            bw = max(x1 - x0, 5.0)
            x0, x1 = x0 + (x1 - x0 - bw) / 2, x0 + (x1 - x0 + bw) / 2
            bars.append(_rect(x0, y + 4, bw, row_h - 8, fill, rx=2, title=tip))
        # The action beside its bar: on the right, or on the left near the end of the axis.
        action = _clip(x.action, 38)
        after = x1 + 5 + len(action) * font * 0.56 <= width - 2
        actions.append(_text(x1 + 5 if after else x0 - 5, y + 13, action,
                             anchor="start" if after else "end", fill=label_fill))
    out.append(f'<g font-size="{font}" font-weight="600">{"".join(ids)}</g>'
               f'<g stroke="#fff" stroke-width="1">{"".join(bars)}</g>'
               f'<g font-size="{font}">{"".join(actions)}</g>')
    # Today and J last, over the bars and labels, so nothing hides them.
    today = word("today", lang).lower()
    if rep.as_of < d0:
        today_label = f"← {today} {day(rep.as_of, lang)}"
    elif rep.as_of >= d1:
        today_label = f"{today} {day(rep.as_of, lang)} →"
    else:
        today_label = f"{today} {day(rep.as_of, lang, True)}"
    for d, colour, label, y_label, dash in (
            (rep.as_of, TODAY_COLOUR, today_label, marks_y, ""),
            (rep.release, J_COLOUR, f"J {day(rep.release, lang, True)}", marks_y + 16,
             ' stroke-dasharray="5 3"')):
        lx = min(max(x_of(d) + day_w / 2, label_w), label_w + plot_w)
        anchor = "end" if lx > width - 90 else ("start" if lx < label_w + 60 else "middle")
        out.append(f'<line x1="{lx:.1f}" y1="{y_label + 4}" x2="{lx:.1f}" y2="{bottom}" '
                   f'stroke="{colour}" stroke-width="2"{dash}/>')
        out.append(_text(lx, y_label, label, anchor=anchor, fill=colour, size=13,
                         weight="700"))
    label = (f"{hw('chart_timeline', lang)}: {day(d0, lang)} → "
             f"{day(d1 - dt.timedelta(days=1), lang)}; J {day(rep.release, lang)}; "
             f"{today} {day(rep.as_of, lang)}")
    return _svg(width, height, label, "".join(out), cls="timeline")


def _diamond(cx: float, cy: float, r: float) -> str:
    return (f"{cx:.1f},{cy - r:.1f} {cx + r:.1f},{cy:.1f} "
            f"{cx:.1f},{cy + r:.1f} {cx - r:.1f},{cy:.1f}")


# ---------------------------------------------------------------- sections with numbers


def _progress(rep: Report) -> str:
    lang = rep.lang
    if not rep.progress:
        return _section("progress", w("progress", lang), _nothing(lang))
    rows = [[_e(p.axis), _e(f"{p.done}/{p.total - p.cancelled}"), _e(pct(p.share_done, lang)),
             str(p.in_progress), str(p.late) if not p.late
             else f'<span class="late-text">{p.late}</span>', str(p.blocked)]
            for p in rep.progress]
    table = _table([w("axis", lang), word("done", lang), "%", Status.IN_PROGRESS.label(lang),
                    w("late", lang), w("blocked", lang)], rows,
                   cols=["", "n", "n", "n", "n", "n"], kind="nums")
    return _section("progress", w("progress", lang),
                    f'<div class="pair">{progress_chart(rep)}</div>'
                    f'<div class="pair right">{table}</div>')


def _results_table(results: list[Result], first: str, lang: str, *, action: bool) -> str:
    """Name, verdict, then the text report's columns: on a phone the verdict shows before
    the table scrolls sideways."""
    rows = []
    for r in results:
        cells = result_cells(r, lang)
        name = f"<strong>{_e(r.key)}</strong> {_e(r.label)}" if action else _e(r.label)
        rows.append([name, verdict_badge(r.verdict, lang), *(_e(c) for c in cells[:-1])])
    return _table([w(first, lang), w(RESULT_COLUMNS[-1], lang),
                   *(w(c, lang) for c in RESULT_COLUMNS[:-1])], rows,
                  cols=["name", "", "", "n", "n", "n", "n", "n", "n"], kind="wide")


def _results(rep: Report) -> str:
    lang = rep.lang
    parts: list[str] = []
    charts = [(word("budget_vs_spent", lang), budget_chart(rep)),
              (word("objective_vs_result", lang), reached_chart(rep))]
    shown = [(t, c) for t, c in charts if c]
    for title, chart in shown:
        box = f'<p class="caption">{_e(title)}</p>{chart}'
        if len(shown) == 2:
            box = f'<div class="pair{" right" if parts else ""}">{box}</div>'
        parts.append(box)
    for key, first, results in (("results_axis", "axis", rep.results_by_axis),
                                ("results_platform", "platform", rep.results_by_platform),
                                ("results_action", "action", rep.results_by_action)):
        parts.append(f"<h3>{_e(w(key, lang))}</h3>")
        parts.append(_results_table(results, first, lang, action=key == "results_action")
                     if results else _nothing(lang))
    return _section("results", hw("results", lang), "".join(parts))


def _replies(rep: Report) -> str:
    lang = rep.lang
    if not rep.replies:
        return _section("replies", w("replies", lang), _nothing(lang))
    rows = [[_e(r.axis), str(r.contacts), _e(f"{r.replied}/{r.contacts}"),
             f'<span class="meter"><span style="width:{r.rate * 100:.0f}%"></span></span>'
             f"{_e(pct(r.rate, lang))}", str(r.yes), str(r.no)] for r in rep.replies]
    replies = w("replied", lang, r="", n="").strip("/ ")
    table = _table([w("axis", lang), sheet_name("contacts", lang),
                    replies[:1].upper() + replies[1:], "%", Reply.YES.label(lang),
                    Reply.NO.label(lang)], rows, cols=["", "n", "n", "n", "n", "n"],
                   kind="nums")
    return _section("replies", w("replies", lang), table)


def _finding(f: Finding, lang: str) -> str:
    fg, bg = SEVERITY_COLOURS[f.severity]
    where = f' <span class="where">{_e(f.where)}</span>' if f.where else ""
    return (f'<li class="severity-{f.severity.name.lower()}">'
            f"{badge(f.severity.label(lang), fg, bg)}{where} {_e(f.message)}</li>")


def _findings(rep: Report) -> str:
    lang = rep.lang
    body = (f'<ul class="findings">{"".join(_finding(f, lang) for f in rep.findings)}</ul>'
            if rep.findings else _nothing(lang))
    return _section("findings", _count(w("findings", lang), len(rep.findings)), body)


def _timeline(rep: Report) -> str:
    chart = timeline_chart(rep)
    body = f'<div class="scroll">{chart}</div>' if chart else _nothing(rep.lang)
    return _section("timeline", hw("timeline", rep.lang), body)


# ---------------------------------------------------------------- page


def _top(rep: Report) -> str:
    lang = rep.lang
    name = " — ".join(x for x in (rep.title, rep.artist) if x) or w("report", lang)
    who = f" — {w('for', lang)} {rep.owner}" if rep.owner else ""
    chips = []
    for sid, label, n, hot in (
            ("late", w("late", lang), len(rep.late), bool(rep.late)),
            ("due-this-week", w("this_week", lang),
             sum(len(v) for v in rep.due_this_week.values()), False),
            ("followups", w("followups", lang), len(rep.followups_due), False),
            ("blocked", w("blocked", lang), len(rep.blocked), bool(rep.blocked))):
        style = "background:#c62828" if hot else "background:#33405f"
        chips.append(f'<a class="chip{" hot" if hot else ""}" href="#{sid}" '
                     f'style="{style};color:#fff">{_e(label)} : {n}</a>'
                     .replace(" : ", ": " if lang == "en" else "\u00a0: "))
    return (f'<header class="top" style="background:#1f2a44;color:#fff">'
            f'<div class="jn">{_e(rep.j_label)}<small>'
            f'{_e(w("release_on", lang))} {_e(day(rep.release, lang))}</small></div>'
            f'<p class="kicker">{_e(w("report", lang))} — {_e(w("as_of", lang))} '
            f"{_e(day(rep.as_of, lang))}{_e(who)}</p>"
            f"<h1>{_e(name)}</h1>"
            f'<p class="chips">{"".join(chips)}</p></header>')


def to_html(rep: Report) -> str:
    """The report as one self-contained HTML page in the plan's language."""
    lang = rep.lang
    monday, sunday = rep.week
    week = dt.timedelta(days=7)
    body = "".join((
        _top(rep),
        _late(rep),
        _due(rep, "due-this-week", "this_week", rep.due_this_week, monday, sunday),
        _due(rep, "due-next-week", "next_week", rep.due_next_week, monday + week,
             sunday + week),
        _followups(rep),
        _blocked(rep),
        _progress(rep),
        _results(rep),
        _replies(rep),
        _findings(rep),
        _timeline(rep),
    ))
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="color-scheme" content="light">\n'
            f"<title>{_e(heading(rep))}</title>\n<style>\n{CSS}\n</style>\n</head>\n"
            f'<body>\n<div class="wrap">\n{body}\n'
            f'<p class="foot">retrosheet — {_e(heading(rep))}</p>\n</div>\n</body>\n</html>\n')
