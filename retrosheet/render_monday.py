"""The Monday sections (monday.py) as titled lists of lines, shared by the text, Markdown
and HTML renderers so each format says the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from .monday import State
from .render import day, money, pct, task_text
from .report import Report


def plural(n: int, fr: str, en: str, lang: str) -> str:
    word = fr if lang == "fr" else en
    return f"{n} {word}{'s' if n > 1 else ''}"

WORDS: dict[str, tuple[str, str]] = {
    "summary": ("Le point du lundi", "Monday summary"),
    "budget": ("Budget", "Budget"),
    "budget_line": ("{total} prévus, {spent} dépensés ({share}), reste {left}",
                    "{total} planned, {spent} spent ({share}), {left} left"),
    "over": ("dépassement de {over}", "{over} over"),
    "unbudgeted": ("dont {x} sur des lignes sans budget", "of which {x} on rows with no budget"),
    "no_budget": ("aucun budget saisi", "no budget entered"),
    "risks": ("Risques", "Risks"),
    "waits": ("{n} en attend : {ids}", "{n} waits for it: {ids}"),
    "waits_n": ("{n} en attendent : {ids}", "{n} wait for it: {ids}"),
    "alone": ("aucune tâche n'en dépend", "no task depends on it"),
    "checklist": ("Échéances fermes", "Hard deadlines"),
    "missing": ("aucune tâche de ce type dans le plan", "no such task in the plan"),
    "no_reason": ("raison non notée (colonne Notes vide)", "no reason noted (Notes empty)"),
    "priorities": ("Priorités de la semaine", "This week's priorities"),
}

STATE_ROLE = {State.DONE: "ok", State.LATE: "late", State.THIS_WEEK: "due",
              State.ON_TRACK: "", State.MISSING: "late"}


def mw(key: str, lang: str, **kw: object) -> str:
    fr, en = WORDS[key]
    return (fr if lang == "fr" else en).format(**kw)


@dataclass(frozen=True)
class Line:
    text: str
    role: str = ""  # "", "late", "due", "ok": how the terminal and HTML colour it


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: tuple[Line, ...]


def _colon(lang: str) -> str:
    return " : " if lang == "fr" else ": "


def monday_sections(rep: Report) -> list[Section]:
    m, lang = rep.monday, rep.lang
    if m is None:
        return []
    c = _colon(lang)
    b = m.budget
    if b.total or b.spent:
        text = mw("budget_line", lang, total=money(b.total, lang), spent=money(b.spent, lang),
                  share=pct(b.share_spent, lang), left=money(b.left, lang))
        extra = []
        if b.left < 0:
            extra.append(mw("over", lang, over=money(-b.left, lang)))
        if b.unbudgeted:
            extra.append(mw("unbudgeted", lang, x=money(b.unbudgeted, lang)))
        budget = [Line(text + (" — " + ", ".join(extra) if extra else ""),
                       "late" if b.left < 0 else "")]
    else:
        budget = [Line(mw("no_budget", lang))]
    risks = []
    for r in m.risks:
        ids = ", ".join(x.id for x in r.dependents[:6]) + ("…" if len(r.dependents) > 6 else "")
        n = len(r.dependents)
        after = (mw("waits" if n == 1 else "waits_n", lang, n=plural(n, "tâche", "task", lang),
                    ids=ids) if n else mw("alone", lang))
        risks.append(Line(f"{task_text(r.task, lang)} — {after}", "late"))
    checks = []
    for ch in m.checklist:
        what = (f"{ch.task.id} {day(ch.task.deadline, lang)} {ch.task.action}" if ch.task
                else mw("missing", lang))
        checks.append(Line(f"{ch.kind.label(lang)}{c}{ch.state.label(lang)} — {what}",
                           STATE_ROLE[ch.state]))
    prio = [Line(f"{task_text(p.task, lang)} — " + ", ".join(y.label(lang) for y in p.why),
                 "late" if p.task.days_late else "")
            for p in m.priorities]
    return [
        Section("priorities", mw("priorities", lang), tuple(prio)),
        Section("risks", mw("risks", lang), tuple(risks)),
        Section("checklist", mw("checklist", lang), tuple(checks)),
        Section("budget", mw("budget", lang), tuple(budget)),
    ]


def blocked_lines(rep: Report) -> list[str]:
    """Blocked tasks with why (their notes): the report's Blocked section."""
    lang = rep.lang
    reasons = {x.task.id: x.reason for x in rep.monday.blocked} if rep.monday else {}
    return [f"{task_text(x, lang)}{_colon(lang)}{reasons.get(x.id) or mw('no_reason', lang)}"
            for x in rep.blocked]
