"""The label report as one self-contained HTML page (same look as the weekly report's)."""

from __future__ import annotations

from html import escape

from .label import LabelReport, ReleaseTask
from .labels import header
from .render_html import CSS, _finding, _section, _table
from .render_label import budget_line, heading, release_head, release_rows, shown_late
from .words import formats as fmt
from .words import t

_STATE_COLOURS = {"BLOCKED": ("#b71c1c", "#fdecea"), "LATE": ("#b71c1c", "#fdecea"),
                  "ON_TRACK": ("#1b5e20", "#e3f2e4"), "RELEASED": ("#33405f", "#e8eaf0")}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _tasks(ts: list[ReleaseTask], lang: str, late: bool) -> str:
    if not ts:
        return f'<p class="nothing">{_e(t("report.nothing", lang))}</p>'
    head = [t("report.label.release", lang), header("id", lang), t("report.label.date", lang),
            header("action", lang), header("owner", lang)]
    rows = [[_e(x.release), _e(x.line.id), _e(fmt.date(x.line.deadline, lang)),
             _e(x.line.action), _e(x.line.owner or "—")] for x in ts]
    return _table(head, rows, cols=["", "id", "d", "blk act", "own"], kind="tasks cards",
                  row_classes=["late" if late else "" for _ in ts],
                  labels={0: t("report.label.release", lang)})


def to_html(rep: LabelReport) -> str:
    lang = rep.lang
    late, more = shown_late(rep)
    rows = release_rows(rep)
    cells = []
    for i, row in enumerate(rows):
        out = [_e(c) for c in row]
        if i < len(rep.releases):
            fg, bg = _STATE_COLOURS[rep.releases[i].state.name]
            out[3] = (f'<span class="badge" style="color:{fg};background:{bg};'
                      f'border-radius:10px;padding:1px 8px">{out[3]}</span>')
        else:
            out = [f"<strong>{c}</strong>" if c else "" for c in out]
        cells.append(out)
    head = release_head(lang, short=True)
    # On a phone each release becomes a card whose figures keep their column's name.
    releases = _table(head, cells, cols=["blk", "d", "d", "", "n", "n", "n", "n", "n", "n"],
                      kind="cards", labels=dict(enumerate(head)) | {0: ""})
    findings = "".join(_finding(f, lang) for f in rep.findings)
    body = "".join((
        f'<header class="top" style="background:#1f2a44;color:#fff"><h1>'
        f"{_e(heading(rep))}</h1></header>",
        _section("releases", t("report.label.releases", lang),
                 releases + f"<p>{_e(budget_line(rep))}</p>"),
        _section("late", f"{t('report.late', lang)} ({len(rep.late)})",
                 _tasks(late, lang, True) + "".join(f"<p>{_e(m)}</p>" for m in more),
                 hot=bool(rep.late)),
        _section("due-this-week", f"{t('report.this_week', lang)} ({len(rep.due_this_week)})",
                 _tasks(rep.due_this_week, lang, False)),
        _section("findings", f"{t('report.label.findings', lang)} ({len(rep.findings)})",
                 f'<ul class="findings">{findings}</ul>' if findings else
                 f'<p class="nothing">{_e(t("report.nothing", lang))}</p>',
                 hot=any(f.severity.name == "ERROR" for f in rep.findings)),
        _section("unreadable", t("report.label.unreadable", lang),
                 "<ul>" + "".join(f"<li>{_e(fmt.labelled(u.name, u.text(lang), lang))}</li>"
                                  for u in rep.unreadable) + "</ul>", hot=True)
        if rep.unreadable else "",
    ))
    return (f'<!DOCTYPE html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(heading(rep))}</title>\n<style>\n{CSS}\n"
            # The total row's empty cells would show bare column names on a phone card;
            # on a wider screen they hold the total's figures under their columns.
            "@media (max-width:640px){table.cards td:empty{display:none}}\n"
            "</style>\n</head>\n"
            f'<body>\n<div class="wrap">\n{body}\n</div>\n</body>\n</html>\n')
