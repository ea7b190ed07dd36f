"""The weekly report as one self-contained HTML page, ready to e-mail (docs/contract.md §6).

Self-contained: inline CSS, charts drawn here as inline SVG, system fonts, no script, no
link to anything outside the page but ``mailto:`` and in-page anchors. Readable on a phone
(a max-width column; task and contact rows turn into small cards, wide tables scroll
sideways, the timeline keeps a readable minimum width and scrolls) and in a mail client
(plain block layout: nothing essential depends on flex or grid; badges carry their colours
inline; every chart's numbers are also in a table).

Words come from the catalogue (retrosheet/words: ``t``, labels.py), numbers and dates from
words.formats, lines from render.py (``heading``, ``task_text``, ``result_cells``), so the
page says what the text report says. Every user text goes through ``html.escape``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import quote

from .checks import Finding
from .labels import (
    Reply,
    Status,
    contact_header,
    header,
    sheet_name,
    word,
)
from .render import (
    RESULT_COLUMNS,
    heading,
    owner_heading,
    result_cells,
    week_of,
)
from .render_svg import (
    BLUE,
    FONT,
    GREY_BG,
    INK,
    MUTED,
    RED,
    RED_BG,
    RULE,
    SEVERITY_COLOURS,
    VERDICT_COLOURS,
    _e,
    budget_chart,
    progress_chart,
    reached_chart,
    timeline_chart,
)
from .report import Report, Result, TaskLine, Verdict
from .words import formats as fmt
from .words import t

CSS = f"""
body{{margin:0;padding:0;background:#f3f4f6;color:{INK};font-family:{FONT};font-size:15px;
line-height:1.45;-webkit-text-size-adjust:100%;text-size-adjust:100%}}
.wrap{{max-width:980px;margin:0 auto;padding:16px}}
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
table.wide th{{white-space:normal}}
table.wide td.n{{font-size:13px}}
.tl-narrow{{display:none}}
ul.monday{{margin:0 0 6px;padding:0 0 0 18px}}
ul.monday li{{margin:2px 0}}
li.late{{color:{RED}}}
li.due{{color:#7a4a00}}
li.ok{{color:#1b5e20}}
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
svg.timeline.narrow{{min-width:0}}
.pair{{display:inline-block;vertical-align:top;width:50%;box-sizing:border-box}}
.pair.right{{padding-left:14px}}
.caption{{margin:8px 0 2px;font-weight:600;font-size:14px}}
.foot{{margin:18px 0 8px;color:{MUTED};font-size:12px;text-align:center}}
@media (max-width:640px){{
.wrap{{padding:8px}}
.tl-wide{{display:none}}
.tl-narrow{{display:block}}
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


def badge(text: str, fg: str, bg: str, cls: str = "") -> str:
    """A coloured label; colours inline so that mail clients that drop <style> keep them."""
    return (f'<span class="badge{" " + cls if cls else ""}" style="color:{fg};'
            f'background:{bg};border-radius:10px;padding:1px 8px">{_e(text)}</span>')


def verdict_badge(v: Verdict, lang: str) -> str:
    fg, bg, _ = VERDICT_COLOURS[v]
    return badge(v.label(lang), fg, bg, f"verdict-{v.name.lower()}")


def _nothing(lang: str) -> str:
    return f'<p class="nothing">{_e(t("report.nothing", lang))}</p>'


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
    head = [header("id", lang), header("deadline", lang), header("action", lang)]
    cols = ["id", "d", "blk act"]
    if owner:
        head.append(header("owner", lang))
        cols.append("own")
    head.append(t("report.late", lang) if late else header("status", lang))
    cols.append("late" if late else "st")
    rows: list[list[str]] = []
    for x in xs:
        row = [_e(x.id), _e(fmt.date(x.deadline, lang)), _e(x.action)]
        if owner:
            row.append(_e(x.owner or "—"))
        row.append(_e(t("report.days_late", lang, n=x.days_late)) if late
                   else _status_text(x, lang))
        rows.append(row)
    return _table(head, rows, cols=cols, kind="tasks cards",
                  row_classes=["late" if late else "" for _ in xs])


def _status_text(x: TaskLine, lang: str) -> str:
    text = _e(x.status.label(lang))
    if x.days_late:
        late = _e(t("report.days_late", lang, n=x.days_late))
        text += f' <span class="late-text">({late})</span>'
    return text


def _late(rep: Report) -> str:
    lang = rep.lang
    body = _task_table(rep.late, lang, late=True) if rep.late else _nothing(lang)
    return _section("late", _count(t("report.late", lang), len(rep.late)), body,
                    hot=bool(rep.late))


def _due(rep: Report, sid: str, key: str, groups: dict[str, list[TaskLine]],
         monday: dt.date, sunday: dt.date) -> str:
    lang = rep.lang
    n = sum(len(xs) for xs in groups.values())
    title = f"{t(f'report.{key}', lang)} ({week_of(monday, sunday, lang)})"
    parts = [f'<p class="owner">{_e(owner_heading(owner, lang))} ({len(xs)})</p>'
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
        waiting = ("" if f.waiting is None else
                   f' — <span class="muted">{_e(t("report.waiting", lang, n=f.waiting))}</span>')
        late = (f' <span class="late-text">'
                f'({_e(t("report.days_late", lang, n=x.days_late))})</span>'
                if x.days_late else "")
        owner = f" — {_e(x.owner)}" if x.owner else ""
        head = (f"<p><strong>{_e(x.id)}</strong> {_e(fmt.date(x.deadline, lang))} "
                f"{_e(x.action)}{owner}{late}{waiting}</p>")
        table = ""
        if f.chase:
            rows = [[_e(c.outlet or "—"), _e(c.name or "—"),
                     _mailto(c.email, rep) if c.email.strip() else "—",
                     _e(fmt.date(c.sent, lang)),
                     _e(f"{t('report.round', lang, n=c.round)} {fmt.date(c.followup, lang)}")]
                    for c in f.chase]
            sent = contact_header("sent", lang)
            table = _table([*(contact_header(k, lang) for k in ("outlet", "name", "email")),
                            sent, header("followup", lang)], rows,
                           cols=["outlet", "", "blk", "d", "d"], kind="contacts cards",
                           labels={3: sent})
        parts.append(f'<div class="fu">{head}{table}</div>')
    return _section("followups", _count(t("report.followups", lang), len(rep.followups_due)),
                    "".join(parts) or _nothing(lang))


def _blocked(rep: Report) -> str:
    from .render_monday import blocked_lines

    lang = rep.lang
    why = "".join(f"<li>{_e(x)}</li>" for x in blocked_lines(rep))
    body = (_task_table(rep.blocked, lang) + f'<ul class="monday">{why}</ul>' if rep.blocked
            else _nothing(lang))
    return _section("blocked", _count(t("report.blocked", lang), len(rep.blocked)), body,
                    hot=bool(rep.blocked))


def _progress(rep: Report) -> str:
    lang = rep.lang
    if not rep.progress:
        return _section("progress", t("report.progress", lang), _nothing(lang))
    rows = [[_e(p.axis), _e(f"{p.done}/{p.total - p.cancelled}"),
             _e(fmt.percent(p.share_done, lang)),
             str(p.in_progress), str(p.late) if not p.late
             else f'<span class="late-text">{p.late}</span>', str(p.blocked)]
            for p in rep.progress]
    table = _table([t("report.axis", lang), word("done", lang), "%",
                    Status.IN_PROGRESS.label(lang),
                    t("report.late", lang), t("report.blocked", lang)], rows,
                   cols=["", "n", "n", "n", "n", "n"], kind="nums")
    return _section("progress", t("report.progress", lang),
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
    return _table([t(f"report.{first}", lang), t(f"report.{RESULT_COLUMNS[-1]}", lang),
                   *(t(f"report.{c}", lang) for c in RESULT_COLUMNS[:-1])], rows,
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
        parts.append(f"<h3>{_e(t(f'report.{key}', lang))}</h3>")
        parts.append(_results_table(results, first, lang, action=key == "results_action")
                     if results else _nothing(lang))
        if key == "results_axis":  # then each indicator within its axis, never added up
            from .render_indicators import html_table

            parts.append(f'<h3 id="indicators">{_e(t("report.sheet.indicators", lang))}</h3>')
            parts.append(html_table(rep) if rep.results_by_indicator else _nothing(lang))
    return _section("results", t("report.html.results", lang), "".join(parts))


def _replies(rep: Report) -> str:
    lang = rep.lang
    if not rep.replies:
        return _section("replies", t("report.replies", lang), _nothing(lang))
    rows = [[_e(r.axis), str(r.contacts), _e(f"{r.replied}/{r.contacts}"),
             f'<span class="meter"><span style="width:{r.rate * 100:.0f}%"></span></span>'
             f"{_e(fmt.percent(r.rate, lang))}", str(r.yes), str(r.no)] for r in rep.replies]
    replies = t("report.replies_word", lang)
    table = _table([t("report.axis", lang), sheet_name("contacts", lang),
                    replies[:1].upper() + replies[1:], "%", Reply.YES.label(lang),
                    Reply.NO.label(lang)], rows, cols=["", "n", "n", "n", "n", "n"],
                   kind="nums")
    return _section("replies", t("report.replies", lang), table)


def _finding(f: Finding, lang: str) -> str:
    fg, bg = SEVERITY_COLOURS[f.severity]
    where = f' <span class="where">{_e(f.where)}</span>' if f.where else ""
    return (f'<li class="severity-{f.severity.name.lower()}">'
            f"{badge(f.severity.label(lang), fg, bg)}{where} {_e(f.message)}</li>")


def _findings(rep: Report) -> str:
    lang = rep.lang
    body = (f'<ul class="findings">{"".join(_finding(f, lang) for f in rep.findings)}</ul>'
            if rep.findings else _nothing(lang))
    return _section("findings", _count(t("report.findings", lang), len(rep.findings)), body)


def _timeline(rep: Report) -> str:
    """A desktop picture and a phone one; the page's CSS shows the one that fits."""
    chart = timeline_chart(rep)
    body = (f'<div class="scroll tl-wide">{chart}</div>'
            f'<div class="tl-narrow">{timeline_chart(rep, narrow=True)}</div>'
            if chart else _nothing(rep.lang))
    return _section("timeline", t("report.html.timeline", rep.lang), body)


# ---------------------------------------------------------------- page


def _top(rep: Report) -> str:
    lang = rep.lang
    name = " — ".join(x for x in (rep.title, rep.artist) if x)
    who = f" — {t('report.for', lang)} {rep.owner}" if rep.owner else ""
    report_of = (f"{t('report.report', lang)} — {t('report.as_of', lang)} "
                 f"{fmt.date(rep.as_of, lang)}")
    # With no title the heading is the report line itself, said once.
    kicker = f"{report_of}{who}" if name else who.removeprefix(" — ")
    name = name or report_of
    chips = []
    colon = fmt.colon(lang).replace(" ", "\u00a0")  # never alone at a line's start
    for sid, label, n, hot in (
            ("late", t("report.late", lang), len(rep.late), bool(rep.late)),
            ("due-this-week", t("report.this_week", lang),
             sum(len(v) for v in rep.due_this_week.values()), False),
            ("followups", t("report.followups", lang), len(rep.followups_due), False),
            ("blocked", t("report.blocked", lang), len(rep.blocked), bool(rep.blocked))):
        style = "background:#c62828" if hot else "background:#33405f"
        chips.append(f'<a class="chip{" hot" if hot else ""}" href="#{sid}" '
                     f'style="{style};color:#fff">{_e(label)}{colon} {n}</a>')
    return (f'<header class="top" style="background:#1f2a44;color:#fff">'
            f'<div class="jn">{_e(rep.j_label)}<small>'
            f'{_e(t("report.release_on", lang))} {_e(fmt.date(rep.release, lang))}</small></div>'
            + (f'<p class="kicker">{_e(kicker)}</p>' if kicker else "")
            + f"<h1>{_e(name)}</h1>"
            + f'<p class="chips">{"".join(chips)}</p></header>')


def _monday(rep: Report) -> str:
    """The Monday summary: priorities, risks, hard deadlines, budget."""
    from .render_monday import monday_sections

    parts = []
    for sec in monday_sections(rep):
        items = "".join(f'<li class="{x.role}">{_e(x.text)}</li>' if x.role
                        else f"<li>{_e(x.text)}</li>" for x in sec.lines)
        parts.append(f"<h3>{_e(sec.title)}</h3>"
                     + (f'<ul class="monday">{items}</ul>' if items else _nothing(rep.lang)))
    return (_section("monday", t("report.monday.summary", rep.lang), "".join(parts))
            if parts else "")


def to_html(rep: Report) -> str:
    """The report as one self-contained HTML page in the plan's language."""
    lang = rep.lang
    monday, sunday = rep.week
    week = dt.timedelta(days=7)
    body = "".join((
        _top(rep),
        _monday(rep),
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
