"""A report, one plan's or the label's, in one of the formats `report --format` offers;
only the renderer asked for is imported (the HTML ones are the heaviest)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .label import LabelReport
    from .render import Style
    from .report import Report


def _plain(text: str, role: str) -> str:
    return text


def render_report(rep: Report | LabelReport, fmt: str, style: Style = _plain,
                  width: int | None = None) -> str | Iterator[str]:
    """`rep` as `fmt` ("text", "md", "html", "json": in pieces); `style` colours the text
    format's roles, `width` wraps one plan's text at phrase joints."""
    from .label import LabelReport

    if fmt == "json":  # in pieces: a big plan's report is written as it is made
        from .report_json import json_chunks, report_chunks

        return json_chunks(rep.to_dict()) if isinstance(rep, LabelReport) else report_chunks(rep)
    if isinstance(rep, LabelReport):
        if fmt == "html":
            from .render_label_html import to_html as label_html

            return label_html(rep)
        from . import render_label

        return render_label.to_markdown(rep) if fmt == "md" else render_label.to_text(rep, style)
    if fmt == "html":
        from .render_html import to_html

        return to_html(rep)
    from . import render

    return render.to_markdown(rep) if fmt == "md" else render.to_text(rep, style, width)
