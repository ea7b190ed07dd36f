"""The label report as text (terminal) and Markdown, in the report's language."""

from __future__ import annotations

from .label import LabelReport, ReleaseTask
from .render import Style, _md_table, _plain, day, md_text, money, pct, task_text, week_of

W: dict[str, tuple[str, str]] = {
    "title": ("Rapport du label", "Label report"),
    "as_of": ("au", "as of"),
    "for": ("pour", "for"),
    "releases": ("Sorties", "Releases"),
    "release": ("Sortie", "Release"),
    "date": ("Date", "Date"),
    "state": ("État", "State"),
    "done": ("Fait", "Done"),
    "late": ("En retard", "Late"),
    "this_week": ("À faire cette semaine", "Due this week"),
    "week": ("Semaine", "This week"),
    "blocked": ("Bloquées", "Blocked"),
    "budget": ("Budget", "Budget"),
    "spent": ("Dépensé", "Spent"),
    "left": ("Reste", "Left"),
    "total": ("Total", "Total"),
    "findings": ("Entre les sorties", "Across releases"),
    "unreadable": ("Plans illisibles", "Unreadable plans"),
    "nothing": ("rien", "nothing"),
}


def lw(key: str, lang: str) -> str:
    fr, en = W[key]
    return fr if lang == "fr" else en


def heading(rep: LabelReport) -> str:
    lang = rep.lang
    monday, sunday = rep.week
    who = f", {lw('for', lang)} {rep.owner}" if rep.owner else ""
    n = len(rep.releases)
    count = f"{n} sortie(s)" if lang == "fr" else f"{n} release(s)"
    return (f"{lw('title', lang)} — {lw('as_of', lang)} {day(rep.as_of, lang)} "
            f"({week_of(monday, sunday, lang)}), {count}{who}")


def release_rows(rep: LabelReport) -> list[list[str]]:
    """One row per release, then the label's total: what the text, Markdown and HTML
    tables all show."""
    lang = rep.lang
    rows = [[r.title, day(r.plan.settings.release, lang), r.report.j_label,
             r.state.label(lang), pct(r.done_share, lang), str(len(r.report.late)),
             str(sum(len(xs) for xs in r.report.due_this_week.values())),
             str(len(r.report.blocked)), money(r.budget, lang), money(r.spent, lang)]
            for r in rep.releases]
    rows.append([lw("total", lang), "", "", "", "",
                 str(sum(len(r.report.late) for r in rep.releases)),
                 str(sum(len(xs) for r in rep.releases
                         for xs in r.report.due_this_week.values())),
                 str(sum(len(r.report.blocked) for r in rep.releases)),
                 money(rep.budget, lang), money(rep.spent, lang)])
    return rows


def release_head(lang: str, short: bool = False) -> list[str]:
    """The releases table's header; `short` where columns must stay narrow (a phone)."""
    week = "week" if short else "this_week"
    return [lw(k, lang) for k in ("release", "date")] + ["J"] + [
        lw(k, lang) for k in ("state", "done", "late", week, "blocked", "budget", "spent")]


def task_line(t: ReleaseTask, lang: str) -> str:
    return f"[{t.release}] {task_text(t.line, lang)}"


# A release far behind would bury the others: past this many of its late tasks (most late
# first), a line says how many more there are. The JSON keeps them all.
LATE_PER_RELEASE = 10


def shown_late(rep: LabelReport) -> tuple[list[ReleaseTask], list[str]]:
    """The late tasks a reader sees, and one "+N more" line per release cut short."""
    kept: list[ReleaseTask] = []
    count: dict[str, int] = {}
    for t in rep.late:
        count[t.release] = count.get(t.release, 0) + 1
        if count[t.release] <= LATE_PER_RELEASE:
            kept.append(t)
    more = [(f"… +{n - LATE_PER_RELEASE} autres tâches en retard ({release})" if rep.lang == "fr"
             else f"… +{n - LATE_PER_RELEASE} more late tasks ({release})")
            for release, n in count.items() if n > LATE_PER_RELEASE]
    return kept, more


def budget_line(rep: LabelReport) -> str:
    lang = rep.lang
    return (f"{lw('budget', lang)} {money(rep.budget, lang)} · {lw('spent', lang)} "
            f"{money(rep.spent, lang)} · {lw('left', lang)} "
            f"{money(rep.budget - rep.spent, lang)}")


def to_text(rep: LabelReport, style: Style = _plain) -> str:
    lang = rep.lang
    out = [style(heading(rep), "title"), ""]
    head, rows = release_head(lang), release_rows(rep)
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
    out.append(style(lw("releases", lang), "title"))
    for i, row in enumerate([head, *rows]):
        text = "  ".join(c.ljust(wd) if j < 5 else c.rjust(wd)
                         for j, (c, wd) in enumerate(zip(row, widths, strict=True)))
        out.append("  " + (style(text, "title") if i in (0, len(rows)) else text).rstrip())
    out.append("  " + budget_line(rep))
    out.append("")

    def section(title: str, lines: list[str], role: str = "title",
                count: int | None = None) -> None:
        n = len(lines) if count is None else count
        out.append(style(f"{title} ({n})" if lines else title, role if lines else "title"))
        out.extend(f"  {x}" for x in lines) if lines else out.append(
            f"  {lw('nothing', lang)}")
        out.append("")

    late, more = shown_late(rep)
    section(lw("late", lang), [style(task_line(t, lang), "late") for t in late] + more,
            "late", count=len(rep.late))
    section(lw("this_week", lang), [task_line(t, lang) for t in rep.due_this_week])
    section(lw("findings", lang), [str(f) for f in rep.findings],
            "late" if any(f.severity.name == "ERROR" for f in rep.findings) else "due")
    if rep.unreadable:
        section(lw("unreadable", lang), [f"{u.name}: {u.error}" for u in rep.unreadable],
                "late")
    return "\n".join(out).rstrip() + "\n"


def _md(text: str) -> str:
    """User text inside Markdown: shown as typed, never run (render.md_text)."""
    return md_text(text)


def to_markdown(rep: LabelReport) -> str:
    lang = rep.lang
    out = [f"# {_md(heading(rep))}", "", f"## {lw('releases', lang)}", ""]
    out += _md_table(release_head(lang), [[_md(c) for c in row] for row in release_rows(rep)])
    out += ["", budget_line(rep), ""]

    def section(title: str, lines: list[str], count: int | None = None) -> None:
        nonlocal out
        out += [f"## {title} ({len(lines) if count is None else count})", ""]
        out += [f"- {_md(x)}" for x in lines] or [f"- {lw('nothing', lang)}"]
        out.append("")

    late, more = shown_late(rep)
    section(lw("late", lang), [task_line(t, lang) for t in late] + more, count=len(rep.late))
    section(lw("this_week", lang), [task_line(t, lang) for t in rep.due_this_week])
    section(lw("findings", lang), [str(f) for f in rep.findings])
    if rep.unreadable:
        section(lw("unreadable", lang), [f"{u.name}: {u.error}" for u in rep.unreadable])
    return "\n".join(out).rstrip() + "\n"
