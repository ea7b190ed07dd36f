"""The label report's HTML laid out by a real headless Chromium: at desktop width the
total row's figures stand under their columns (its empty cells were hidden at every width,
so « Total 97 23 1 36 790 € » slid left under Date, J, État…); on a phone the total is a
card without bare column names.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import escape, unescape
from pathlib import Path

import pytest
from test_report_html import _chromium, requires_chromium

from retrosheet.label import build_label_report, release_of
from retrosheet.model import Member, Plan, Settings, Task
from retrosheet.render_label_html import to_html

pytestmark = pytest.mark.chromium

AS_OF = dt.date(2027, 4, 28)

MEASURE = """<script>
addEventListener('load', () => {
  const rows = [...document.querySelectorAll('#releases table tr')];
  const box = (e) => { const r = e.getBoundingClientRect();
    return {text: e.textContent.trim(), left: Math.round(r.left), w: Math.round(r.width)}; };
  const out = {head: [...rows[0].cells].map(box),
               total: [...rows[rows.length - 1].cells].map(box)};
  parent.document.body.setAttribute('data-measure', JSON.stringify(out));
});
</script>"""


def _page() -> str:
    plans = [Plan(Settings(release=dt.date(2027, 5, 14), title=title, artist=title,
                           team=(Member(who, "", "Manager"),)),
                  [Task("T010", "Envoi", owner=who, offset=-20, budget=149.5, spent=20)])
             for title, who in (("Aube", "Noé"), ("Brume", "Sam"))]
    rep = build_label_report([release_of(p.settings.title, p, AS_OF) for p in plans], AS_OF)
    return to_html(rep)


def _measure(width: int, tmp_path: Path) -> dict[str, list[dict[str, object]]]:
    page = _page().replace("</body>", MEASURE + "</body>")
    path = tmp_path / f"label-{width}.html"
    path.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe '
                    f'style="width:{width}px;height:3000px;border:0" '
                    f'srcdoc="{escape(page, quote=True)}"></iframe></body></html>',
                    encoding="utf-8")
    done = _chromium(path, "--window-size=1400,3000", "--virtual-time-budget=5000",
                     "--dump-dom")
    m = re.search(r'data-measure="([^"]*)"', done.stdout)
    assert m, done.stderr[-2000:]
    data: dict[str, list[dict[str, object]]] = json.loads(unescape(m.group(1)))
    return data


@requires_chromium
def test_desktop_total_figures_stand_under_their_columns(tmp_path: Path) -> None:
    m = _measure(1280, tmp_path)
    head, total = m["head"], m["total"]
    assert len(total) == len(head)
    for h, c in zip(head, total, strict=True):
        assert c["left"] == h["left"], (h["text"], c["text"])
    assert total[-2]["text"] == "299,00\u202f€"  # under Budget (cents: 149,50 € each)
    assert head[-2]["text"] == "Budget"


@requires_chromium
def test_phone_total_card_shows_no_empty_cells(tmp_path: Path) -> None:
    total = _measure(390, tmp_path)["total"]
    assert all(c["text"] for c in total if c["w"])  # every cell shown has a figure
