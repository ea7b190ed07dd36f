"""Results per indicator in the text, Markdown and HTML reports: each indicator within its
axis (never added to another), with its unit, objective, latest result, % reached, verdict
and week-on-week change from History — the figures of the JSON's `results.by_indicator`,
formatted once here so every format shows the same ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .render import VERDICT_ROLE
from .report import Report, Result
from .words import formats as fmt
from .words import t

# This section's words (catalogue ids); the Report sheet's section says the same.
KEYS = {"indicators": "report.sheet.indicators", "measured_on": "report.sheet.measured_on",
        "change": "report.indicator.change", "since": "report.indicator.since",
        "since_head": "report.indicator.since_head"}
OWN = ("measured_on", "change")  # columns whose header is one of them


def iw(key: str, lang: str, **kw: object) -> str:
    return t(KEYS[key], lang, **kw)


def w(key: str, lang: str) -> str:
    """A word the other results sections use too (catalogue `report.*`)."""
    return t(f"report.{key}", lang)


def signed(x: float | None, lang: str) -> str:
    """A change with its sign: +1 500, −300 (a minus sign, not a hyphen), 0; — for none."""
    if x is None:
        return "—"
    text = fmt.number(abs(x), lang)
    return text if text == "0" else ("+" if x > 0 else "\u2212") + text


@dataclass(frozen=True)
class IndicatorCells:
    """One indicator's figures as every format writes them."""

    axis: str
    kpi: str
    objective: str
    result: str
    measured_on: str
    reached: str
    change: str
    since: str  # "depuis le 07/05/2027", "" when there is no earlier measure
    verdict: str


def cells(r: Result, lang: str) -> IndicatorCells:
    return IndicatorCells(
        r.label, r.kpi or "—", fmt.number(r.objective, lang), fmt.number(r.result, lang),
        fmt.date(r.measured_on, lang) if r.measured_on else "—", fmt.percent(r.reached, lang),
        signed(r.change, lang),
        iw("since", lang, d=fmt.date(r.previous_on, lang)) if r.change is not None
        and r.previous_on else "", r.verdict.label(lang))


# Columns after the axis, in the order every format shows them.
COLUMNS = ("kpi", "objective", "result", "measured_on", "reached", "change", "verdict")


def heads(lang: str) -> list[str]:
    return [iw(c, lang) if c in OWN else w(c, lang) for c in COLUMNS]


def by_axis(rep: Report) -> list[tuple[str, list[Result]]]:
    """The indicators grouped under their axis, in the report's axis order."""
    groups: dict[str, list[Result]] = {}
    for r in rep.results_by_indicator:
        groups.setdefault(r.label, []).append(r)
    return list(groups.items())


def _change(c: IndicatorCells) -> str:
    return f"{c.change} ({c.since})" if c.since else c.change


def text_lines(rep: Report, style: Callable[[str, str], str]) -> list[str]:
    """Each axis on a line, its indicators below it: `KPI : Objectif … · Verdict …`."""
    lang = rep.lang
    out: list[str] = []
    for axis, results in by_axis(rep):
        out.append(axis or "—")
        for r in results:
            c = cells(r, lang)
            parts = [f"{w('objective', lang)} {c.objective}", f"{w('result', lang)} {c.result}",
                     f"{iw('measured_on', lang)} {c.measured_on}",
                     f"{w('reached', lang)} {c.reached}", f"{iw('change', lang)} {_change(c)}"]
            verdict = f"{w('verdict', lang)} {c.verdict}"
            role = VERDICT_ROLE.get(r.verdict.name, "")
            shown = [p for p in parts if not p.endswith(" —")
                     or p.startswith(iw("change", lang))]
            out.append("  " + fmt.labelled(c.kpi, " · ".join(
                [*shown, style(verdict, role) if role else verdict]), lang))
    return out


def md_rows(rep: Report) -> tuple[list[str], list[list[str]]]:
    """The Markdown table's header and rows (cells are escaped by the caller's report)."""
    lang = rep.lang
    rows = []
    for r in rep.results_by_indicator:
        c = cells(r, lang)
        rows.append([c.axis or "—", c.kpi, c.objective, c.result, c.measured_on, c.reached,
                     _change(c), c.verdict])
    return [w("axis", lang), *heads(lang)], rows


def html_table(rep: Report) -> str:
    """A table that turns into one card per indicator on a phone (no sideways scroll)."""
    from .render_html import _table, verdict_badge
    from .render_svg import _e

    lang = rep.lang
    rows = []
    for r in rep.results_by_indicator:
        c = cells(r, lang)
        since = f'<br><small class="muted">{_e(c.since)}</small>' if c.since else ""
        rows.append([_e(c.axis or "—"), f"<strong>{_e(c.kpi)}</strong>",
                     verdict_badge(r.verdict, lang), _e(c.objective), _e(c.result),
                     _e(c.reached), _e(c.change) + since, _e(c.measured_on)])
    names = heads(lang)
    head = [w("axis", lang), names[0], names[-1], *names[1:3], names[4], names[5], names[3]]
    return _table(head, rows, cols=["own", "", "", "n", "n", "n", "n", "d"],
                  kind="indicators cards", labels={i: head[i] for i in range(3, 8)})
