"""The weekly report as one self-contained HTML page (placeholder until the HTML renderer
lands: the Markdown report in a <pre>, so --format html already works)."""

from __future__ import annotations

from html import escape

from .render import to_markdown
from .report import Report


def to_html(rep: Report) -> str:
    return (f'<!doctype html><html lang="{rep.lang}"><meta charset="utf-8">'
            f"<pre>{escape(to_markdown(rep))}</pre></html>\n")
