"""The HTML report (docs/contract.md §6): one self-contained page with charts, fr and en,
checked as text and rendered by a real headless Chromium at phone and desktop widths.

The Chromium tests skip when `chromium` is not on PATH (Debian package `chromium`).
Screenshots go to tests/artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest
from conftest import SINGLE
from libreoffice import ink_ratio

from retrosheet.labels import Reply, Status
from retrosheet.model import Contact
from retrosheet.new import new_plan
from retrosheet.render_html import to_html
from retrosheet.report import Report, Verdict, build_report

J = dt.date(2027, 5, 14)
AS_OF = dt.date(2027, 4, 29)  # a Thursday: week of 26/04 to 02/05, J-15
ARTIFACTS = Path(__file__).parent / "artifacts"
SECTIONS = ("monday", "late", "due-this-week", "due-next-week", "followups", "blocked",
            "progress", "results", "replies", "findings", "timeline")
TIMEOUT = 120  # seconds for one Chromium run

requires_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Chromium is not installed (Debian package `chromium`): "
           "the HTML report is not rendered in a browser",
)

DONE = ("T010", "T020", "T030", "T040", "T050", "T060", "T070", "T080", "T090", "T100",
        "T120", "T130", "T150", "T160", "T170", "T190", "T210")


def report(lang: str = "fr") -> Report:
    """The built-in single plan at J-15 with progress, results, spend and contacts."""
    made = new_plan(SINGLE, J, lang=lang, title='Nuit <blanche> & "co"',
                    artist="Lune Rousse")
    tasks = made.plan.by_id()
    for tid in DONE:
        tasks[tid].status = Status.DONE
    tasks["T110"].status = Status.IN_PROGRESS  # due 09/04: late
    tasks["T180"].status = Status.BLOCKED  # due 23/04: late and blocked
    tasks["T220"].status = Status.CANCELLED
    tasks["T290"].status = Status.IN_PROGRESS  # ads running until 11/05
    results = {  # id: (result, spent)
        "T090": (3, None),  # 3 articles of 5, done: to improve
        "T160": (6200, None),  # 6 200 views of 5 000: worked
        "T170": (4, 650),  # 4 plays of 20, done, over budget: did not work
        "T190": (1200, None),  # 1 200 views of 3 000, done: did not work
        "T210": (1, None),  # 1 playlist of 1: worked
        "T150": (80, None),  # 80 pre-saves of 150, not done yet: pending
        "T290": (40, 90),  # under way: pending
        "T020": (None, 750),
        "T030": (None, 420),
        "T040": (None, 250),
        "T120": (None, 1800),
    }
    for tid, (result, spent) in results.items():
        tasks[tid].result = result
        tasks[tid].spent = spent
    made.plan.contacts = [
        Contact("C1", "Radio", "FIP", "Anne Dupré", "anne@fip.example", "T170",
                reply=Reply.YES, replied=dt.date(2027, 4, 20)),
        Contact("C2", "Radio", "Radio <Nova>", "Bob & Co", "bob@nova.example", "T170"),
        Contact("C3", "Radio", "RTL2", "", "prog@rtl2.example", "T170", reply=Reply.NONE),
        Contact("C4", "Presse", "Libération", "Chloé", "chloe@libe.example", "T090",
                reply=Reply.NO, replied=dt.date(2027, 4, 8)),
        Contact("C5", "Presse", "Télérama", "Dan", "dan@telerama.example", "T090"),
    ]
    return build_report(made.plan, AS_OF)


@pytest.fixture(scope="module", params=["fr", "en"])
def rep(request: pytest.FixtureRequest) -> Report:
    return report(request.param)


@pytest.fixture(scope="module")
def page(rep: Report) -> str:
    return to_html(rep)


# ---------------------------------------------------------------- the page as text


def test_the_plan_holds_every_case(rep: Report) -> None:
    """The fixture really has something in every section."""
    assert rep.j_label == "J-15"
    assert rep.late and rep.due_this_week and rep.due_next_week and rep.blocked
    assert any(f.chase for f in rep.followups_due)
    assert {r.verdict for r in rep.results_by_action} == set(Verdict)
    assert rep.replies and rep.findings and len(rep.timeline) == 52


def test_document_and_language(rep: Report, page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{rep.lang}">' in page
    assert '<meta charset="utf-8">' in page
    assert 'name="viewport"' in page
    assert page.count("<html") == 1 and page.rstrip().endswith("</html>")


def test_every_section_has_its_id(page: str) -> None:
    for sid in SECTIONS:
        assert page.count(f'<section id="{sid}">') == 1, sid
    found = re.findall(r'<section id="([^"]+)"', page)
    assert found == list(SECTIONS)  # in the order of the text report


def test_heading(rep: Report, page: str) -> None:
    top = page[page.index('<header class="top"'):page.index("</header>")]
    assert "Nuit &lt;blanche&gt; &amp; &quot;co&quot; — Lune Rousse" in top
    assert "J-15" in top
    if rep.lang == "fr":
        assert "29/04/2027" in top and "sortie le 14/05/2027" in top
    else:
        assert "2027-04-29" in top and "release on 2027-05-14" in top


def _section(page: str, sid: str) -> str:
    start = page.index(f'<section id="{sid}">')
    return page[start:page.index("</section>", start)]


def test_late_tasks_in_red(rep: Report, page: str) -> None:
    late = _section(page, "late")
    assert '<h2 class="hot">' in late
    ids = [x.id for x in rep.late]
    assert "T110" in ids and "T180" in ids
    for tid in ids:
        assert f"<td class=\"id\">{tid}</td>" in late
    assert late.count('<tr class="late">') == len(ids)
    days = "j de retard" if rep.lang == "fr" else "d late"
    assert f"20 {days}" in late  # T110, due 09/04


def test_due_grouped_by_owner(rep: Report, page: str) -> None:
    for sid, groups in (("due-this-week", rep.due_this_week),
                        ("due-next-week", rep.due_next_week)):
        part = _section(page, sid)
        for owner, xs in groups.items():
            assert f'<p class="owner">{escape(owner)} ({len(xs)})</p>' in part
            for x in xs:
                assert f">{x.id}<" in part
    week = "du 26/04 au 02/05" if rep.lang == "fr" else "04-26 to 05-02"
    assert week in _section(page, "due-this-week")


def test_followups_with_contacts_to_chase(rep: Report, page: str) -> None:
    part = _section(page, "followups")
    assert "R170-1" in part
    assert 'href="mailto:bob@nova.example?subject=' in part
    assert ">bob@nova.example</a>" in part
    assert 'href="mailto:prog@rtl2.example' in part
    assert "anne@fip.example" not in part  # she answered
    assert "Radio &lt;Nova&gt;" in part and "Bob &amp; Co" in part
    when = "relance 1 le 30/04/2027" if rep.lang == "fr" else "follow-up 1 on 2027-04-30"
    assert when in part


def test_blocked(page: str) -> None:
    part = _section(page, "blocked")
    assert '<td class="id">T180</td>' in part


def test_progress_table_and_chart(rep: Report, page: str) -> None:
    part = _section(page, "progress")
    assert part.count("<svg") == 1 and part.count("<table") == 1
    for p in rep.progress:
        assert f">{p.axis}<" in part
    assert ("100\u202f%" if rep.lang == "fr" else "100%") in part  # Production: all done


def test_results_charts_tables_and_verdicts(rep: Report, page: str) -> None:
    part = _section(page, "results")
    assert part.count("<svg") == 2  # budget vs spent; % of the objective reached
    assert part.count("<table") == 4  # by axis, indicator, platform, action
    labels = {"fr": ("a marché", "à améliorer", "n&#x27;a pas marché", "en attente"),
              "en": ("worked", "to improve", "did not work", "pending")}[rep.lang]
    for v, label in zip(Verdict, labels, strict=True):
        assert f'class="badge verdict-{v.name.lower()}"' in part
        assert f">{label}</span>" in part
    if rep.lang == "fr":  # numbers like the text report
        assert "6\u202f200" in part and "1\u202f800\u202f€" in part  # T120 spent
        assert "650\u202f€" in part and "162,50\u202f€" in part  # cost per play of T170
        assert "60\u202f%" in part
    else:
        assert "6,200" in part and "€1,800" in part and "€650" in part
        assert "€162.50" in part and "60%" in part
    assert 'stroke-dasharray="4 3"' in part  # the 100 % line


def test_replies_and_findings(rep: Report, page: str) -> None:
    replies = _section(page, "replies")
    assert ("1/3" in replies) and ("1/2" in replies)  # radio, press
    findings = _section(page, "findings")
    assert findings.count("<li") == len(rep.findings)
    assert 'class="severity-' in findings


def test_timeline(rep: Report, page: str) -> None:
    part = _section(page, "timeline")
    assert part.count("<svg") == 2  # one for desktops, one for phones (the CSS picks)
    assert part.count('class="timeline narrow"') == 1
    assert part.count("<rect") >= 50 and part.count("<polygon") >= 3  # tasks, milestones
    today = "aujourd&#x27;hui" if rep.lang == "fr" else "today"
    assert f">{today} {'29/04' if rep.lang == 'fr' else '04-29'}</text>" in part
    assert f">J {'14/05' if rep.lang == 'fr' else '05-14'}</text>" in part
    for x in rep.timeline:
        assert f"<title>{x.id} " in part


@pytest.mark.parametrize(("as_of", "label"), [
    (dt.date(2026, 1, 1), "← aujourd&#x27;hui 01/01/2026"),
    (dt.date(2027, 12, 1), "aujourd&#x27;hui 01/12/2027 →"),
])
def test_timeline_today_far_from_the_tasks(as_of: dt.date, label: str) -> None:
    """Months away, today is an arrow at the axis' edge: the tasks keep their width."""
    made = new_plan(SINGLE, J)
    part = _section(to_html(build_report(made.plan, as_of)), "timeline")
    assert f">{label}</text>" in part
    assert ">J 14/05</text>" in part


def test_svgs_are_accessible(page: str) -> None:
    svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", page, flags=re.S)
    assert len(svgs) == 5  # progress, budget, results, timeline for desktops and phones
    for svg in svgs:
        assert 'role="img"' in svg and 'aria-label="' in svg
        assert re.match(r"<svg\b[^>]*>\s*<title>[^<]+</title>", svg)


def test_self_contained(page: str) -> None:
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "@import" not in page and "url(" not in page and "@font-face" not in page
    refs = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page)
    assert refs and all(r.startswith(("mailto:", "#")) for r in refs), refs


def test_user_text_is_escaped() -> None:
    rep = report("fr")
    rep.late[0] = replace(rep.late[0], action="<script>alert(1)</script>")
    rep.owner = "<b>Léa</b>"
    page = to_html(rep)
    assert "&lt;b&gt;Léa&lt;/b&gt;" in page and "<b>" not in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_empty_report_still_renders() -> None:
    made = new_plan(SINGLE, J, lang="en")
    rep = build_report(made.plan, AS_OF, owner="Nobody", findings=[])
    page = to_html(rep)
    for sid in SECTIONS:
        assert f'<section id="{sid}">' in page
    assert page.count("<svg") == 0 and "nothing" in page


# ---------------------------------------------------------------- the page in Chromium


def _chromium(html: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("chromium")
    assert exe is not None
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               "--hide-scrollbars", *args, html.as_uri()]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                              check=False)


@pytest.fixture(scope="module")
def html_file(rep: Report, page: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"report-{rep.lang}.html"
    path.write_text(page, encoding="utf-8")
    return path


@requires_chromium
@pytest.mark.chromium
@pytest.mark.parametrize(("device", "width"), [("phone", 390), ("desktop", 1280)])
def test_screenshot(html_file: Path, rep: Report, device: str, width: int) -> None:
    png = ARTIFACTS / f"report-{rep.lang}-{device}.png"
    png.unlink(missing_ok=True)
    done = _chromium(html_file, f"--window-size={width},2400", f"--screenshot={png}")
    assert png.exists(), done.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ink = ink_ratio(png)
    assert 0.03 < ink < 0.9, ink  # a page with text and charts: not blank, not a black box


@requires_chromium
@pytest.mark.chromium
def test_chromium_parses_sections_and_svgs(html_file: Path) -> None:
    done = _chromium(html_file, "--dump-dom")
    dom = done.stdout
    assert "</html>" in dom, done.stderr[-2000:]
    for sid in SECTIONS:
        assert f'<section id="{sid}">' in dom, sid
    assert len(re.findall(r'<svg\b[^>]*role="img"', dom)) == 5
    assert dom.count("</svg>") == 5 and "<parsererror" not in dom
