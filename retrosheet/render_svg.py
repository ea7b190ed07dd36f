"""The HTML report's pictures: colours and inline SVG charts (progress, budget, results,
timeline), drawn here with no library so the page stays one self-contained file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from .checks import Severity
from .labels import Status, TaskType, word
from .render import result_cells, task_text
from .report import Report, Verdict
from .words import formats as fmt
from .words import t

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


def _e(text: object) -> str:
    return escape(str(text), quote=True)


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
    colon = fmt.colon(lang)
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
        out.append(_text(gx, height - 6, fmt.percent(q, lang), anchor="middle", fill=MUTED,
                         size=11))
    for i, p in enumerate(rows):
        y = top + i * row_h
        share = p.share_done
        counted = p.total - p.cancelled
        tip = (f"{p.axis}{colon} {t('report.done_of', lang, done=p.done, total=counted)} "
               f"({fmt.percent(share, lang)})")
        out.append(_text(label_w - 8, y + 17, _clip(p.axis, LABEL_CHARS), anchor="end"))
        out.append(_rect(label_w, y + 6, bar_w, 14, GREY_BG, rx=3))
        out.append(_rect(label_w, y + 6, bar_w * share, 14, "#43a047", rx=3, title=tip))
        out.append(_text(label_w + bar_w + 8, y + 17,
                         f"{fmt.percent(share, lang)} ({p.done}/{counted})"))
    return _svg(CHART_W, height, f"{t('report.html.chart_progress', lang)} — " + ", ".join(
        f"{p.axis} {fmt.percent(p.share_done, lang)}" for p in rows), "".join(out))


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
    colon = fmt.colon(lang)
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
    legend, _ = _legend([(budget_c, t("report.budget", lang)),
                         (spent_c, t("report.spent", lang)),
                         (LATE_FILL, "> " + t("report.budget", lang))], label_w, 13,
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
            text = fmt.money(value, lang)
            if value is not None:
                out.append(_rect(label_w, by, bar_w * value / top_value, bar_h, colour,
                                 title=f"{r.label} — {t(f'report.{key}', lang)}{colon} {text}"))
            out.append(_text(label_w + bar_w + 8, by + bar_h - 1, text, size=12,
                             fill=RED if over and key == "spent" else INK))
    label = f"{word('budget_vs_spent', lang)} — " + ", ".join(
        f"{r.label}{colon} {fmt.money(r.budget, lang)} / {fmt.money(r.spent, lang)}"
        for r in rows)
    return _svg(CHART_W, height, label, "".join(out))


def reached_chart(rep: Report) -> str | None:
    lang = rep.lang
    colon = fmt.colon(lang)
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
        tip = (f"{r.label}{colon} {t('report.result', lang)} {result_cells(r, lang)[2]} / "
               f"{t('report.objective', lang)} {result_cells(r, lang)[1]} "
               f"{r.kpi} — {fmt.percent(r.reached, lang)} — {r.verdict.label(lang)}")
        if r.reached is not None:
            out.append(_rect(label_w, y + 6, bar_w * min(r.reached, scale) / scale, 14, bar,
                             rx=3, title=tip))
        out.append(_text(label_w + bar_w + 8, y + 17, fmt.percent(r.reached, lang),
                         fill=fg, weight="600"))
    bottom = top + row_h * len(rows)
    out.append(f'<line x1="{hundred:.1f}" y1="{top + 2}" x2="{hundred:.1f}" y2="{bottom + 2}" '
               f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 3"/>')
    out.append(_text(hundred, bottom + 16, fmt.percent(1.0, lang), anchor="middle", size=11,
                     fill=MUTED))
    label = f"{word('objective_vs_result', lang)} — " + ", ".join(
        f"{r.label}{colon} {fmt.percent(r.reached, lang)} ({r.verdict.label(lang)})"
        for r in rows)
    return _svg(CHART_W, bottom + 20, label, "".join(out))


def _weeks(d0: dt.date, d1: dt.date) -> list[dt.date]:
    monday = d0 + dt.timedelta(days=-d0.weekday() % 7)
    out = []
    while monday <= d1:
        out.append(monday)
        monday += dt.timedelta(days=7)
    return out


def timeline_chart(rep: Report, narrow: bool = False) -> str | None:
    """Every task as a bar from its start to its deadline (milestones as diamonds) on a date
    axis from the first start to the last deadline, widened to show J and today.

    `narrow`: drawn 360 units wide for a phone, so the whole campaign, after J included,
    fits the screen at a readable size instead of scrolling sideways."""
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
    width, label_w, right = (360, 44, 6) if narrow else (720, 58, 12)
    plot_w = width - label_w - right
    row_h, font = (17, 11) if narrow else (18, 12)
    day_w = plot_w / span

    def x_of(d: dt.date) -> float:
        return label_w + (d - d0).days * day_w

    items = [(STATUS_FILL[s], s.label(lang)) for s in Status] + [
        (LATE_FILL, t("report.late", lang)),
        (STATUS_FILL[Status.TODO], t("report.html.milestone", lang))]
    legend, last = _legend(items, 4, 15, size=font, gap=12, right=width - 4, line=18,
                           diamonds=frozenset({t("report.html.milestone", lang)}))
    marks_y = round(last) + 22  # the "today" label; the J label one line below
    top = marks_y + 26
    bottom = top + row_h * len(xs)
    height = bottom + 24
    out = [legend]
    for i in range(1, len(xs), 2):  # zebra rows
        out.append(_rect(0, top + i * row_h, width, row_h, "#f3f5f7", rx=0))
    step = 1 if 7 * day_w >= 44 else int(44 // (7 * day_w)) + 1
    for k, monday in enumerate(_weeks(d0, d1)):
        gx = x_of(monday)
        out.append(f'<line x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{bottom}" '
                   f'stroke="{RULE}" stroke-width="1"/>')
        if k % step == 0:
            out.append(_text(gx, bottom + 16, fmt.date_short(monday, lang), anchor="middle",
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
            bars.append(f'<polygon points="{_diamond(cx, y + row_h / 2, 6)}" fill="{fill}" '
                        f'data-day="{x.deadline.isoformat()}"><title>{_e(tip)}</title>'
                        "</polygon>")
        else:
            bw = max(x1 - x0, 5.0)
            x0, x1 = x0 + (x1 - x0 - bw) / 2, x0 + (x1 - x0 + bw) / 2
            bars.append(_rect(x0, y + 4, bw, row_h - 8, fill, rx=2, title=tip,
                              extra=f' data-day="{x.deadline.isoformat()}"'))
        # The action beside its bar: on the right, or on the left near the end of the axis.
        action = _clip(x.action, 22 if narrow else 38)
        after = x1 + 5 + len(action) * font * 0.56 <= width - 2
        actions.append(_text(x1 + 5 if after else x0 - 5, y + 13, action,
                             anchor="start" if after else "end", fill=label_fill))
    out.append(f'<g font-size="{font}" font-weight="600">{"".join(ids)}</g>'
               f'<g stroke="#fff" stroke-width="1">{"".join(bars)}</g>'
               f'<g font-size="{font}">{"".join(actions)}</g>')
    # Today and J last, over the bars and labels, so nothing hides them.
    today = word("today", lang).lower()
    if rep.as_of < d0:
        today_label = f"← {today} {fmt.date(rep.as_of, lang)}"
    elif rep.as_of >= d1:
        today_label = f"{today} {fmt.date(rep.as_of, lang)} →"
    else:
        today_label = f"{today} {fmt.date_short(rep.as_of, lang)}"
    for d, colour, label, y_label, dash in (
            (rep.as_of, TODAY_COLOUR, today_label, marks_y, ""),
            (rep.release, J_COLOUR, f"J {fmt.date_short(rep.release, lang)}", marks_y + 16,
             ' stroke-dasharray="5 3"')):
        lx = min(max(x_of(d) + day_w / 2, label_w), label_w + plot_w)
        anchor = "end" if lx > width - 90 else ("start" if lx < label_w + 60 else "middle")
        out.append(f'<line x1="{lx:.1f}" y1="{y_label + 4}" x2="{lx:.1f}" y2="{bottom}" '
                   f'stroke="{colour}" stroke-width="2"{dash}/>')
        out.append(_text(lx, y_label, label, anchor=anchor, fill=colour, size=13,
                         weight="700"))
    label = (f"{t('report.html.chart_timeline', lang)}{fmt.colon(lang)} {fmt.date(d0, lang)} → "
             f"{fmt.date(d1 - dt.timedelta(days=1), lang)}; J {fmt.date(rep.release, lang)}; "
             f"{today} {fmt.date(rep.as_of, lang)}")
    return _svg(width, height, label, "".join(out),
                cls="timeline narrow" if narrow else "timeline")


def _diamond(cx: float, cy: float, r: float) -> str:
    return (f"{cx:.1f},{cy - r:.1f} {cx + r:.1f},{cy:.1f} "
            f"{cx:.1f},{cy + r:.1f} {cx - r:.1f},{cy:.1f}")


# ---------------------------------------------------------------- sections with numbers


