"""Indicators with their week-on-week change from History (issue 10 item 5), and results per
indicator in the text, Markdown and HTML reports, figure for figure as in the JSON (issue 11).

A built-in single is reported on Monday 24/05/2027 (J+10) with `--write-sheet`, its results
change, and it is reported again on 31/05/2027: each indicator's change is its measure less
the one History recorded the week before, "—" when History has none. `as_of` is always given.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import escape, unescape
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from clirun import edits_once
from python_calamine import CalamineWorkbook
from sheets_standin import Store
from test_gsheets_cli import URL, row_of, standin, store  # noqa: F401 (fixtures)
from test_report_html import _chromium, requires_chromium

from retrosheet.cli import cli
from retrosheet.history import past_measures, week_before
from retrosheet.labels import HISTORY_COLUMNS, Status, history_header
from retrosheet.model import Plan
from retrosheet.new import new_plan
from retrosheet.render import to_markdown, to_text
from retrosheet.render_html import to_html
from retrosheet.report import Report, build_report
from retrosheet.report_cells import history_rows
from retrosheet.values import to_serial

J = dt.date(2027, 5, 14)
WEEK1, WEEK2 = dt.date(2027, 5, 24), dt.date(2027, 5, 31)
# (task, result) typed by the team before each report
FIRST = {"T050": 800, "T480": 2000, "T490": 300}  # monthly listeners, streams, saves
SECOND = {"T560": 1300, "T550": 6500, "T490": 280, "T570": 120}  # … and followers
# What the second report must say, per Admin indicator: (result, previous, change)
WANT = {"auditeurs mensuels": (1300, 800, 500), "streams": (6500, 2000, 4500),
        "sauvegardes": (280, 300, -20), "abonnés": (120, None, None)}


def run(*args: str | Path) -> tuple[int, str]:
    r = CliRunner().invoke(cli, [str(a) for a in args])
    return r.exit_code, r.output


@edits_once
def type_results(path: Path, results: dict[str, float]) -> None:
    """Results and statuses typed as a team would (openpyxl: fine for a test)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Planning"]
    row = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for tid, value in results.items():
        ws.cell(row[tid], 12).value = "Fait"
        ws.cell(row[tid], 17).value = value
    wb.save(path)


def sheet_url(out: str) -> str:
    m = URL.search(out)
    assert m, out
    return m.group(1)


def rows_of(path: Path, sheet: str) -> list[list[Any]]:
    return [list(r) for r in
            CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()]


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    code, out = run("new", "single", "--release", J.isoformat(), "-o", path, "--today",
                    "2027-03-01", "--title", "Nuit blanche")
    assert code == 0, out
    return path


def admin(doc: dict[str, Any]) -> dict[str, tuple[Any, Any, Any, Any]]:
    return {r["kpi"]: (r["result"], r["previous"], r["change"], r["previous_on"])
            for r in doc["results"]["by_indicator"] if r["key"] == "Admin"}


def test_two_reports_a_week_apart_give_each_indicator_its_change(plan: Path) -> None:
    type_results(plan, FIRST)
    code, out = run("report", plan, "--as-of", WEEK1.isoformat(), "--write-sheet",
                    "--format", "json")
    assert code == 0, out
    first = admin(json.loads(out))
    assert first["streams"] == (2000, None, None, None)  # nothing earlier on History
    type_results(plan, SECOND)
    code, out = run("report", plan, "--as-of", WEEK2.isoformat(), "--format", "json")
    assert code == 0, out
    got = admin(json.loads(out))
    assert {k: got[k][:3] for k in WANT} == WANT
    assert {got[k][3] for k in WANT if WANT[k][1] is not None} == {WEEK1.isoformat()}
    assert got["abonnés"][3] is None
    # The same figures in the text, Markdown and HTML reports.
    outputs = {}
    for fmt in ("text", "md", "html"):
        code, outputs[fmt] = run("report", plan, "--as-of", WEEK2.isoformat(), "--format", fmt)
        assert code == 0, outputs[fmt]
    text = indicator_lines(outputs["text"])
    assert "Sur 7 jours +500 (depuis le 24/05/2027)" in text["auditeurs mensuels"]
    assert "Sur 7 jours +4\u202f500 (depuis le 24/05/2027)" in text["streams"]
    assert "Sur 7 jours \u221220 (depuis le 24/05/2027)" in text["sauvegardes"]
    assert "Sur 7 jours —" in text["abonnés"] and "depuis" not in text["abonnés"]
    md = md_rows(outputs["md"])
    assert md[("Admin", "streams")][6] == "+4\u202f500 (depuis le 24/05/2027)"
    assert md[("Admin", "abonnés")][6] == "—"
    html = html_rows(outputs["html"])
    assert html[("Admin", "sauvegardes")][6] == "\u221220depuis le 24/05/2027"
    assert html[("Admin", "abonnés")][6] == "—"


def test_a_run_the_same_day_is_not_last_week(plan: Path) -> None:
    """A second run on 24/05 is not compared with the first one of that day."""
    type_results(plan, FIRST)
    for _ in range(2):
        code, out = run("report", plan, "--as-of", WEEK1.isoformat(), "--write-sheet",
                        "--format", "json")
        assert code == 0, out
        assert admin(json.loads(out))["streams"] == (2000, None, None, None)


def test_an_old_history_sheet_is_still_appended_to_and_read(plan: Path) -> None:
    """History as it was before indicators were kept (no Indicateur column, rows of past
    runs): its rows stay, the column is added at the right of its header, and the next
    week's report finds the indicators' measures there."""
    wb = openpyxl.load_workbook(plan)
    ws = wb["Historique"]
    ws.delete_cols(3)  # the Indicateur column
    old = [dt.datetime(2027, 5, 10), "Admin", 12, 3, 1, 500, 120, 10000, 900]
    for c, v in enumerate(old, start=1):
        ws.cell(2, c).value = v
    wb.save(plan)
    head = [history_header(k, "fr") for k in HISTORY_COLUMNS if k != "kpi"]
    assert rows_of(plan, "Historique")[0] == head
    type_results(plan, FIRST)
    code, out = run("report", plan, "--as-of", WEEK1.isoformat(), "--write-sheet",
                    "--format", "json")
    assert code == 0, out
    # An old axis row says no indicator: no change from it.
    assert admin(json.loads(out))["streams"] == (2000, None, None, None)
    rows = rows_of(plan, "Historique")
    assert rows[0] == [*head, "Indicateur"]
    assert rows[1][:9] == [dt.date(2027, 5, 10), *old[1:]] and rows[1][9] == ""
    written = [dict(zip(rows[0], r, strict=True)) for r in rows[2:]]
    streams = [r for r in written if r["Indicateur"] == "streams" and r["Axe"] == "Admin"]
    assert [(r["Date"], r["Résultat"]) for r in streams] == [(WEEK1, 2000)]
    assert all(r["Tâches"] == "" for r in written if r["Indicateur"])
    n = len(rows)
    type_results(plan, SECOND)
    code, out = run("report", plan, "--as-of", WEEK2.isoformat(), "--write-sheet",
                    "--format", "json")
    assert code == 0, out
    got = admin(json.loads(out))
    assert {k: got[k][:3] for k in WANT} == WANT
    again = rows_of(plan, "Historique")
    assert again[:n] == rows and len(again) > n  # no row lost, the new ones below


# ---- the History rows read back (pure) ---------------------------------------------------

def _grid(*rows: tuple[Any, ...]) -> list[list[Any]]:
    return [[history_header(k, "fr") for k in HISTORY_COLUMNS],
            *[[day, axis, kpi, None, None, None, None, None, None, value]
              for day, axis, kpi, value in rows]]


def test_the_measure_nearest_to_a_week_before() -> None:
    d = WEEK2
    grid = _grid((d - dt.timedelta(days=14), "Admin", "streams", 100),
                 (to_serial(d - dt.timedelta(days=8)), "Admin", "streams", 200),
                 ((d - dt.timedelta(days=6)).strftime("%d/%m/%Y"), "Admin", "streams", 300),
                 (d, "Admin", "streams", 400),  # today's run: not last week's
                 (d - dt.timedelta(days=7), "admin", "Streams", 500),
                 (d - dt.timedelta(days=7), "Admin", "streams", 550),  # later row that day
                 (d - dt.timedelta(days=7), "Presse", "streams", 600),  # another axis
                 (d - dt.timedelta(days=7), "Admin", "", 700),  # an axis row
                 ("pas une date", "Admin", "streams", 800),
                 (d - dt.timedelta(days=7), "Admin", "abonnés", "n/a"))
    past = past_measures(grid)
    assert [m.value for m in past] == [100, 200, 300, 400, 500, 550, 600]
    got = week_before(past, "ADMIN", "streams", d)
    assert got is not None and (got.day, got.value) == (d - dt.timedelta(days=7), 550)
    without_the_week = [m for m in past if m.day != d - dt.timedelta(days=7)]
    # 8 and 6 days before are as near: the older one, a whole week.
    got = week_before(without_the_week, "Admin", "streams", d)
    assert got is not None and got.value == 200
    assert week_before(past, "Admin", "abonnés", d) is None
    assert week_before(past, "Admin", "streams", d - dt.timedelta(days=14)) is None


def test_a_sheet_without_the_indicator_column_has_no_measure() -> None:
    old = [[history_header(k, "fr") for k in HISTORY_COLUMNS if k != "kpi"],
           [WEEK1, "Admin", 3, 1, 0, None, None, 10000, 900]]
    assert past_measures(old) == []
    assert past_measures([]) == []


# ---- every format says what the JSON says ------------------------------------------------

def single(lang: str) -> Plan:
    plan = new_plan("single", J, lang=lang).plan
    tasks = plan.by_id()
    for tid, value in FIRST.items():
        tasks[tid].status, tasks[tid].result = Status.DONE, value
    return plan


def reported(lang: str, second: bool = True) -> Report:
    """The second week's report of `single`, History holding the first week's run (or,
    `second` False, the first week's report)."""
    plan = single(lang)
    first = build_report(plan, WEEK1, findings=[])
    if not second:
        return first
    grid: list[list[Any]] = [[history_header(k, lang) for k in HISTORY_COLUMNS]]
    grid += [[None if row.get(k) is None else row[k].value  # type: ignore[union-attr]
              for k in HISTORY_COLUMNS] for row in history_rows(first)]
    tasks = plan.by_id()
    for tid, value in SECOND.items():
        tasks[tid].status, tasks[tid].result = Status.DONE, value
    return build_report(plan, WEEK2, findings=[], history=past_measures(grid))


def fmt_num(x: float, lang: str) -> str:
    text = f"{x:,.0f}"
    return text.replace(",", "\u202f") if lang == "fr" else text


def expected(item: dict[str, Any], lang: str) -> list[str]:
    """One JSON indicator as the reports must show it: axis, KPI, objective, result,
    measured on, % reached, change (since), verdict."""
    def day(iso: str | None) -> str:
        if iso is None:
            return "—"
        d = dt.date.fromisoformat(iso)
        return d.strftime("%d/%m/%Y") if lang == "fr" else iso

    def n(x: float | None) -> str:
        return "—" if x is None else fmt_num(x, lang)

    change = "—"
    if item["change"] is not None:
        c = item["change"]
        sign = "+" if c > 0 else "\u2212" if c < 0 else ""
        since = ("depuis le " if lang == "fr" else "since ") + day(item["previous_on"])
        change = f"{sign}{fmt_num(abs(c), lang)} ({since})"
    reached = "—" if item["reached"] is None else (
        f"{item['reached'] * 100:.0f}\u202f%" if lang == "fr" else f"{item['reached'] * 100:.0f}%")
    return [item["label"], item["kpi"], n(item["objective"]), n(item["result"]),
            day(item["measured_on"]), reached, change, item["verdict_label"]]


def indicator_lines(text: str) -> dict[str, str]:
    """The per-indicator section of the text report: KPI → its line (Admin's)."""
    part = text.split("Résultats par indicateur" if "Résultats" in text
                      else "Results per indicator", 1)[1].split("\n\n", 1)[0]
    out, axis = {}, ""
    for line in part.splitlines()[1:]:
        if line.startswith("    "):
            kpi, rest = line.strip().split(" : ", 1)
            if axis == "Admin":
                out[kpi] = rest
        else:
            axis = line.strip()
    return out


def md_rows(md: str) -> dict[tuple[str, str], list[str]]:
    part = md.split("## Résultats par indicateur" if "## Résultats" in md
                    else "## Results per indicator", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split(" | ")]
            for line in part.splitlines() if line.startswith("| ")][1:]
    return {(r[0], r[1]): r for r in rows}


def html_rows(page: str) -> dict[tuple[str, str], list[str]]:
    """The indicators table: (axis, KPI) → cell texts in the page's column order."""
    table = re.search(r'<table class="indicators cards">(.*?)</table>', page, re.S)
    assert table, "no indicators table"
    out = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]:
        cells = [unescape(re.sub(r"<[^>]+>", "", td))
                 for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        out[(cells[0], cells[1])] = cells
    return out


@pytest.mark.parametrize("second", [True, False], ids=["week2", "week1"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_text_md_and_html_show_the_json_figures(lang: str, second: bool) -> None:
    rep = reported(lang, second)
    items = json.loads(json.dumps(rep.to_dict()))["results"]["by_indicator"]
    assert len(items) >= 10
    if second:  # changes up and down, and a measure with none before it
        assert {i["change"] for i in items} >= {500, -20, None}
        assert any(i["change"] is None and i["result"] is not None for i in items)
    else:  # a measure with no objective (monthly listeners at the start), no change yet
        assert any(i["objective"] is None and i["result"] for i in items)
        assert all(i["change"] is None for i in items)
    text = to_text(rep)
    md = md_rows(to_markdown(rep))
    html = html_rows(to_html(rep))
    assert len(md) == len(html) == len(items)
    words = {"fr": ("Objectif", "Résultat", "Mesuré le", "% atteint", "Sur 7 jours", "Verdict"),
             "en": ("Objective", "Result", "Measured on", "% reached", "Week on week",
                    "Verdict")}[lang]
    section = text.split(("Résultats par indicateur" if lang == "fr"
                          else "Results per indicator") + f" ({len(items)})", 1)[1]
    lines = section.split("\n\n", 1)[0].splitlines()
    at = 0
    for item in items:
        want = expected(item, lang)
        axis, kpi, objective, result, measured, reached, change, verdict = want
        assert md[(axis, kpi)] == want
        # the page: verdict badge after the KPI, the date last, "since" under the change
        assert html[(axis, kpi)] == [axis, kpi, verdict, objective, result, reached,
                                     change.replace(" (", "").rstrip(")"), measured]
        # the terminal: the axis, then `KPI : Objectif … · Verdict …` below it, the
        # figures the JSON has not left out, the change always
        while lines[at].strip() != axis:
            at += 1
        colon = " : " if lang == "fr" else ": "
        line = next(x.strip() for x in lines[at:] if x.startswith(f"    {kpi}{colon}"))
        shown = [f"{k} {v}" for k, v in zip(words, (objective, result, measured, reached,
                                                     change, verdict), strict=True)
                 if v != "—" or k == words[4]]
        assert line == f"{kpi}{colon}" + " · ".join(shown)


# ---- the same on a Google Sheet (the local stand-in) -------------------------------------

def test_google_sheet_history_gives_the_change(store: Store) -> None:  # noqa: F811
    code, out = run("new", "single", "--release", J.isoformat(), "--gsheet-new",
                    "Nuit blanche", "--today", "2027-03-01")
    assert code == 0, out
    key = sheet_url(out)
    for figures, week in ((FIRST, WEEK1), (SECOND, WEEK2)):
        for tid, value in figures.items():
            row = row_of(store, key, tid)
            store.set_cell(key, "Planning", f"L{row}", "Fait")
            store.set_cell(key, "Planning", f"Q{row}", str(value))
        store.reset_log()
        code, out = run("report", key, "--as-of", week.isoformat(), "--write-sheet",
                        "--format", "json")
        assert code == 0, out
        assert store.kinds() == ["spreadsheets.get", "spreadsheets.batchUpdate"]
    got = admin(json.loads(out))
    assert {k: got[k][:3] for k in WANT} == WANT
    history = store.values(key, "Historique")
    assert history[0][2] == "Indicateur"
    streams = [(r[0], r[9]) for r in history[1:] if r[1:3] == ["Admin", "streams"]]
    assert streams == [(to_serial(WEEK1), 2000), (to_serial(WEEK2), 6500)]
    report = store.values(key, "Rapport")
    start = next(i for i, r in enumerate(report) if r and r[0].startswith("Résultats par ind"))
    row = next(r for r in report[start:] if r[:2] == ["Admin", "streams"])
    assert row[7:9] == [4500, to_serial(WEEK1)]  # the change and the day it is counted from


# ---- the HTML at phone width (a real Chromium) -------------------------------------------

MEASURE = """<script>
addEventListener('load', () => {
  const vw = document.documentElement.clientWidth;
  const table = document.querySelector('table.indicators');
  const box = table.closest('.scroll');
  const cells = [...table.querySelectorAll('td')].map(td => td.getBoundingClientRect())
    .filter(r => r.width > 0);
  const out = {
    vw,
    sections: [...document.querySelectorAll('section')]
      .filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.id),
    scrolls: box.scrollWidth > box.clientWidth + 1,
    right: Math.max(...cells.map(r => r.right)),
    left: Math.min(...cells.map(r => r.left)),
    rows: [...table.querySelectorAll('tbody tr')].filter(r => r.offsetHeight > 0).length,
  };
  parent.document.body.setAttribute('data-measure', JSON.stringify(out));
});
</script>"""


@requires_chromium
@pytest.mark.chromium
@pytest.mark.parametrize("width", [390, 1280])
def test_indicators_fit_a_phone_and_a_desktop(width: int, tmp_path: Path) -> None:
    """On a phone each indicator is a card: nothing scrolls sideways or overflows; on a
    desktop the table fits its card."""
    rep = reported("fr")
    page = to_html(rep).replace("</body>", MEASURE + "</body>")
    path = tmp_path / "measure.html"
    path.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe '
                    f'style="width:{width}px;height:6000px;border:0" '
                    f'srcdoc="{escape(page, quote=True)}"></iframe></body></html>',
                    encoding="utf-8")
    done = _chromium(path, "--window-size=1400,6000", "--virtual-time-budget=5000",
                     "--dump-dom")
    m = re.search(r'data-measure="([^"]*)"', done.stdout)
    assert m, done.stderr[-2000:]
    got = json.loads(unescape(m.group(1)))
    assert got["vw"] <= width and got["rows"] == len(rep.results_by_indicator)
    assert got["sections"] == [] and not got["scrolls"]
    assert got["left"] >= 0 and got["right"] <= got["vw"]
