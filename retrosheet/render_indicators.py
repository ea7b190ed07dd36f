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
        t("report.indicator.since", lang, d=fmt.date(r.previous_on, lang)) if r.change is not None
        and r.previous_on else "", r.verdict.label(lang))


def heads(lang: str) -> list[str]:
    """The columns after the axis, in the order every format shows them."""
    return [t("report.kpi", lang), t("report.objective", lang), t("report.result", lang),
            t("report.sheet.measured_on", lang), t("report.reached", lang),
            t("report.indicator.change", lang), t("report.verdict", lang)]


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
            change = t("report.indicator.change", lang)
            parts = [f"{t('report.objective', lang)} {c.objective}",
                     f"{t('report.result', lang)} {c.result}",
                     f"{t('report.sheet.measured_on', lang)} {c.measured_on}",
                     f"{t('report.reached', lang)} {c.reached}", f"{change} {_change(c)}"]
            verdict = f"{t('report.verdict', lang)} {c.verdict}"
            role = VERDICT_ROLE.get(r.verdict.name, "")
            shown = [p for p in parts if not p.endswith(" —") or p.startswith(change)]
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
    return [t("report.axis", lang), *heads(lang)], rows


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
    head = [t("report.axis", lang), names[0], names[-1], *names[1:3], names[4], names[5], names[3]]
    return _table(head, rows, cols=["own", "", "", "n", "n", "n", "n", "d"],
                  kind="indicators cards", labels={i: head[i] for i in range(3, 8)})
