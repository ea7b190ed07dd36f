"""The rules table (retrosheet/rules.py), task kinds by meaning (retrosheet/kinds.py) and
each false error and miss listed in issue 10, as a test.

J = Friday 14 May 2027 (Ascension 6 May, 8 May a Saturday, Whit Monday 17 May).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from retrosheet.checks import check_plan, has_errors
from retrosheet.kinds import Kind, kinds_of
from retrosheet.labels import Status, TaskType, Unit
from retrosheet.model import Plan, Settings, Source, Task
from retrosheet.rules import RULE, RULES, Severity, rules_markdown
from retrosheet.words import catalogue, fields, langs

ROOT = Path(__file__).resolve().parents[1]
D = dt.date
J = D(2027, 5, 14)
COLS = dict(zip(["id", "type", "axis", "action", "owner", "anchor", "offset", "unit",
                 "duration", "start", "deadline", "status", "followup"], "ABCDEFGHIJKLM",
                strict=True))


def plan(*tasks: Task, release: dt.date = J, lang: str = "fr") -> Plan:
    for row, task in enumerate(tasks, start=2):
        task.source = Source("Planning", row, COLS)
        task.owner = task.owner or "Label"
    return Plan(Settings(release=release, lang=lang), list(tasks))


TODAY = D(2027, 1, 4)


def found(p: Plan, today: dt.date = TODAY) -> list[tuple[str, str | None]]:
    return [(f.code, f.task) for f in check_plan(p, today)]


def task(tid: str, action: str, axis: str = "", offset: int = 0, anchors: str = "J",
         **kw: object) -> Task:
    return Task(tid, action, axis=axis, offset=offset,
                anchors=tuple(anchors.split(",")), **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------- the table

def test_docs_page_is_the_table() -> None:
    """docs/checks.md is generated: `python3 -m retrosheet.rules > docs/checks.md`."""
    assert (ROOT / "docs" / "checks.md").read_text(encoding="utf-8") == rules_markdown()


def test_every_rule_is_complete_and_its_placeholders_match() -> None:
    assert len({r.id for r in RULES}) == len(RULES)
    for r in RULES:
        assert r.source, r.id
        for lang in langs():
            assert r.looks_at(lang) and r.condition(lang) and r.message(lang), (r.id, lang)
        # Every language fills the same placeholders (the catalogue refuses any other).
        assert fields(r.message("en")) == fields(r.message("fr")), r.id
    # No word of the check area is left unused by the rules (or the hooks' pieces).
    rule_ids = {f"check.{r.id}.{part}" for r in RULES
                for part in ("looks_at", "condition", "message")}
    source = "".join((ROOT / "retrosheet" / f).read_text(encoding="utf-8")
                     for f in ("checks.py", "checker.py", "check_timing.py", "kinds.py"))
    unused = {k for k in catalogue("fr") if k.startswith("check.")
              and k not in rule_ids and f'"{k}"' not in source}
    assert unused == set()


def test_every_code_the_checks_emit_has_a_row() -> None:
    # The structural rules are found by the scheduler's validation (schedule.structure_of).
    source = "".join((ROOT / "retrosheet" / f).read_text(encoding="utf-8")
                     for f in ("checks.py", "check_timing.py", "schedule.py"))
    for r in RULES:
        assert f'"{r.id}"' in source, f"rule {r.id} has no hook"


# --------------------------------------------------------- kinds, by meaning

KINDS = [
    # editorial pitch: several phrasings, fr and en
    ("Pitcher le titre à l'équipe éditoriale", "Playlists", "Spotify", Kind.PITCH),
    ("Proposer le titre aux éditeurs de playlists Spotify", "Playlists", "", Kind.PITCH),
    ("Soumettre le single via Spotify for Artists", "Distribution", "", Kind.PITCH),
    ("Pitch the track to Spotify editorial", "Playlists", "", Kind.PITCH),
    ("Submit the song to Spotify's editors", "Playlists", "", Kind.PITCH),
    # distributor upload
    ("Envoyer le titre au distributeur", "Distribution", "", Kind.UPLOAD),
    ("Upload sur DistroKid", "Distribution", "", Kind.UPLOAD),
    ("Deliver the audio files", "Distribution", "", Kind.UPLOAD),
    ("Livrer le master et la pochette à TuneCore", "Distribution", "", Kind.UPLOAD),
    # rights
    ("Déclarer les œuvres à la Sacem", "Admin", "", Kind.RIGHTS),
    ("Register the recording with SCPP", "Admin", "", Kind.RIGHTS),
    ("Demander l'autorisation SDRM avant pressage", "Admin", "", Kind.RIGHTS),
    # others
    ("Vérifier que le titre apparaît dans Spotify for Artists", "Playlists", "", Kind.S4A),
    ("Check the track shows in Spotify for Artists", "Distribution", "", Kind.S4A),
    ("Obtenir les ISRC et l'UPC", "Admin", "", Kind.CODES),
    ("Recevoir les masters du studio de mastering", "Production", "", Kind.MASTERS),
    ("Mettre en ligne le lien de pré-save", "Réseaux sociaux", "", Kind.PRESAVE),
    ("Envoyer les masters à l'usine de pressage", "Production", "", Kind.PRESSING),
    ("Réceptionner les vinyles et les CD", "Production", "", Kind.STOCK),
    ("Livrer les vinyles au distributeur physique", "Distribution", "", Kind.STOCK),
    ("Démarcher la presse mensuelle", "Presse", "", Kind.MONTHLIES),
    ("Pitch the monthly magazines", "Press", "", Kind.MONTHLIES),
    ("Présenter le single aux radios (mailing)", "Radio", "", Kind.SEND),
    ("Send the press release to local media", "Press", "", Kind.SEND),
    ("Ouvrir la billetterie aux abonnés de la newsletter", "Concerts", "", Kind.PRESALE),
    ("Newsletter presale", "Concerts", "", Kind.PRESALE),
    ("Ouvrir la billetterie au public", "Concerts", "", Kind.SALE),
    ("Remercier le public après le concert", "Réseaux sociaux", "", Kind.AFTER_EVENT),
]


@pytest.mark.parametrize(("action", "axis", "platform", "kind"), KINDS)
def test_kinds_by_meaning(action: str, axis: str, platform: str, kind: Kind) -> None:
    assert kind in kinds_of(Task("T", action, axis=axis, platform=platform))


NOT_KINDS = [
    # the false errors of issue 10: not an upload, not an editorial pitch
    ("Livrer les vinyles au distributeur physique", "Distribution", "", Kind.UPLOAD),
    ("Envoyer les paroles à Musixmatch", "Distribution", "", Kind.UPLOAD),
    ("Pitcher le titre aux curateurs Spotify indépendants", "Playlists", "Spotify",
     Kind.PITCH),
    ("Pitch Deezer", "Playlists", "Deezer", Kind.PITCH),
    ("Vérifier le titre dans Spotify for Artists", "Playlists", "Spotify", Kind.PITCH),
    ("Réserver un créneau de pressage vinyle", "Production", "", Kind.PRESSING),
    ("Envoyer le programme des œuvres jouées à la Sacem", "Admin", "", Kind.RIGHTS),
    ("Transmettre la liste des gagnants à la salle", "Radio", "", Kind.SEND),
    ("Pitcher l'album aux éditeurs Deezer et Apple Music", "Playlists", "Deezer", Kind.SEND),
    ("Envoyer les masters à l'usine de pressage", "Production", "", Kind.MASTERS),
    ("Mettre en ligne le pré-save", "Distribution", "", Kind.UPLOAD),
]


@pytest.mark.parametrize(("action", "axis", "platform", "kind"), NOT_KINDS)
def test_not_that_kind(action: str, axis: str, platform: str, kind: Kind) -> None:
    assert kind not in kinds_of(Task("T", action, axis=axis, platform=platform))


# ------------------------------------------------- issue 10: false errors, now quiet

def test_vinyl_to_the_physical_distributor_is_stock_not_an_upload() -> None:
    p = plan(task("T1", "Livrer les vinyles au distributeur physique", "Distribution", -14))
    assert found(p) == [("stock_late", "T1")]  # a warning: stock by J-21
    assert not has_errors(check_plan(p, D(2027, 1, 4)))
    p = plan(task("T1", "Livrer les vinyles au distributeur physique", "Distribution", -28))
    assert found(p) == []


def test_lyrics_to_musixmatch_is_no_upload() -> None:
    assert found(plan(task("T1", "Envoyer les paroles à Musixmatch", "Distribution", -3))) == []


def test_independent_curators_after_j_are_no_editorial_pitch() -> None:
    p = plan(task("T1", "Pitcher le titre aux curateurs Spotify indépendants", "Playlists", 7,
                  platform="Spotify", followup="+7"))
    assert found(p) == []


# ------------------------------------------------------ issue 10: misses, now found

def test_editorial_pitch_worded_differently_at_j_minus_2() -> None:
    p = plan(task("T1", "Proposer le titre aux éditeurs de playlists Spotify", "Playlists",
                  -2))
    assert found(p) == [("spotify_pitch_late", "T1")]


def test_lead_single_pitched_after_its_own_release_inside_an_album_plan() -> None:
    p = plan(
        Task("S1", "Sortie du premier extrait", TaskType.RELEASE, "Distribution",
             offset=-42, duration=None),  # Friday 2 April
        task("T1", "Pitcher le single à l'équipe éditoriale Spotify", "Playlists", 3, "S1"),
        # The album's own pitch at J-21 is in time for J, and late for nothing.
        task("T2", "Pitcher l'album à l'équipe éditoriale Spotify", "Playlists", -21),
    )
    result = check_plan(p, D(2027, 1, 4))
    assert [(f.code, f.task) for f in result] == [("spotify_pitch_late", "T1")]
    assert "après J-7 de S1 (26/03/2027)" in result[0].message


def test_a_release_on_a_wednesday() -> None:
    wednesday = D(2027, 5, 12)
    result = check_plan(plan(task("T1", "Publier le clip", "Clip"), release=wednesday),
                        D(2027, 1, 4))
    assert [(f.code, f.severity) for f in result] == [("release_not_friday", Severity.WARNING)]
    assert result[0].message == (
        "sortie J le 12/05/2027 (mercredi) : les plateformes sortent le vendredi "
        "(New Music Friday, classements de la semaine)")
    english = check_plan(plan(task("T1", "Publish the video", "Clip"), release=wednesday,
                              lang="en"), D(2027, 1, 4))
    assert [f.message for f in english] == [
        "release J on 2027-05-12 (Wednesday): platforms release on Fridays (New Music "
        "Friday, weekly charts)"]
    # A concert plan's J is the show: a Saturday is right.
    show = plan(Task("T0", "Concert", TaskType.MILESTONE, "Concerts", duration=None),
                release=D(2027, 5, 15))
    assert found(show) == []


def test_sacem_declared_after_the_first_send() -> None:
    p = plan(task("T1", "Envoyer le single aux radios", "Radio", -35, followup="+14"),
             task("T2", "Déclarer les œuvres à la Sacem", "Admin", 7))
    assert found(p) == [("rights_late", "T2")]
    p = plan(task("T1", "Envoyer le single aux radios", "Radio", -35, followup="+14"),
             task("T2", "Déclarer les œuvres à la Sacem", "Admin", -42))
    assert found(p) == []


def test_a_post_show_task_dated_before_the_show() -> None:
    show = Task("M1", "Release party", TaskType.MILESTONE, "Concerts", offset=8,
                duration=None)
    p = plan(show, task("T1", "Remercier le public après le concert", "Réseaux sociaux", -2,
                        "M1"))
    assert found(p) == [("after_event_dated_before", "T1")]
    p = plan(show, task("T1", "Remercier le public après le concert", "Réseaux sociaux", 1,
                        "M1"))
    assert found(p) == []


def test_near_duplicate_tasks() -> None:
    p = plan(task("T1", "Publier un teaser de 15 secondes", "Réseaux sociaux", -10),
             task("T2", "Publier le teaser 15 secondes", "Réseaux sociaux", -10),
             task("T3", "Publier la pochette", "Réseaux sociaux", -9))
    assert found(p) == [("near_duplicate_task", "T2")]


# -------------------------------------------------------------- expert rules

def test_order_of_steps_per_release() -> None:
    p = plan(task("T1", "Recevoir les masters", "Production", -40),
             task("T2", "Obtenir les ISRC et l'UPC", "Admin", -45),
             task("T3", "Envoyer le titre au distributeur", "Distribution", -35),
             task("T4", "Vérifier le titre dans Spotify for Artists", "Playlists", -20),
             task("T5", "Pitcher le titre à l'équipe éditoriale Spotify", "Playlists", -24),
             task("T6", "Créer le lien de pré-save", "Distribution", -36))
    assert found(p) == [("step_order", "T2"), ("step_order", "T5"), ("step_order", "T6")]
    message = check_plan(p, D(2027, 1, 4))[0].message
    assert message.startswith("codes ISRC/UPC le 30/03/2027, avant T1 (masters, 02/04/2027)")


def test_windows_monthlies_radio_stock() -> None:
    p = plan(task("T1", "Démarcher la presse mensuelle", "Presse", -60, followup="+14"),
             task("T2", "Envoyer le single aux radios", "Radio", -14, followup="+14"),
             task("T3", "Réceptionner les vinyles", "Production", -10))
    assert found(p) == [("monthlies_late", "T1"), ("radio_window", "T2"), ("stock_late", "T3")]
    p = plan(task("T1", "Démarcher la presse mensuelle", "Presse", -120, followup="+14"),
             task("T2", "Envoyer le single aux radios", "Radio", -35, followup="+14"),
             task("T3", "Réceptionner les vinyles", "Production", -28))
    assert found(p) == []


def test_august_release_and_a_send_without_follow_up() -> None:
    august = D(2027, 8, 20)
    p = plan(task("T1", "Envoyer le communiqué aux médias", "Presse", -42), release=august)
    assert found(p) == [("august_release", None), ("send_without_followup", "T1")]


def test_presale_before_general_sale() -> None:
    p = plan(task("T1", "Ouvrir la billetterie au public", "Concerts", -35),
             task("T2", "Ouvrir la billetterie aux abonnés de la newsletter", "Concerts", -14))
    assert found(p) == [("presale_after_sale", "T2")]


def test_total_budget() -> None:
    p = plan(task("T1", "Campagne Meta", "Publicité", -3, budget=100, spent=90),
             task("T2", "Impression affiches", "Concerts", -20, budget=50, spent=40),
             task("T3", "Photos", "Contenu", -30, spent=80))
    result = check_plan(p, D(2027, 1, 4))
    assert [(f.code, f.task) for f in result] == [("total_over_budget", None)]
    assert result[0].message == (
        "budget total dépassé : 210\u202f€ dépensés pour 150\u202f€ budgétés, 60\u202f€ de plus")


def test_done_and_cancelled_tasks_are_left_alone() -> None:
    p = plan(task("T1", "Proposer le titre aux éditeurs Spotify", "Playlists", -2,
                  status=Status.DONE))
    assert found(p) == []


def test_fixed_day_typed_on_a_saturday_is_fine() -> None:
    t = task("T1", "Story du samedi soir", "Réseaux sociaux", 1, unit=Unit.FIXED_DAYS,
             deadline=D(2027, 5, 15), typed=frozenset({"deadline"}))
    assert found(plan(t)) == []


def test_rule_rows_word_the_findings() -> None:
    assert RULE["spotify_pitch_late"].severity is Severity.ERROR
    assert RULE["release_not_friday"].text("en", what="J", day="2027-05-12",
                                           weekday="Wednesday").startswith(
        "release J on 2027-05-12 (Wednesday)")
