"""Printing a plan (issue 11): every sheet has a page setup, measured from LibreOffice's PDF.

A4 (Letter where the country uses it), Planning landscape without its week strip, text
of at least 8 points, the header row on every Planning page, Contacts one page wide, the
Dashboard's charts whole on a page of their own, a 50-task plan in at most 8 pages.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from libreoffice import soffice, to_pdf

from retrosheet.labels import header, sheet_name, word
from retrosheet.new import new_plan
from retrosheet.xlsx.create import write_new

pytestmark = pytest.mark.libreoffice  # every test prints through LibreOffice

RELEASE = dt.date(2027, 5, 14)
TODAY = dt.date(2027, 3, 1)
A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)
# pdftotext's word boxes are as tall as the font's ascent + descent: 1.3 em for the
# fonts LibreOffice prints with here (measured on an 11-point cell printed at 100 %).
BOX_PER_POINT = 1.3
MIN_POINTS = 8
FOOTER = 24  # points from the bottom edge where the footer (sheet, page / pages) sits


@dataclass
class Page:
    width: float
    height: float
    words: list[tuple[str, float, float]]  # text, top, box height

    @property
    def body(self) -> list[str]:
        return [w for w, top, _ in self.words if top < self.height - FOOTER]

    @property
    def sheet(self) -> str:
        foot = [w for w, top, _ in self.words if top >= self.height - FOOTER]
        return " ".join(foot[:-3])  # the footer ends with "n / N"

    @property
    def smallest(self) -> float:
        """The smallest text on the page, in points."""
        return min(h for _, _, h in self.words) / BOX_PER_POINT

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def pages(pdf: Path) -> list[Page]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    found = []
    word_re = r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>'
    for w, h, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                                 out, re.S):
        words = [(html.unescape(t), float(y1), float(y2) - float(y1))
                 for y1, y2, t in re.findall(word_re, body)]
        found.append(Page(float(w), float(h), words))
    return found


def size(page: Page) -> tuple[float, float]:
    return (round(min(page.width, page.height), 1), round(max(page.width, page.height), 1))


def fifty_tasks(path: Path) -> str:
    """A 50-task template with a real plan's text lengths (actions, owners, sourced notes)."""
    axes = ["Presse", "Radio", "Playlists", "Réseaux sociaux", "Distribution", "Clip"]
    owners = ["Attaché·e de presse", "Community manager", "Manager", "Label", "Artiste"]
    lines = ["ID,Type,Axe,Action,Responsable,Référence,Décalage,Unité,Durée,Relance,"
             "Plateforme,Indicateur,Objectif,Budget,Notes"]
    for i in range(50):
        action = f"Envoyer le communiqué n°{i} aux médias ciblés et relancer"[:30 + i % 30]
        note = ("Quatre semaines avant : la presse mensuelle boucle tôt, d'où un envoi avant "
                f"le numéro du mois (source : guide de l'IRMA, 2024, fiche {i}).")
        lines.append(f"T{i:03d},Tâche,{axes[i % 6]},{action},{owners[i % 5]},J,{-60 + i * 2},"
                     f"jours,1,,Spotify,streams,{1000 + i},{i * 10},\"{note}\"")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def printed(tmp_path: Path, template: str, lang: str = "fr", country: str = "FR"
            ) -> list[Page]:
    soffice()
    m = new_plan(template, RELEASE, lang=lang, country=country, title="Nuit blanche",
                 artist="Léa")
    path = tmp_path / f"{lang}-{country}.xlsx"
    write_new(m.plan, m.dates, path, TODAY)
    return pages(to_pdf(path, tmp_path / "pdf"))


def test_a_fifty_task_plan_prints_in_eight_a4_pages(tmp_path: Path) -> None:
    got = printed(tmp_path, fifty_tasks(tmp_path / "fifty.csv"))
    assert len(got) <= 8, [p.sheet for p in got]
    assert {size(p) for p in got} == {A4}
    for p in got:
        assert p.smallest >= MIN_POINTS * 0.98, (p.sheet, p.smallest)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_sheet_has_a_page_setup(tmp_path: Path, lang: str) -> None:
    got = printed(tmp_path, "single", lang)
    by_sheet: dict[str, list[Page]] = {}
    for p in got:
        by_sheet.setdefault(p.sheet, []).append(p)
    names = {k: sheet_name(k, lang) for k in
             ("planning", "contacts", "settings", "dashboard", "report", "history")}
    assert set(by_sheet) == set(names.values())
    assert {size(p) for p in got} == {A4}
    for p in got:
        assert p.smallest >= MIN_POINTS * 0.98, (p.sheet, p.smallest)
    planning = by_sheet[names["planning"]]
    assert all(p.landscape for p in planning)
    for p in planning:
        # the header row on every page; the week strip (dd/mm or mm-dd labels) on none
        assert header("deadline", lang) in p.body and header("status", lang) in p.body
        assert not [w for w in p.body if re.fullmatch(r"\d\d[/-]\d\d", w)], p.body[:40]
        assert header("notes", lang) not in p.body
    assert len(by_sheet[names["contacts"]]) == 1
    # The Dashboard: its tables first, then the charts whole on a page of their own.
    dash = by_sheet[names["dashboard"]]
    titles = [word("tasks_by_status", lang), word("budget_vs_spent", lang)]
    charts = [" ".join(p.body) for p in dash]
    assert all(t in charts[-1] for t in titles)
    assert not any(t in text for text in charts[:-1] for t in titles)
    assert len(by_sheet[names["settings"]]) == 1


def test_letter_paper_where_the_country_uses_it(tmp_path: Path) -> None:
    got = printed(tmp_path, "single", "en", "US")
    assert {size(p) for p in got} == {LETTER}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_dashboards_due_list_prints_each_action_whole(tmp_path: Path, lang: str) -> None:
    """The due list's Action (columns A and B joined) wraps: every action due this week
    (the longest of the template, 147 characters, among them) is printed whole."""
    from retrosheet.report import build_report

    soffice()
    for n in range(2):  # once more if midnight passed while LibreOffice printed
        today = dt.date.today()
        for ahead in range(14, 120):  # the release that puts the longest action in this week
            m = new_plan("single", today + dt.timedelta(days=ahead), lang=lang)
            due = [x for xs in build_report(m.plan, today).due_this_week.values() for x in xs]
            if any(len(x.action) > 120 for x in due) and len(due) <= 12:
                break
        else:
            pytest.fail("no release date puts a long action in this week")
        path = tmp_path / "plan.xlsx"
        write_new(m.plan, m.dates, path, today)
        got = pages(to_pdf(path, tmp_path / f"pdf{n}"))
        if dt.date.today() == today:
            break
    dash = [p for p in got if p.sheet == sheet_name("dashboard", lang)]
    # The tables (the due list may go on past the first page), then the charts.
    assert word("tasks_by_status", lang) in " ".join(dash[-1].body)
    printed_words = [w for p in dash[:-1] for w in p.body]
    for x in due:
        missing = [w for w in x.action.split() if w not in printed_words]
        assert not missing, (x.id, x.action, missing)
