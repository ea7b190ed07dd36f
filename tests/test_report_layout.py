"""The HTML report laid out by a real headless Chromium (issue 11 item 8): at phone width
(390 px) the timeline fits the screen and shows the tasks after J; at desktop width
(1280 px) no table overflows its card; with no title the heading does not repeat
"Rapport". A copy of the page gets a measuring script (the report itself has none) whose
figures Chromium writes into the DOM it dumps.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import escape, unescape
from pathlib import Path

import pytest
from test_report_html import _chromium, report, requires_chromium

from retrosheet.render_html import to_html
from retrosheet.report import Report

pytestmark = pytest.mark.chromium  # every test lays the page out in Chromium

MEASURE = """<script>
addEventListener('load', () => {
  const vw = document.documentElement.clientWidth;
  const seen = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const svg = [...document.querySelectorAll('#timeline svg')].filter(seen);
  const marks = svg.flatMap(s => [...s.querySelectorAll('rect[data-day], polygon[data-day]')]);
  const out = {
    vw,
    sections: [...document.querySelectorAll('section')]
      .filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.id),
    scrolling: [...document.querySelectorAll('.scroll')]
      .filter(d => seen(d) && d.scrollWidth > d.clientWidth + 1)
      .map(d => d.closest('section').id),
    timeline: svg.map(s => { const r = s.getBoundingClientRect();
      return {left: r.left, right: r.right, scale: r.width / s.viewBox.baseVal.width}; }),
    marks: marks.map(e => { const r = e.getBoundingClientRect();
      return {day: e.dataset.day, left: r.left, right: r.right}; }),
    text_px: Math.min(...svg.flatMap(s => [...s.querySelectorAll('text')])
      .map(t => t.getBoundingClientRect().height).filter(h => h > 0)),
    h1: document.querySelector('h1').textContent,
    kicker: (document.querySelector('.top .kicker') || {textContent: ''}).textContent,
  };
  parent.document.body.setAttribute('data-measure', JSON.stringify(out));
});
</script>"""


def measure(rep: Report, width: int, tmp_path: Path) -> dict[str, object]:
    """Layout figures of the page shown `width` px wide: in a srcdoc frame of that width
    (headless Chromium windows are at least 500 px wide), whose script reports to the host."""
    page = to_html(rep).replace("</body>", MEASURE + "</body>")
    path = tmp_path / f"measure-{width}.html"
    path.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe '
                    f'style="width:{width}px;height:4000px;border:0" '
                    f'srcdoc="{escape(page, quote=True)}"></iframe></body></html>',
                    encoding="utf-8")
    done = _chromium(path, "--window-size=1400,4000", "--virtual-time-budget=5000",
                     "--dump-dom")
    m = re.search(r'data-measure="([^"]*)"', done.stdout)
    assert m, done.stderr[-2000:]
    data: dict[str, object] = json.loads(unescape(m.group(1)))
    return data


@pytest.fixture(scope="module", params=["fr", "en"])
def rep(request: pytest.FixtureRequest) -> Report:
    return report(request.param)


@requires_chromium
def test_phone_timeline_fits_and_shows_tasks_after_j(rep: Report, tmp_path: Path) -> None:
    m = measure(rep, 390, tmp_path)
    vw = m["vw"]
    assert isinstance(vw, int) and vw <= 390
    timeline = m["timeline"]
    assert isinstance(timeline, list) and len(timeline) == 1  # one picture shown
    assert timeline[0]["right"] <= vw and timeline[0]["left"] >= 0
    assert "timeline" not in m["scrolling"]  # nothing hidden sideways
    marks = m["marks"]
    assert isinstance(marks, list) and len(marks) == len(rep.timeline)
    after_j = [x for x in marks if x["day"] > rep.release.isoformat()]
    assert after_j, "the plan has tasks after J"
    assert all(x["left"] >= 0 and x["right"] <= vw for x in marks), marks
    text_px = m["text_px"]
    assert isinstance(text_px, float | int) and text_px >= 9  # still readable


@requires_chromium
def test_desktop_tables_stay_inside_their_cards(rep: Report, tmp_path: Path) -> None:
    m = measure(rep, 1280, tmp_path)
    assert m["sections"] == []
    assert m["scrolling"] == []  # "Résultats par action" included


@requires_chromium
def test_phone_sections_do_not_overflow(rep: Report, tmp_path: Path) -> None:
    m = measure(rep, 390, tmp_path)
    assert m["sections"] == []


@requires_chromium
def test_no_title_no_repeated_heading(tmp_path: Path) -> None:
    rep = replace(report("fr"), title="", artist="")
    m = measure(rep, 1280, tmp_path)
    h1, kicker = str(m["h1"]), str(m["kicker"])
    assert (h1 + " " + kicker).count("Rapport") == 1, (h1, kicker)
    assert "29/04/2027" in h1 + kicker
