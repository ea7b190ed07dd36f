"""The workbook design (retrosheet/design): one description every backend renders, and
what it promises on screen (issue 11 item 2) and in the Report sheet (item 4)."""

from __future__ import annotations

import ast
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from retrosheet import layout as L
from retrosheet.design import build_workbook
from retrosheet.design.planning import LINE_POINTS, text_lines
from retrosheet.labels import PLATFORMS, Status, word
from retrosheet.new import new_plan
from retrosheet.templates import BUILTIN
from retrosheet.words import t
from retrosheet.xlsx.create import write_new

ROOT = Path(__file__).resolve().parents[1]
RELEASE = dt.date(2027, 5, 14)
TODAY = dt.date(2027, 3, 1)
BACKENDS = ("xlsx", "gsheets")


def test_no_backend_imports_another() -> None:
    for backend in BACKENDS:
        for path in (ROOT / "retrosheet" / backend).glob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module:
                    others = {b for b in BACKENDS if b != backend}
                    assert node.module.split(".")[0] not in others, (path, node.module)
                    assert not (node.level == 2 and node.module.split(".")[0] in others), (
                        path, node.module)


@pytest.mark.parametrize("template", ["single", "album", "clip", "concert"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_long_text_wraps_in_rows_tall_enough(template: str, lang: str) -> None:
    """Notes, actions (follow-up actions included), platforms such as "Chaînes musicales"
    wrap in their column, in rows as tall as their lines."""
    made = new_plan(template, RELEASE, lang=lang)
    wb = build_workbook(made.plan, made.dates, TODAY)
    planning = wb.sheet("planning")
    looks = {c.first: c.look for c in planning.columns}
    for key in ("notes", "action", "platform", "kpi", "owner", "axis"):
        assert wb.looks[looks[L.COL[key]] or ""].wrap, key
    for (r, c), cell in planning.cells.items():
        if r and isinstance(cell.value, str) and wb.looks[looks.get(c) or "text"].wrap:
            width = next(x.width for x in planning.columns if x.first <= c <= x.last)
            lines = text_lines(cell.value, width)
            assert planning.heights.get(r, LINE_POINTS) >= LINE_POINTS * min(lines, 12)
    # The Settings hint next to the release date: wrapped in its own column, which the
    # holiday table (column E) does not cover.
    settings = wb.sheet("settings")
    r = L.SETTINGS_ROW["release"] - 1
    hint = settings.cells[(r, 2)]
    assert hint.value == word("release_help", lang) and wb.looks[hint.look or ""].wrap
    width = next(x.width for x in settings.columns if x.first == 2)
    assert LINE_POINTS * text_lines(str(hint.value), width) <= settings.heights[r]
    assert L.DAYS_OFF_COL > 2


# Names, the same in every language
BRANDS = {"Bandcamp", "Bandsintown", "Deezer", "Facebook", "France Inter, FIP, Nova", "Groover",
          "Instagram", "Musixmatch", "Smart link", "Spotify", "SubmitHub", "TikTok", "YouTube"}


@pytest.mark.parametrize("name", BUILTIN)
def test_every_template_names_its_platforms_in_the_plans_language(name: str) -> None:
    """An English album plan said « Radios associatives et campus » and « TV locales »."""
    fr, en = ({t.platform for t in new_plan(name, RELEASE, lang=lang).plan.tasks} - {""}
              for lang in ("fr", "en"))
    assert fr & en <= BRANDS, fr & en - BRANDS


def test_english_plans_name_platforms_in_english(tmp_path: Path) -> None:
    made = new_plan("single", RELEASE, lang="en")
    platforms = {t.platform for t in made.plan.tasks}
    french = {t(f"platform.{k}", "fr") for k in PLATFORMS}
    assert not platforms & french
    assert platforms & {t(f"platform.{k}", "en") for k in PLATFORMS}
    path = tmp_path / "en.xlsx"
    write_new(made.plan, made.dates, path, TODAY)
    fr = tmp_path / "fr.xlsx"
    m = new_plan("single", RELEASE, lang="fr")
    write_new(m.plan, m.dates, fr, TODAY)
    for book, want in ((path, '"€"#,##0'), (fr, '#,##0" €"')):
        ws = openpyxl.load_workbook(book)["Planning"]
        col = L.COL["budget"] + 1
        spent = [c for c in next(ws.iter_cols(col, col, 2)) if c.value is not None]
        assert spent and all(c.number_format == want for c in spent)


def test_report_sheet_is_styled_like_the_dashboard(tmp_path: Path) -> None:
    """Section titles, right-aligned headers over numbers, long findings wrapped in rows
    tall enough; the styles are the workbook's own (a new plan already has them)."""
    from click.testing import CliRunner

    from retrosheet.cli import cli

    made = new_plan("single", RELEASE, lang="fr")
    path = tmp_path / "plan.xlsx"
    write_new(made.plan, made.dates, path, TODAY)
    styles = zipfile.ZipFile(path).read("xl/styles.xml")
    result = CliRunner().invoke(cli, ["report", str(path), "--as-of", "2027-04-29",
                                      "--write-sheet"])
    assert result.exit_code == 0, result.output
    assert zipfile.ZipFile(path).read("xl/styles.xml") == styles
    ws = openpyxl.load_workbook(path)["Rapport"]
    rows = list(ws.iter_rows())
    sections = [r[0] for r in rows if r[0].value and r[0].font.sz == 12 and r[0].font.b]
    assert len(sections) >= 8
    numeric_heads = [c for r in rows for c in r
                     if c.fill.fgColor.rgb == "FF1F3864" and c.alignment.horizontal == "right"]
    assert {c.value for c in numeric_heads} >= {"Objectif", "Résultat", "Échéance"}
    wrapped = [r[0] for r in rows if r[0].alignment.wrap_text and r[0].value]
    assert wrapped
    for cell in wrapped:
        lines = text_lines(str(cell.value), ws.column_dimensions["A"].width)
        height = ws.row_dimensions[cell.row].height or LINE_POINTS
        assert height >= LINE_POINTS * lines, (cell.value, height)
    assert any(re.fullmatch("Résultats par indicateur.*", str(r[0].value)) for r in rows)


@pytest.fixture
def third_language() -> Iterator[str]:
    """A stub third catalogue: English texts marked ⟦…⟧ (tests/test_words.py does the same)."""
    from retrosheet import words

    words.register("xx", {k: v if k.startswith("fmt.") else f"⟦{v}⟧"
                          for k, v in words.catalogue("en").items()})
    try:
        yield "xx"
    finally:
        words._catalogues.pop("xx")
        words._generation[0] += 1


def test_live_formulas_match_a_status_in_every_language(third_language: str) -> None:
    """A French plan whose statuses a team types in English (or a third language) still
    counts them: the Dashboard and the Planning's rules compare with every label."""
    made = new_plan("single", RELEASE, lang="fr")
    wb = build_workbook(made.plan, made.dates, TODAY)
    dashboard = " ".join(c.formula for c in wb.sheet("dashboard").cells.values() if c.formula)
    rules = " ".join(r.formula for r in wb.sheet("planning").rules)
    for status in (Status.DONE, Status.CANCELLED):
        labels = status.every()
        assert labels == (status.fr, status.en, f"⟦{status.en}⟧")
        for label in labels:
            assert f'"<>{label}"' in dashboard, label  # COUNTIFS criteria: open tasks
            assert f'<>"{label}")' in dashboard, label  # the due list's array filter
            assert f'="{label}"' in rules, label  # done rows greyed, not late
    # Cells show the plan's own language only.
    values = {c.value for c in wb.sheet("dashboard").cells.values()}
    assert t("design.dashboard.due_week", "fr") in values
    assert not any(isinstance(v, str) and "⟦" in v for v in values)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_live_backends_format_numbers_as_the_design_does(lang: str) -> None:
    """The Report and History that Excel (xlwings), openpyxl and LibreOffice write cell by
    cell (cellbook.looks) carry the number formats of the workbook design."""
    from retrosheet import cellbook
    from retrosheet.design.looks import looks

    live, design = cellbook.looks(lang), looks(lang)
    assert {role: live[role].number_format for role in live} == {
        role: design[role].number_format for role in live}
