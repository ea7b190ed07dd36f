"""The label report as text (terminal) and Markdown, in the report's language."""

from __future__ import annotations

from .label import LabelReport, ReleaseTask
from .render import Style, _md_table, _plain, md_text, task_text, week_of
from .words import formats as fmt
from .words import t


def heading(rep: LabelReport) -> str:
    lang = rep.lang
    monday, sunday = rep.week
    who = f", {t('report.for', lang)} {rep.owner}" if rep.owner else ""
    count = t("report.label.count", lang, n=len(rep.releases))
    return (f"{t('report.label.title', lang)} — {t('report.as_of', lang)} "
            f"{fmt.date(rep.as_of, lang)} "
            f"({week_of(monday, sunday, lang)}), {count}{who}")


def _cents(rep: LabelReport) -> int:
    """Cents shown when any figure has some, so that the releases' lines add up to the
    total as printed (149,50 € twice is 299 €, not 150 € + 150 € = 299 €)."""
    figures = [x for r in rep.releases for x in (r.budget, r.spent)]
    return 2 if any(round(x * 100) % 100 for x in figures) else 0


def money(x: float, rep: LabelReport) -> str:
    return fmt.money(x, rep.lang, _cents(rep))


def release_rows(rep: LabelReport) -> list[list[str]]:
    """One row per release, then the label's total: what the text, Markdown and HTML
    tables all show."""
    lang = rep.lang
    rows = [[r.title, fmt.date(r.plan.settings.release, lang), r.report.j_label,
             r.state.label(lang), fmt.percent(r.done_share, lang), str(len(r.report.late)),
             str(sum(len(xs) for xs in r.report.due_this_week.values())),
             str(len(r.report.blocked)), money(r.budget, rep), money(r.spent, rep)]
            for r in rep.releases]
    rows.append([t("report.label.total", lang), "", "", "", "",
                 str(sum(len(r.report.late) for r in rep.releases)),
                 str(sum(len(xs) for r in rep.releases
                         for xs in r.report.due_this_week.values())),
                 str(sum(len(r.report.blocked) for r in rep.releases)),
                 money(rep.budget, rep), money(rep.spent, rep)])
    return rows


def release_head(lang: str, short: bool = False) -> list[str]:
    """The releases table's header; `short` where columns must stay narrow (a phone)."""
    return [t("report.label.release", lang), t("report.label.date", lang), "J",
            t("report.label.state", lang), t("report.label.done", lang),
            t("report.late", lang),
            t("report.label.week" if short else "report.this_week", lang),
            t("report.label.blocked", lang), t("report.budget", lang), t("report.spent", lang)]


def task_line(x: ReleaseTask, lang: str) -> str:
    return f"[{x.release}] {task_text(x.line, lang)}"


# A release far behind would bury the others: past this many of its late tasks (most late
# first), a line says how many more there are. The JSON keeps them all.
LATE_PER_RELEASE = 10


def shown_late(rep: LabelReport) -> tuple[list[ReleaseTask], list[str]]:
    """The late tasks a reader sees, and one "+N more" line per release cut short."""
    kept: list[ReleaseTask] = []
    count: dict[str, int] = {}
    for x in rep.late:
        count[x.release] = count.get(x.release, 0) + 1
        if count[x.release] <= LATE_PER_RELEASE:
            kept.append(x)
    more = [t("report.label.more_late", rep.lang, n=n - LATE_PER_RELEASE, release=release)
            for release, n in count.items() if n > LATE_PER_RELEASE]
    return kept, more


def budget_line(rep: LabelReport) -> str:
    lang = rep.lang
    return (f"{t('report.budget', lang)} {money(rep.budget, rep)} · {t('report.spent', lang)} "
            f"{money(rep.spent, rep)} · {t('report.label.left', lang)} "
            f"{money(rep.budget - rep.spent, rep)}")


def to_text(rep: LabelReport, style: Style = _plain) -> str:
    lang = rep.lang
    out = [style(heading(rep), "title"), ""]
    head, rows = release_head(lang), release_rows(rep)
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=True)]
    out.append(style(t("report.label.releases", lang), "title"))
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
            f"  {t('report.nothing', lang)}")
        out.append("")

    late, more = shown_late(rep)
    section(t("report.late", lang), [style(task_line(x, lang), "late") for x in late] + more,
            "late", count=len(rep.late))
    section(t("report.this_week", lang), [task_line(x, lang) for x in rep.due_this_week])
    section(t("report.label.findings", lang), [str(f) for f in rep.findings],
            "late" if any(f.severity.name == "ERROR" for f in rep.findings) else "due")
    if rep.unreadable:
        section(t("report.label.unreadable", lang),
                [fmt.labelled(u.name, u.text(lang), lang) for u in rep.unreadable], "late")
    return "\n".join(out).rstrip() + "\n"


def _md(text: str) -> str:
    """User text inside Markdown: shown as typed, never run (render.md_text)."""
    return md_text(text)


def to_markdown(rep: LabelReport) -> str:
    lang = rep.lang
    out = [f"# {_md(heading(rep))}", "", f"## {t('report.label.releases', lang)}", ""]
    out += _md_table(release_head(lang), [[_md(c) for c in row] for row in release_rows(rep)])
    out += ["", budget_line(rep), ""]

    def section(title: str, lines: list[str], count: int | None = None) -> None:
        nonlocal out
        out += [f"## {title} ({len(lines) if count is None else count})", ""]
        out += [f"- {_md(x)}" for x in lines] or [f"- {t('report.nothing', lang)}"]
        out.append("")

    late, more = shown_late(rep)
    section(t("report.late", lang), [task_line(x, lang) for x in late] + more, count=len(rep.late))
    section(t("report.this_week", lang), [task_line(x, lang) for x in rep.due_this_week])
    section(t("report.label.findings", lang), [str(f) for f in rep.findings])
    if rep.unreadable:
        section(t("report.label.unreadable", lang),
                [fmt.labelled(u.name, u.text(lang), lang) for u in rep.unreadable])
    return "\n".join(out).rstrip() + "\n"
