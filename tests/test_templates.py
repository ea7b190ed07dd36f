"""The built-in templates: complete, bilingual, sourced, and in the order a French release
manager would adopt unchanged (issue 10). Each defect the review found is a test here."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from retrosheet.followups import parse_rule
from retrosheet.grid import find_table, parse_tasks
from retrosheet.labels import Axis, TaskType, Unit, header, normalize
from retrosheet.model import Task
from retrosheet.new import NewPlan, new_plan
from retrosheet.templates import BUILTIN, builtin_rows, describe, load

ROOT = Path(__file__).resolve().parents[1]
FRIDAY = dt.date(2027, 5, 14)  # the review's date: Ascension 6/05, Whit Monday 17/05
FRIDAYS = [FRIDAY, dt.date(2027, 11, 19), dt.date(2028, 1, 7), dt.date(2027, 8, 27)]
RELEASE_TYPE = TaskType.parse("Sortie")  # a release inside the plan (issue 10 item 2)
FROZEN_SINGLE = str(ROOT / "tests" / "fixtures" / "single.csv")


@functools.cache
def made(name: str, release: dt.date = FRIDAY) -> NewPlan:
    return new_plan(name, release)


def tasks(name: str) -> list[Task]:
    return [t for t in made(name).plan.tasks if not t.id.startswith("R")]


def day(name: str, t: Task) -> int:
    """A task's deadline as days from J (release on Friday 14/05/2027)."""
    return (made(name).dates[t.id].deadline - FRIDAY).days


def text(t: Task) -> str:
    return normalize(f"{t.action} {t.platform}")


def having(name: str, *words: str, axis: Axis | None = None) -> list[Task]:
    """Tasks whose action (and platform) holds every word, accents and case folded."""
    found = [t for t in tasks(name) if all(normalize(w) in text(t) for w in words)
             and (axis is None or Axis.parse(t.axis) is axis)]
    return found


def one(name: str, *words: str, axis: Axis | None = None) -> Task:
    found = having(name, *words, axis=axis)
    assert len(found) == 1, (name, words, [t.action for t in found])
    return found[0]


# -- shape ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(BUILTIN))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_loads_in_both_languages_with_a_note_per_task(name: str, lang: str) -> None:
    loaded = load(name, lang).tasks
    assert len(loaded) >= 20
    for t in loaded:
        assert t.action and t.owner and t.notes, t.id
        assert not t.id.startswith("R")
    other = load(name, "en" if lang == "fr" else "fr").tasks
    assert [t.action for t in loaded] != [t.action for t in other]  # really translated
    assert [t.notes for t in loaded] != [t.notes for t in other]
    milestones_at_j = [t for t in loaded if t.type is TaskType.MILESTONE
                       and t.anchors == ("J",) and t.offset == 0]
    assert len(milestones_at_j) == 1


@pytest.mark.parametrize("name", list(BUILTIN))
def test_uses_both_units_durations_chains_two_anchors_and_followups(name: str) -> None:
    loaded = load(name, "fr").tasks
    assert {Unit.DAYS, Unit.WORKING_DAYS} <= {t.unit for t in loaded}
    assert any((t.duration or 0) > 1 for t in loaded)
    assert any(len(t.anchors) == 2 for t in loaded)
    ids = {t.id for t in loaded}
    assert any(a in ids for t in loaded for a in t.anchors)
    assert any(parse_rule(t) for t in loaded)


@pytest.mark.parametrize("name", ["single", "ep", "album"])
def test_release_templates_cover_every_axis(name: str) -> None:
    assert {Axis.parse(t.axis) for t in load(name, "fr").tasks} == set(Axis)


@pytest.mark.parametrize("name", list(BUILTIN))
def test_csv_writes_the_depends_on_header(name: str) -> None:
    head = (ROOT / "workbook_templates" / f"{name}.csv").read_text(encoding="utf-8")
    assert "Dépend de" in head.splitlines()[0]
    assert "Référence" not in head.splitlines()[0]


@pytest.mark.parametrize("old", ["Référence", "Reference", "Anchor", "Dépend de", "Depends on"])
def test_old_and_new_anchor_headers_are_read(old: str) -> None:
    assert (header("anchor", "fr"), header("anchor", "en")) == ("Dépend de", "Depends on")
    grid = [["ID", "Action", old, "Décalage"], ["T1", "a", "J", -3], ["T2", "b", "T1", 2]]
    parsed = parse_tasks(grid, find_table(grid, "Planning"))
    assert [t.anchors for t in parsed] == [("J",), ("T1",)]


@pytest.mark.parametrize("name", list(BUILTIN))
def test_no_duplicate_or_near_duplicate_rows(name: str) -> None:
    def words(t: Task) -> set[str]:
        return {w for w in normalize(t.action).split() if len(w) > 3}

    rows = tasks(name)
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if Axis.parse(a.axis) is not Axis.parse(b.axis):
                continue
            wa, wb = words(a), words(b)
            overlap = len(wa & wb) / max(1, len(wa | wb))
            assert overlap < 0.7 or abs(day(name, a) - day(name, b)) > 21, (a.id, b.id)


# -- sources -------------------------------------------------------------------------------

SOURCES = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
URL = re.compile(r"https?://[^\s,;)>]+")
BARE_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|fr|co|io|net|org|be|au|uk)\b", re.I)
COMMON = ("Pratique courante : ", "Common practice: ")
# Non-URL references (publication and date, law articles), exactly as sources.md lists them.
PUBLICATIONS = [m.group(1) for m in re.finditer(r"^- \*\*([^<*]+?)\*\*$", SOURCES, re.M)]


def notes(name: str) -> list[tuple[str, str, str]]:
    path = ROOT / "workbook_templates" / f"{name}.csv"
    with path.open(encoding="utf-8") as f:
        return [(r["ID"], r["Notes"], r["Notes (en)"]) for r in csv.DictReader(f)]


def test_sources_md_lists_publications_and_addresses() -> None:
    assert len(URL.findall(SOURCES)) >= 25 and len(PUBLICATIONS) >= 3


@pytest.mark.parametrize("name", list(BUILTIN))
def test_every_note_is_sourced_or_says_common_practice(name: str) -> None:
    for tid, *both in notes(name):
        for note, marker in zip(both, COMMON, strict=True):
            cited = [u.rstrip(".") for u in URL.findall(note)]
            assert all(u in SOURCES for u in cited), (tid, cited)
            sourced = bool(cited) or any(p in note for p in PUBLICATIONS)
            assert sourced != note.startswith(marker), (tid, note)
            assert not BARE_DOMAIN.search(URL.sub("", note)), (tid, note)


@pytest.mark.parametrize("name", list(BUILTIN))
def test_no_note_cites_the_tools_own_thresholds(name: str) -> None:
    for tid, fr, en in notes(name):
        assert not re.search(r"muet|seuil|silent|threshold", f"{fr} {en}", re.I), tid


def test_every_listed_source_is_cited() -> None:
    cited = " ".join(f"{fr} {en}" for name in BUILTIN for _, fr, en in notes(name))
    for url in URL.findall(SOURCES):
        assert url in cited, url
    for pub in PUBLICATIONS:
        assert pub in cited, pub


# -- README and the templates command stay true to the files -------------------------------

def span(name: str) -> tuple[int, int]:
    days = [day(name, t) for t in tasks(name)]
    return min(days), max(days)


@pytest.mark.parametrize("readme", ["README.md", "workbook_templates/README.md"])
def test_readme_tables_match_the_files(readme: str) -> None:
    table = (ROOT / readme).read_text(encoding="utf-8")
    for name in BUILTIN:
        row = next(line for line in table.splitlines() if line.startswith(f"| `{name}` |"))
        first, last = span(name)
        assert f"J{first} … J+{last}" in row, (readme, name, span(name))
        assert row.rstrip(" |").endswith(f"| {builtin_rows(name)}"), (readme, name)


@pytest.mark.parametrize("name", list(BUILTIN))
def test_templates_command_summary_matches_the_file(name: str) -> None:
    first, last = span(name)
    fr, en = describe(name, "fr"), describe(name, "en")
    assert f"J{first} à J+{last}" in fr and f"J{first} to J+{last}" in en


# -- dates: lead times, seasons, checks ----------------------------------------------------

@pytest.mark.parametrize("release", FRIDAYS)
@pytest.mark.parametrize("name", ["single", "ep", "album"])
def test_platform_lead_times_hold_from_each_release(name: str, release: dt.date) -> None:
    plan = made(name, release)
    dates = plan.dates
    by_id = {t.id: t for t in plan.plan.tasks}
    limit = 35 if release.month in (11, 12) else 21
    uploads = [t for t in plan.plan.tasks if Axis.parse(t.axis) is Axis.DISTRIBUTION
               and normalize("Livrer") in normalize(t.action)]
    assert uploads
    for t in uploads:
        assert dates[t.id].deadline <= release - dt.timedelta(days=limit), t.id
    pitches = [t for t in plan.plan.tasks if "spotify" in normalize(t.action)
               and "pitch" in normalize(t.action)]
    assert pitches
    for t in pitches:
        anchor = t.anchors[0]
        own = release if anchor == "J" else dates[anchor].deadline
        assert by_id.get(anchor) is None or by_id[anchor].type is RELEASE_TYPE
        assert dates[t.id].deadline <= own - dt.timedelta(days=7), t.id


@pytest.mark.parametrize("name", list(BUILTIN))
def test_every_template_schedules_in_every_season(name: str) -> None:
    for release in FRIDAYS:
        plan = new_plan(name, release, region="Alsace-Moselle")
        assert len(plan.dates) == len(plan.plan.tasks)


@pytest.mark.parametrize("name", list(BUILTIN))
@pytest.mark.parametrize("release", [*FRIDAYS, dt.date(2027, 6, 19)])
def test_templates_pass_their_own_checks(name: str, release: dt.date) -> None:
    from retrosheet.checks import Severity, check_plan

    plan = new_plan(name, release)
    plan.plan.settings.created = dt.date(2026, 3, 1)
    errors = [str(f) for f in check_plan(plan.plan, dt.date(2026, 3, 1))
              if f.severity is Severity.ERROR]
    assert errors == []


# -- single --------------------------------------------------------------------------------

def test_single_photo_shoot_leaves_time_before_the_epk() -> None:
    shoot, epk = one("single", "seance photo"), one("single", "EPK", "bio")
    assert day("single", shoot) <= -60
    assert day("single", epk) - day("single", shoot) >= 14


def test_single_radio_is_one_send_with_the_file_split_national_and_associative() -> None:
    radio = [t for t in tasks("single") if Axis.parse(t.axis) is Axis.RADIO]
    assert len(radio) == 2
    for t in radio:
        assert -35 <= day("single", t) <= -28, t.id
        assert "fiche titre" in normalize(t.action)
        assert parse_rule(t), t.id
    national = one("single", "France Inter", "FIP", "Nova", axis=Axis.RADIO)
    associative = one("single", "Ferarock", "IASTAR", axis=Axis.RADIO)
    assert national is not associative
    assert all(w in normalize(associative.action) for w in ("isrc", "francophone", "talent"))


def test_single_clip_is_posted_by_the_label_or_social_manager() -> None:
    post = one("single", "Publier le clip", "YouTube")
    assert post.owner in ("Label", "Community manager")


def test_single_checks_links_once_on_release_day() -> None:
    checks = [t for t in tasks("single") if Axis.parse(t.axis) is Axis.DISTRIBUTION
              and re.search(r"verifier|controler", normalize(t.action))
              and re.search(r"en ligne|stores|liens", normalize(t.action))]
    assert len(checks) == 1 and day("single", checks[0]) == 0


@pytest.mark.parametrize("name", ["single", "ep", "album"])
def test_short_videos_are_batch_shot_then_posted_three_a_week(name: str) -> None:
    shoot = one(name, "Tourner", "videos courtes", axis=Axis.CONTENT)
    posting = one(name, "3 videos courtes par semaine", axis=Axis.SOCIAL)
    assert day(name, shoot) <= -35
    start = (made(name).dates[posting.id].start - FRIDAY).days
    assert day(name, shoot) < start and start <= -28 and day(name, posting) >= 7


@pytest.mark.parametrize("name", ["single", "ep", "album"])
@pytest.mark.parametrize("words", [("Sacem",), ("SCPP", "SPPF"), ("Spedidam", "Adami"),
                                   ("Musixmatch",), ("liste blanche", "Content ID"),
                                   ("Spark Ads",), ("ISRC",), ("BnF",), ("Facultatif",)])
def test_rights_admin_and_platform_rows_are_there(name: str, words: tuple[str, ...]) -> None:
    assert having(name, *words), (name, words)


def test_single_has_a_canvas_and_longer_releases_a_countdown_page() -> None:
    assert having("single", "Canvas") and not having("single", "Countdown")
    for name in ("ep", "album"):  # Spotify offers Countdown Pages to albums and EPs only
        assert having(name, "Countdown Page")


@pytest.mark.parametrize("name", ["single", "ep", "album"])
def test_results_are_measured_beyond_streams(name: str) -> None:
    kpis = {normalize(t.kpi) for t in tasks(name)}
    assert {"streams", "abonnes", "auditeurs mensuels", "sauvegardes"} <= kpis


# -- album and EP --------------------------------------------------------------------------

def test_album_starts_early_enough_for_vinyl_and_a_press_officer() -> None:
    assert span("album")[0] <= -150
    assert day("album", one("album", "Engager", "attache")) <= -150
    assert day("album", one("album", "pressage vinyle", "creneau")) <= -150


@pytest.mark.parametrize("name", ["album", "ep"])
def test_monthlies_are_pitched_from_the_epk_by_j_minus_90(name: str) -> None:
    monthlies = one(name, "presse mensuelle")
    epk = one(name, "EPK", "ecoute privee")
    assert monthlies.anchors == (epk.id,)
    assert day(name, monthlies) <= -90
    for before in (one(name, "seance photo"), one(name, "Masters valides")):
        assert day(name, before) < (made(name).dates[epk.id].start - FRIDAY).days


@pytest.mark.parametrize("name", ["album", "ep"])
def test_rights_come_before_any_send_and_sdrm_before_pressing(name: str) -> None:
    sacem = one(name, "Sacem", "Declarer")
    sends = [t for t in tasks(name) if Axis.parse(t.axis) in (Axis.RADIO, Axis.PRESS)
             and re.search(r"envoyer|proposer|demarcher", normalize(t.action))]
    assert sends
    for t in sends:
        assert day(name, sacem) < day(name, t), t.id
    sdrm = one(name, "SDRM")
    assert day(name, sacem) < day(name, sdrm)
    for t in having(name, "Commander les CD") + having(name, "usine de pressage"):
        assert day(name, sdrm) + 21 <= day(name, t), t.id


@pytest.mark.parametrize(("name", "count"), [("album", 2), ("ep", 1)])
def test_singles_are_releases_of_their_own_with_their_own_pitch(name: str, count: int) -> None:
    assert RELEASE_TYPE is not None, "the Sortie/Release task type is missing"
    releases = [t for t in tasks(name) if t.type is RELEASE_TYPE]
    assert len(releases) == count
    for r in releases:
        assert r.unit is Unit.parse("jours fixes")
        assert made(name).dates[r.id].deadline.weekday() == 4  # a Friday, like J
        pitch = [t for t in tasks(name) if t.anchors == (r.id,) and "pitch" in text(t)]
        upload = [t for t in tasks(name) if t.anchors == (r.id,) and "livrer" in text(t)]
        assert len(pitch) == 1 and day(name, pitch[0]) <= day(name, r) - 7
        assert len(upload) == 1 and day(name, upload[0]) <= day(name, r) - 21
    if name == "album":
        assert -31 <= day(name, releases[-1]) <= -25  # the second single, ~J-28


@pytest.mark.parametrize("name", ["album", "ep"])
def test_presale_opens_before_the_general_sale(name: str) -> None:
    presale = one(name, "prevente")
    announce = one(name, "Annoncer", "ouvertes a tous")
    assert day(name, presale) < day(name, announce) <= -21


@pytest.mark.parametrize("name", ["album", "ep"])
def test_physical_product_is_presented_early_and_in_stock_by_j_minus_21(name: str) -> None:
    assert day(name, one(name, "Presenter", "disquaires")) <= -84
    assert day(name, one(name, "Receptionner le stock")) <= -21
    assert having(name, "EAN") and having(name, "Bandcamp")


def test_album_has_one_teaser_a_day() -> None:
    teasers = [day("album", t) for t in tasks("album") if "teaser" in text(t)]
    assert len(teasers) >= 2 and len(set(teasers)) == len(teasers)


# -- clip ----------------------------------------------------------------------------------

def test_clip_scouts_before_permits_and_permits_a_month_before_the_shoot() -> None:
    scout, permits = one("clip", "Reperer"), one("clip", "autorisations de tournage")
    shoot = one("clip", "Tourner le clip")
    assert day("clip", scout) < day("clip", permits) <= -56
    assert day("clip", permits) + 28 <= day("clip", shoot)
    release = one("clip", "droit a l'image")
    assert day("clip", release) < day("clip", shoot)


def test_clip_has_a_broadcast_master_a_video_isrc_and_the_right_content_id_wording() -> None:
    assert "lufs" in text(one("clip", "master diffusion", "Exporter"))
    assert having("clip", "ISRC video")
    cid = one("clip", "Content ID")
    assert "liste blanche" in normalize(cid.action) and "distributeur" in normalize(cid.action)
    exclusive = one("clip", "exclusivite")
    assert "blog" not in normalize(exclusive.action)


# -- concert -------------------------------------------------------------------------------

def test_concert_posters_go_on_free_boards_never_fly_posting() -> None:
    assert not having("concert", "Coller")
    assert having("concert", "affichage libre")


def test_concert_deal_budget_contracts_and_day_sheet() -> None:
    deal = one("concert", "cession", "location", "coréalisation", "Choisir")
    assert day("concert", deal) <= -120
    assert having("concert", "point mort", "budget")
    settle = one("concert", "Solder")
    assert all(w in text(settle) for w in ("cession", "location", "recettes"))
    assert not having("concert", "Regler la salle")
    dpae = one("concert", "DPAE", "Guso")
    assert day("concert", dpae) < (made("concert").dates[one("concert", "repeter").id].start
                                   - FRIDAY).days
    assert -7 <= day("concert", one("concert", "feuille de route")) < 0


def test_concert_invites_industry_a_month_before_and_pitches_local_tv() -> None:
    invite = one("concert", "Inviter les professionnels")
    assert -35 <= day("concert", invite) <= -25 and parse_rule(invite)
    assert having("concert", "television locale", axis=Axis.TV)


def test_concert_show_day_keeps_a_weekend_date() -> None:
    saturday = dt.date(2027, 6, 19)
    plan = new_plan("concert", saturday)
    show = next(t for t in plan.plan.tasks if t.type is TaskType.MILESTONE)
    assert show.unit is Unit.parse("jours fixes")
    assert plan.dates[show.id].deadline == saturday
    thanks = next(t for t in plan.plan.tasks if "remercier le public" in normalize(t.action))
    assert plan.dates[thanks.id].deadline > saturday  # a post after the show, never before


# -- French wording ------------------------------------------------------------------------

CALQUES: list[tuple[str, Callable[[str], bool]]] = [
    (pattern, (lambda p: lambda s: re.search(p, s, re.I) is not None)(pattern))
    for pattern in (r"Teaser le single", r"Pitcher les magazines", r"pub Meta Ads",
                    r"Pousser une pub", r"\bReposter\b", r"\bstores\b",
                    r"Remercier les playlists", r"\bles premières\b",
                    r"dates bookées", r"Le meilleur clip sort", r"respell")
]


def test_the_french_catalogue_has_no_calques() -> None:
    """`recompute` said « formules respellées » (issue 11's "formulas respelled")."""
    from retrosheet.words import catalogue

    french = " | ".join(catalogue("fr").values())
    for pattern, found in CALQUES:
        assert not found(french), pattern


@pytest.mark.parametrize("name", list(BUILTIN))
def test_french_wording_has_no_calques(name: str) -> None:
    french = " | ".join(f"{t.action} | {t.kpi}" for t in load(name, "fr").tasks)
    for pattern, found in CALQUES:
        assert not found(french), (name, pattern)


def test_french_typography_in_findings_and_reports() -> None:
    """« attention: dépensé 450 » and « contact(s) » were calques too (issue 10)."""
    from retrosheet.checks import Finding, Severity, check_plan
    from retrosheet.words import t

    assert str(Finding(Severity.WARNING, "x", "m", "T1", lang="fr")) == "T1 attention : m"
    assert str(Finding(Severity.WARNING, "x", "m", "T1", lang="en")) == "T1 warning: m"
    plan = new_plan(FROZEN_SINGLE, FRIDAY)
    plan.plan.tasks[0].budget, plan.plan.tasks[0].spent = 400, 450
    over = [f.message for f in check_plan(plan.plan, FRIDAY) if f.code == "over_budget"]
    assert over == [
        "dépensé 450\u202f€ pour un budget de 400\u202f€ : 50\u202f€ de plus (+13\u202f%)"]
    assert [t("report.waiting", "fr", n=n) for n in (0, 1, 3)] == [
        "0 contact sans réponse", "1 contact sans réponse", "3 contacts sans réponse"]
    assert [t("report.waiting", "en", n=n) for n in (0, 1, 3)] == [
        "0 contacts without reply", "1 contact without reply", "3 contacts without reply"]


def test_a_past_plans_workbook_is_a_template_of_its_tasks(tmp_path: Path) -> None:
    """`new PAST.xlsx` as a library call: the past plan is read through its plan store
    (no backend imported by templates) and gives back the tasks it was written with
    (the sheet lists them by date)."""
    from retrosheet.xlsx.create import write_new

    past = made("single")
    path = tmp_path / "past.xlsx"
    write_new(past.plan, past.dates, path, FRIDAY - dt.timedelta(days=90))

    def shape(ts: list[Task]) -> list[tuple[object, ...]]:
        return sorted((t.id, t.type.name, t.anchors, t.offset, t.unit.name, t.duration,
                       t.action, t.owner) for t in ts)

    assert shape(load(str(path), "fr").tasks) == shape(past.plan.tasks)
