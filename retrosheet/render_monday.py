"""The Monday sections (monday.py) as titled lists of lines, shared by the text, Markdown
and HTML renderers so each format says the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from .monday import State
from .render import task_text
from .report import Report
from .words import formats as fmt
from .words import t

STATE_ROLE = {State.DONE: "ok", State.LATE: "late", State.THIS_WEEK: "due",
              State.ON_TRACK: "", State.MISSING: "late"}


@dataclass(frozen=True)
class Line:
    text: str
    role: str = ""  # "", "late", "due", "ok": how the terminal and HTML colour it


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: tuple[Line, ...]


def monday_sections(rep: Report) -> list[Section]:
    m, lang = rep.monday, rep.lang
    if m is None:
        return []
    b = m.budget
    if b.total or b.spent:
        # Cents shown when there are any, so that planned − spent = left as printed.
        cents = 2 if any(round(x * 100) % 100 for x in (b.total, b.spent)) else 0
        text = t("report.monday.budget_line", lang, total=fmt.money(b.total, lang, cents),
                 spent=fmt.money(b.spent, lang, cents), share=fmt.percent(b.share_spent, lang),
                 left=fmt.money(b.left, lang, cents))
        extra = []
        if b.left < 0:
            extra.append(t("report.monday.over", lang, over=fmt.money(-b.left, lang, cents)))
        if b.unbudgeted:
            extra.append(t("report.monday.unbudgeted", lang,
                           x=fmt.money(b.unbudgeted, lang, cents)))
        budget = [Line(text + (" — " + ", ".join(extra) if extra else ""),
                       "late" if b.left < 0 else "")]
    else:
        budget = [Line(t("report.monday.no_budget", lang))]
    risks = []
    for r in m.risks:
        ids = ", ".join(x.id for x in r.dependents[:6]) + ("…" if len(r.dependents) > 6 else "")
        n = len(r.dependents)
        after = (t("report.monday.waits" if n == 1 else "report.monday.waits_n", lang, n=n,
                   ids=ids) if n else t("report.monday.alone", lang))
        risks.append(Line(f"{task_text(r.task, lang)} — {after}", "late"))
    checks = []
    for ch in m.checklist:
        what = (f"{ch.task.id} {fmt.date(ch.task.deadline, lang)} {ch.task.action}" if ch.task
                else t("report.monday.missing", lang))
        checks.append(Line(fmt.labelled(ch.kind.label(lang), f"{ch.state.label(lang)} — {what}",
                                        lang), STATE_ROLE[ch.state]))
    prio = [Line(f"{task_text(p.task, lang)} — " + ", ".join(y.label(lang) for y in p.why),
                 "late" if p.task.days_late else "")
            for p in m.priorities]
    return [
        Section("priorities", t("report.monday.priorities", lang), tuple(prio)),
        Section("risks", t("report.monday.risks", lang), tuple(risks)),
        Section("checklist", t("report.monday.checklist", lang), tuple(checks)),
        Section("budget", t("report.budget", lang), tuple(budget)),
    ]


def blocked_lines(rep: Report) -> list[str]:
    """Blocked tasks with why (their notes): the report's Blocked section."""
    lang = rep.lang
    reasons = {x.task.id: x.reason for x in rep.monday.blocked} if rep.monday else {}
    return [fmt.labelled(task_text(x, lang), reasons.get(x.id)
                         or t("report.monday.no_reason", lang), lang) for x in rep.blocked]
