from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from clirun import invoke

SMALL_CSV = """\
ID,Type,Axe,Action,Action (en),Responsable,Référence,Décalage,Unité,Durée,Relance,Plateforme,Objectif,Budget,Notes
T010,Tâche,Distribution,Livrer au distributeur,Upload to distributor,Manager,J,-28,jours,1,,DistroKid,,,4 semaines avant
T020,Tâche,Radio,Mailing radios,Radio mailing,Promo radio,J,-21,jours,2,+14,Radios locales,20,,
T030,Tâche,Presse,Envoyer le communiqué,Send the press release,Attaché·e de presse,T010,-7,jours ouvrés,1,+7 x2,,5,150,
T040,Tâche,Playlists,Pitch Spotify,Spotify pitch,Manager,"T010,T020",3,jours,1,,Spotify,,,
T050,Jalon,Distribution,Sortie,Release,Manager,J,0,,,,,,,
T060,Tâche,Réseaux sociaux,Bilan première semaine,First-week review,Manager,T050,7,jours,1,,Instagram,,,
"""


@pytest.fixture(autouse=True)
def _user_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages no plan's language decides are in the user's: French here, whatever the
    machine's locale (a test of another language sets RETROSHEET_LANG itself)."""
    monkeypatch.setenv("RETROSHEET_LANG", "fr")


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    """A six-task template: units, chains, two anchors, a milestone, follow-up rules."""
    path = tmp_path / "mini.csv"
    path.write_text(SMALL_CSV, encoding="utf-8")
    return path

# The `single` template as it was before issue 10 (52 tasks): a stable plan for the tests of
# everything but the templates, so a template's content can change without touching them.
SINGLE = str(Path(__file__).resolve().parent / "fixtures" / "single.csv")

@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """The shared CLI runner (tests/clirun.py): `run_cli("export", path).stdout`."""
    return invoke


# What starts another program (LibreOffice, Chromium, TaskJuggler) is slow: `-m "not slow"`
# leaves it out.
HEAVY = ("libreoffice", "chromium", "taskjuggler")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(m) for m in HEAVY):
            item.add_marker(pytest.mark.slow)
