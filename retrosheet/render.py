"""The weekly report as text (terminal) and Markdown, in the plan's language."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from enum import Enum
from typing import Any

from .report import ChaseLine, Report, Result, TaskLine
from .values import one_line
from .words import formats as fmt
from .words import t

Style = Callable[[str, str], str]  # (text, role) → styled text; roles: title, late, due, ok

def week_of(monday: dt.date, sunday: dt.date, lang: str) -> str:
    return t("report.week_of", lang, a=fmt.date_short(monday, lang),
             b=fmt.date_short(sunday, lang))


def heading(rep: Report) -> str:
    lang = rep.lang
    name = " — ".join(x for x in (rep.title, rep.artist) if x)
    who = f", {t('report.for', lang)} {rep.owner}" if rep.owner else ""
    return (f"{t('report.report', lang)}{' — ' + name if name else ''} — "
            f"{t('report.as_of', lang)} {fmt.date(rep.as_of, lang)}{fmt.colon(lang)} "
            f"{rep.j_label} ({t('report.release_on', lang)} {fmt.date(rep.release, lang)}){who}")


def owner_heading(owner: str, lang: str) -> str:
    """A group of tasks' owner as a reader sees it: tasks without one under "no owner"
    (the data and the JSON keep ""; a dash was too easy to miss)."""
    return owner.strip() or t("report.no_owner", lang)


def task_text(x: TaskLine, lang: str) -> str:
    late = f" ({t('report.days_late', lang, n=x.days_late)})" if x.days_late else ""
    owner = f" — {x.owner}" if x.owner else ""
    return f"{x.id} {fmt.date(x.deadline, lang)} {x.action}{owner}{late}"


RESULT_COLUMNS = ("kpi", "objective", "result", "reached", "budget", "spent", "cost_unit",
                  "verdict")


def followup_texts(rep: Report) -> list[tuple[str, list[tuple[ChaseLine, str]]]]:
    """Each follow-up due as its task's text (with how long it has waited), and its
    contacts to chase with who they are ("name, e-mail")."""
    lang = rep.lang
    return [(task_text(f.line, lang) + ("" if f.waiting is None else
                                          f" — {t('report.waiting', lang, n=f.waiting)}"),
             [(c, ", ".join(x for x in (c.name, c.email) if x)) for c in f.chase])
            for f in rep.followups_due]


def result_cells(r: Result, lang: str) -> list[str]:
    return [r.kpi or "—", fmt.number(r.objective, lang), fmt.number(r.result, lang),
            fmt.percent(r.reached, lang), fmt.money(r.budget, lang), fmt.money(r.spent, lang),
            fmt.money(r.cost_per_unit, lang, 2), r.verdict.label(lang)]


def _plain(text: str, role: str) -> str:
    return text


VERDICT_ROLE = {"WORKED": "ok", "IMPROVE": "due", "FAILED": "late"}


# Joints a line may be cut at, the loosest first: between results, between a task and its
# note, after a label, between list items, and only then between words.
JOINTS = (" · ", " — ", " : ", ": ", ", ", " ")


def wrap_phrases(text: str, width: int, indent: str, joints: tuple[str, ...] = JOINTS
                 ) -> list[str]:
    """`text` cut at its phrase joints so no line passes `width` columns; continuation
    lines are indented two more spaces. A phrase with no joint left keeps its own line."""
    if _visible(text) <= width:
        return [text]
    body = text[len(indent):]
    for n, sep in enumerate(joints):
        if sep not in body:
            continue
        parts = body.split(sep)
        pieces = [p + sep.rstrip() for p in parts[:-1]] + [parts[-1]]
        lines: list[str] = []
        cur = ""
        for piece in pieces:
            room = width - len(indent) - (2 if lines else 0)
            if cur and _visible(cur) + 1 + _visible(piece) > room:
                lines.append(cur)
                cur = piece
            else:
                cur = f"{cur} {piece}" if cur else piece
        lines.append(cur)
        # Still too long: finer joints, but words are split only when nothing else was.
        finer = tuple(j for j in joints[n + 1:] if j != " ")
        out: list[str] = []
        for k, line in enumerate(lines):
            pad = indent if k == 0 else indent + "  "
            out += wrap_phrases(pad + line, width, pad, finer)
        return out
    return [text]


def to_text(rep: Report, style: Style = _plain, width: int | None = None) -> str:
    """The report for a terminal; `width` (columns) wraps long lines at phrase joints."""
    from .render_monday import blocked_lines, monday_sections

    lang = rep.lang
    out: list[str] = [style(heading(rep), "title"), ""]
    monday, sunday = rep.week
    for sec in monday_sections(rep):
        out.append(style(f"{sec.title} ({len(sec.lines)})" if sec.key in (
            "priorities", "risks") else sec.title, "title"))
        out.extend(f"  {style(x.text, x.role) if x.role else x.text}" for x in sec.lines)
        if not sec.lines:
            out.append(f"  {t('report.nothing', lang)}")
        out.append("")

    def section(title: str, lines: list[str], role: str = "title",
                count: int | None = None) -> None:
        n = len(lines) if count is None else count
        out.append(style(f"{title} ({n})" if lines else title, role))
        out.extend(f"  {x}" for x in lines) if lines else out.append(
            f"  {t('report.nothing', lang)}")
        out.append("")

    section(t("report.late", lang), [style(task_text(x, lang), "late") for x in rep.late],
            "late" if rep.late else "title")
    for key, groups in (("this_week", rep.due_this_week), ("next_week", rep.due_next_week)):
        lines: list[str] = []
        for owner, xs in groups.items():
            lines.append(owner_heading(owner, lang))
            lines.extend(f"  {task_text(x, lang)}" for x in xs)
        title = t(f"report.{key}", lang)
        if key == "this_week":
            title += f" ({week_of(monday, sunday, lang)})"
        out.append(style(title, "title"))
        out.extend(f"  {x}" for x in lines) if lines else out.append(
            f"  {t('report.nothing', lang)}")
        out.append("")
    fl: list[str] = []
    for line, chase in followup_texts(rep):
        fl.append(line)
        for c, who in chase:
            fl.append(f"  {t('report.chase', lang)}{fmt.colon(lang)} {c.outlet}"
                      f"{' (' + who + ')' if who else ''} — "
                      f"{t('report.sent', lang)} {fmt.date(c.sent, lang)}, "
                      f"{t('report.round', lang, n=c.round)} {fmt.date(c.followup, lang)}")
    section(t("report.followups", lang), fl, count=len(rep.followups_due))
    section(t("report.blocked", lang), blocked_lines(rep))
    axis_width = max((len(p.axis) for p in rep.progress), default=0)
    pl = []
    for p in rep.progress:
        bits = [t("report.done_of", lang, done=p.done, total=p.total - p.cancelled)
                + f" ({fmt.percent(p.share_done, lang)})"]
        if p.late:
            bits.append(t("report.n_late", lang, n=p.late))
        if p.blocked:
            bits.append(t("report.n_blocked", lang, n=p.blocked))
        pl.append(f"{p.axis:<{axis_width}}  " + ", ".join(bits))
    section(t("report.progress", lang), pl)
    for key, results in (("results_axis", rep.results_by_axis),
                         ("results_platform", rep.results_by_platform),
                         ("results_action", rep.results_by_action)):
        rl = []
        for r in results:
            cells = [f"{t(f'report.{c}', lang)} {v}" for c, v in zip(RESULT_COLUMNS,
                                                                         result_cells(r, lang),
                                                          strict=True) if v != "—"]
            line = fmt.labelled(r.label, " · ".join(cells), lang)
            # The verdict is the last phrase: coloured like the HTML report's badges.
            role = VERDICT_ROLE.get(r.verdict.name, "")
            verdict = f"{t('report.verdict', lang)} {r.verdict.label(lang)}"
            if role and line.endswith(verdict):
                line = line[: -len(verdict)] + style(verdict, role)
            rl.append(line)
        section(t(f"report.{key}", lang), rl)
        if key == "results_axis":  # then each indicator within its axis, never added up
            from .render_indicators import text_lines

            section(t("report.sheet.indicators", lang), text_lines(rep, style),
                    count=len(rep.results_by_indicator))
    section(t("report.replies", lang), [
        f"{r.axis}{fmt.colon(lang)} {t('report.replied', lang, r=r.replied, n=r.contacts)} "
        f"({fmt.percent(r.rate, lang)}), "
        f"{t('report.yes_no', lang, y=r.yes, n=r.no)}" for r in rep.replies])
    section(t("report.findings", lang), [style(str(f), FINDING_ROLE.get(f.severity.name, ""))
                                  for f in rep.findings])
    text = "\n".join(out).rstrip() + "\n"
    if width is None:
        return text
    wrapped: list[str] = []
    for ln in text.split("\n"):
        indent = ln[: len(ln) - len(ln.lstrip(" "))]
        wrapped += wrap_phrases(ln, width, indent) if _visible(ln) > width else [ln]
    return "\n".join(wrapped)


FINDING_ROLE = {"ERROR": "late", "WARNING": "due"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _visible(text: str) -> int:
    """Columns a line takes on screen (colour codes take none)."""
    return len(_ANSI.sub("", text))


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    def esc(x: str) -> str:
        return x.replace("|", "\\|")

    out = ["| " + " | ".join(esc(h) for h in head) + " |",
           "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]~])")


def md_text(text: str) -> str:
    """User text as Markdown shows it literally: on one line (a line break would end a
    list item or a table row), no live HTML (entities), no emphasis, link or code."""
    text = one_line(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_escaped(x: Any) -> Any:
    """A copy of a report value with every text field passed through md_text (enums,
    numbers and dates as they are), so no section can forget to escape."""
    if isinstance(x, Enum):
        return x
    if isinstance(x, str):
        return md_text(x)
    if isinstance(x, list):
        return [_md_escaped(v) for v in x]
    if isinstance(x, tuple):
        return tuple(_md_escaped(v) for v in x)
    if isinstance(x, dict):
        return {_md_escaped(k): _md_escaped(v) for k, v in x.items()}
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return dataclasses.replace(x, **{f.name: _md_escaped(getattr(x, f.name))
                                         for f in dataclasses.fields(x) if f.init})
    return x


def to_markdown(rep: Report) -> str:
    rep = _md_escaped(rep)
    lang = rep.lang
    monday, sunday = rep.week
    from .render_monday import blocked_lines, monday_sections

    out = [f"# {heading(rep)}", ""]
    for sec in monday_sections(rep):
        out += [f"## {sec.title}", ""]
        out += [f"- {x.text}" for x in sec.lines] or [f"- {t('report.nothing', lang)}"]
        out.append("")

    def tasks(xs: list[TaskLine]) -> list[str]:
        return [f"- {task_text(x, lang)}" for x in xs] or [f"- {t('report.nothing', lang)}"]

    out += [f"## {t('report.late', lang)} ({len(rep.late)})", "", *tasks(rep.late), ""]
    for key, groups in (("this_week", rep.due_this_week), ("next_week", rep.due_next_week)):
        title = t(f"report.{key}", lang)
        if key == "this_week":
            title += f" ({week_of(monday, sunday, lang)})"
        out += [f"## {title}", ""]
        if not groups:
            out += [f"- {t('report.nothing', lang)}"]
        for owner, xs in groups.items():
            out += [f"**{owner_heading(owner, lang)}**", "", *tasks(xs), ""]
        out.append("")
    out += [f"## {t('report.followups', lang)} ({len(rep.followups_due)})", ""]
    for line, chase in followup_texts(rep):
        out.append(f"- {line}")
        for c, who in chase:
            out.append(f"  - {c.outlet}{' (' + who + ')' if who else ''} — "
                       f"{t('report.round', lang, n=c.round)} {fmt.date(c.followup, lang)}")
    if not rep.followups_due:
        out.append(f"- {t('report.nothing', lang)}")
    out += ["", f"## {t('report.blocked', lang)} ({len(rep.blocked)})", "",
            *([f"- {x}" for x in blocked_lines(rep)] or [f"- {t('report.nothing', lang)}"]), ""]
    out += [f"## {t('report.progress', lang)}", ""]
    out += _md_table([t("report.axis", lang), "✓", "%", t("report.late", lang),
                      t("report.blocked", lang)], [
        [p.axis, f"{p.done}/{p.total - p.cancelled}", fmt.percent(p.share_done, lang),
         str(p.late), str(p.blocked)] for p in rep.progress])
    for key, first, results in (("results_axis", "axis", rep.results_by_axis),
                                ("results_platform", "platform", rep.results_by_platform),
                                ("results_action", "action", rep.results_by_action)):
        out += ["", f"## {t(f'report.{key}', lang)}", ""]
        out += _md_table([t(f"report.{first}", lang),
                          *(t(f"report.{c}", lang) for c in RESULT_COLUMNS)],
                         [[r.label, *result_cells(r, lang)] for r in results])
        if key == "results_axis":  # then each indicator within its axis, never added up
            from .render_indicators import md_rows

            out += ["", f"## {t('report.sheet.indicators', lang)}", "", *_md_table(*md_rows(rep))]
    out += ["", f"## {t('report.replies', lang)}", ""]
    out += _md_table([t("report.axis", lang), t("report.replies_word", lang), "%"], [
        [r.axis, f"{r.replied}/{r.contacts}", fmt.percent(r.rate, lang)] for r in rep.replies])
    out += ["", f"## {t('report.findings', lang)} ({len(rep.findings)})", ""]
    out += [f"- {f}" for f in rep.findings] or [f"- {t('report.nothing', lang)}"]
    return "\n".join(out).rstrip() + "\n"
