"""Plan checks (docs/contract.md §5): each finding once, located, in French and English.

May 2027: Sat 1 (Fête du Travail), Thu 6 (Ascension), Sat 8 (Victoire), Fri 14 = J,
Mon 17 (Whit Monday).
"""

from __future__ import annotations

import datetime as dt

import pytest

from retrosheet.checks import Finding, Severity, Thresholds, check_plan, has_errors
from retrosheet.labels import Reply, Status, TaskType, Unit
from retrosheet.model import Contact, Plan, Settings, Source, Task

D = dt.date
J = D(2027, 5, 14)
CREATED = D(2027, 4, 20)
WD = Unit.WORKING_DAYS
MILESTONE = TaskType.MILESTONE
FOLLOWUP = TaskType.FOLLOWUP

# The Planning columns in the contract's order, as `new` writes them.
PLANNING = dict(zip(
    ["id", "type", "axis", "action", "owner", "anchor", "offset", "unit", "duration", "start",
     "deadline", "status", "followup", "platform", "kpi", "objective", "result", "budget",
     "spent", "notes"],
    "ABCDEFGHIJKLMNOPQRST", strict=True,
))
CONTACTS = dict(zip(
    ["id", "axis", "outlet", "name", "email", "task", "sent", "reply", "replied", "outcome"],
    "ABCDEFGHIJ", strict=True,
))


def located(tasks: list[Task], first_row: int = 2) -> list[Task]:
    """Give each task a Planning row, in list order."""
    for row, task in enumerate(tasks, start=first_row):
        task.source = Source("Planning", row, PLANNING)
    return tasks


def contacts_located(contacts: list[Contact]) -> list[Contact]:
    for row, contact in enumerate(contacts, start=2):
        contact.source = Source("Contacts", row, CONTACTS)
    return contacts


def plan_of(tasks: list[Task], lang: str = "fr", *, release: dt.date = J,
            created: dt.date | None = CREATED, contacts: list[Contact] | None = None,
            region: str = "") -> Plan:
    return Plan(Settings(release=release, lang=lang, created=created, region=region),
                located(tasks), contacts_located(contacts or []))


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# ---------------------------------------------------------------- one of each finding


def every_finding_plan(lang: str) -> Plan:
    """Twenty rows and three contacts that break each rule exactly once."""
    tasks = [
        Task("T005", "Sortie", MILESTONE, "Distribution", "Manager", duration=None),
        # Spotify pitch at J-4: after the hard J-7.
        Task("T010", "Pitch Spotify éditorial", axis="Playlists", owner="Label", offset=-4,
             platform="Spotify"),
        # Upload at J-14: distributors want J-21.
        Task("T020", "Livrer le titre au distributeur", axis="Distribution", owner="Label",
             offset=-14),
        # J-28 = Fri 16 April, four days before the plan was created.
        Task("T030", "Déclarer le titre à la Sacem", axis="Admin", owner="Manager",
             offset=-28),
        Task("T040", "Rédiger le communiqué", axis="Presse", owner="Attachée de presse",
             offset=-21),
        Task("T041", "Rédiger  le communiqué ", axis="Press", owner="Attachée de presse",
             offset=-21),
        # Mailing on Friday 7 May; its follow-up's offset was typed over as 0: same day.
        Task("T050", "Mailing radios", axis="Radio", owner="Promo radio", offset=-7,
             followup="+1"),
        Task("R050-1", "Relance 1 : Mailing radios", FOLLOWUP, "Radio", "Promo radio",
             ("T050",), 0, parent="T050"),
        # The rule asks for one follow-up: the second row is left over.
        Task("R050-2", "Relance 2 : Mailing radios", FOLLOWUP, "Radio", "Promo radio",
             ("T050",), 14, parent="T050"),
        # Three posts in the week of 3 May for one owner (limit 2 in this test).
        Task("T060", "Publier le teaser", axis="Réseaux sociaux", owner="Community manager",
             offset=-11),
        Task("T061", "Publier la pochette", axis="Réseaux sociaux", owner="Community manager",
             offset=-10),
        Task("T062", "Story pré-save", axis="Social", owner="community  Manager", offset=-9),
        # TV: nothing between 23 April and 19 May.
        Task("T070", "Monter la version TV du clip", axis="TV", owner="Label", offset=-20),
        Task("T071", "Interview TV", axis="TV", owner="Label", offset=5),
        # Typed deadline on a Saturday (computed: Monday 26 April).
        Task("T080", "Tourner le clip", axis="Clip", owner="Réalisatrice", offset=-18,
             deadline=D(2027, 4, 24), typed=frozenset({"deadline"})),
        # Typed start on a working day, but not the computed one (Friday 23 April).
        Task("T090", "Préparer l'EPK", axis="Contenu", owner="Attachée de presse",
             offset=-17, duration=3, start=D(2027, 4, 21), typed=frozenset({"start"})),
        Task("T100", "Annoncer la release party", axis="Concerts", offset=-12),
        Task("T110", "Campagne Meta Ads", axis="Publicité", owner="Community manager",
             offset=-3, budget=150, spent=180),
        # Showcase one working day after J (Tue 18 May, Whit Monday skipped); its
        # announcement 3 days earlier is "J-2" along the chain but lands on Saturday 15.
        Task("T120", "Showcase chez le disquaire", axis="Concerts", owner="Manager",
             offset=1, unit=WD),
        Task("T121", "Annonce du showcase", MILESTONE, "Concerts", "Manager", ("T120",), -3,
             duration=None),
    ]
    contacts = [
        Contact("C1", "Radio", "FIP", task="T050", reply=Reply.YES),
        Contact("C2", "Radio", "Radio Nova", task="T999"),
        Contact("C3", "Presse", "Libération", task=""),
    ]
    return plan_of(tasks, lang, contacts=contacts)


SMALL = Thresholds(max_tasks_per_owner_week=2)

# (severity, code, task, sheet, cell), in the expected order.
EVERY = [
    (Severity.ERROR, "spotify_pitch_late", "T010", "Planning", "K3"),
    (Severity.ERROR, "distribution_upload_late", "T020", "Planning", "K4"),
    (Severity.ERROR, "followup_before_send", "R050-1", "Planning", "K9"),
    (Severity.ERROR, "dated_after_release", "T121", "Planning", "K21"),
    (Severity.ERROR, "contact_unknown_task", "T999", "Contacts", "F3"),
    (Severity.WARNING, "past_at_creation", "T030", "Planning", "K5"),
    (Severity.WARNING, "duplicate_task", "T041", "Planning", "D7"),
    (Severity.WARNING, "radio_window", "T050", "Planning", "K8"),
    (Severity.WARNING, "orphan_followup", "R050-2", "Planning", "A10"),
    (Severity.WARNING, "owner_overloaded", "T060", "Planning", "E11"),
    (Severity.WARNING, "typed_non_working_day", "T080", "Planning", "K16"),
    (Severity.WARNING, "no_owner", "T100", "Planning", "E18"),
    (Severity.WARNING, "over_budget", "T110", "Planning", "S19"),
    (Severity.WARNING, "contact_no_task", None, "Contacts", "F4"),
    (Severity.INFO, "axis_stops_early", "T062", "Planning", "K13"),
    (Severity.INFO, "axis_silent", "T071", "Planning", "K15"),
    (Severity.INFO, "typed_date_replaced", "T090", "Planning", "J17"),
    (Severity.INFO, "contact_reply_undated", "T050", "Contacts", "I2"),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_finding_once_located_and_sorted(lang: str) -> None:
    found = check_plan(every_finding_plan(lang), CREATED, SMALL)
    assert [(f.severity, f.code, f.task, f.sheet, f.cell) for f in found] == EVERY
    assert all(f.lang == lang and "\n" not in f.message for f in found)
    assert has_errors(found)


FRENCH = {
    "spotify_pitch_late":
        "pitch Spotify éditorial le 10/05/2027, après J-7 (07/05/2027) : "
        "trop tard pour Release Radar",
    "distribution_upload_late":
        "envoi au distributeur le 30/04/2027, après J-21 (23/04/2027) : les distributeurs "
        "demandent 3 semaines pour que toutes les plateformes soient prêtes",
    "followup_before_send":
        "relance le 07/05/2027, avant ou le jour même de son envoi T050 (07/05/2027)",
    "dated_after_release":
        "prévue avant la sortie (J-2 par ses références) mais datée du 15/05/2027, "
        "après J (14/05/2027)",
    "contact_unknown_task": "contact Radio Nova : l'action T999 n'est pas un ID de tâche",
    "past_at_creation":
        "échéance 16/04/2027 déjà passée de 4 jours à la création du plan (20/04/2027) : "
        "la sortie est trop proche pour ce modèle",
    "duplicate_task":
        "même axe, même action et même date (23/04/2027) que T040 : tâche en double ?",
    "owner_overloaded":
        "Community manager a 3 tâches la semaine du 03/05/2027 (max 2) : T060, T061, T062",
    "typed_non_working_day":
        "date saisie à la main 24/04/2027 : jour non travaillé (le calcul donne 26/04/2027)",
    "no_owner": "aucun responsable",
    "over_budget": "dépensé 180\u202f€ pour un budget de 150\u202f€ : 30\u202f€ de plus "
                   "(+20\u202f%)",
    "axis_silent":
        "axe TV muet 26 jours, du 23/04/2027 (T070) au 19/05/2027 (seuil 21 jours)",
    "typed_date_replaced":
        "date saisie à la main 21/04/2027, le calcul donne 23/04/2027 : "
        "le recalcul la remplacera",
    "contact_reply_undated": "contact FIP : réponse « Oui » sans date de réponse",
}

ENGLISH = {
    "spotify_pitch_late":
        "Spotify editorial pitch on 2027-05-10, after J-7 (2027-05-07): "
        "too late for Release Radar",
    "distribution_upload_late":
        "distributor upload on 2027-04-30, after J-21 (2027-04-23): distributors need "
        "3 weeks for every store to be ready",
    "followup_before_send":
        "follow-up on 2027-05-07, on or before its send T050 (2027-05-07)",
    "dated_after_release":
        "meant before release (J-2 along its anchors) but dated 2027-05-15, "
        "after J (2027-05-14)",
    "past_at_creation":
        "deadline 2027-04-16 already 4 days past when the plan was created (2027-04-20): "
        "the release is too close for this template",
    "owner_overloaded":
        "Community manager has 3 tasks in the week of 2027-05-03 (max 2): T060, T061, T062",
    "over_budget": "spent €180 against a budget of €150: €30 over (+20%)",
    "axis_silent":
        "axis TV silent for 26 days, from 2027-04-23 (T070) to 2027-05-19 "
        "(threshold 21 days)",
    "no_owner": "no owner",
    "contact_reply_undated": "contact FIP: reply 'Yes' without a reply date",
}


def test_french_messages() -> None:
    found = {f.code: f for f in check_plan(every_finding_plan("fr"), CREATED, SMALL)}
    for code, message in FRENCH.items():
        assert found[code].message == message, code
    assert str(found["spotify_pitch_late"]) == (
        "Planning!K3 (T010) erreur : " + FRENCH["spotify_pitch_late"])
    assert str(found["contact_no_task"]) == (
        "Contacts!F4 attention : contact Libération : aucune action d'envoi "
        "(colonne Action vide)")


def test_english_messages() -> None:
    found = {f.code: f for f in check_plan(every_finding_plan("en"), CREATED, SMALL)}
    for code, message in ENGLISH.items():
        assert found[code].message == message, code
    assert str(found["spotify_pitch_late"]) == (
        "Planning!K3 (T010) error: " + ENGLISH["spotify_pitch_late"])
    assert str(found["typed_date_replaced"]).startswith("Planning!J17 (T090) info: ")


def test_finding_without_cell_names_the_row_or_the_task() -> None:
    assert str(Finding(Severity.WARNING, "no_owner", "aucun responsable", "T1", "Planning",
                       None, 7)) == "Planning, ligne 7 (T1) attention : aucun responsable"
    assert str(Finding(Severity.INFO, "x", "m", "T1", lang="en")) == "T1 info: m"
    assert str(Finding(Severity.WARNING, "no_owner", "no owner", "T1", "Planning", None, 7,
                       lang="en")) == "Planning, row 7 (T1) warning: no owner"


def test_a_leftover_follow_up_row_read_from_a_sheet_is_found() -> None:
    """The reader gives a follow-up row no `parent`, only its anchor: `check` said nothing
    of R1-2 once the rule went from '+7 x2' to '+7' (recompute alone said it)."""
    tasks = [Task("T1", "Mailing radios", owner="A", offset=-30, followup="+7"),
             Task("R1-1", "Relance 1", FOLLOWUP, owner="A", anchors=("T1",), offset=7),
             Task("R1-2", "Relance 2", FOLLOWUP, owner="A", anchors=("T1",), offset=14)]
    found = check_plan(plan_of(tasks, created=None), J)
    assert [(f.code, f.task) for f in found if f.code == "orphan_followup"] == [
        ("orphan_followup", "R1-2")]


@pytest.mark.parametrize(("lang", "changed", "removed", "money"), [
    ("fr", "relance générée pour T1, dont la règle « +7 » n'en demande plus : supprimez la "
     "ligne ou remettez la règle",
     "relance générée pour T1, dont la règle a été effacée : supprimez la ligne ou remettez la "
     "règle",
     "dépensé 2\u202f500\u202f€ pour un budget de 1\u202f500\u202f€ : 1\u202f000\u202f€ de plus "
     "(+67\u202f%)"),
    ("en", "follow-up generated for T1, whose rule '+7' no longer asks for it: delete the row or "
     "restore the rule",
     "follow-up generated for T1, whose rule was removed: delete the row or restore the rule",
     "spent €2,500 against a budget of €1,500: €1,000 over (+67%)"),
])
def test_pieces_of_findings_in_each_language(lang: str, changed: str, removed: str,
                                             money: str) -> None:
    """Leftover follow-ups (rule changed, rule removed) and money, in the plan's language."""
    tasks = [Task("T1", "Mailing radios", owner="A", offset=-30, followup="+7"),
             Task("R1-1", "Relance 1", FOLLOWUP, owner="A", anchors=("T1",), offset=7,
                  parent="T1"),
             Task("R1-2", "Relance 2", FOLLOWUP, owner="A", anchors=("T1",), offset=14,
                  parent="T1"),
             Task("T2", "Pub", owner="A", offset=-3, budget=1500, spent=2500)]
    found = check_plan(plan_of(tasks, lang, created=None), J)
    assert [f.message for f in found if f.code in ("orphan_followup", "over_budget")] == [
        changed, money]
    tasks[0].followup = ""
    found = check_plan(plan_of(tasks, lang, created=None), J)
    assert [f.message for f in found if f.code == "orphan_followup"] == [removed, removed]
    assert str(Finding(Severity.ERROR, "x", "m", lang="en")) == "error: m"


def test_severity_labels() -> None:
    assert [s.label("fr") for s in Severity] == ["erreur", "attention", "info"]
    assert [s.label("en") for s in Severity] == ["error", "warning", "info"]


# ------------------------------------------------------------------------ clean plan


def clean_plan(lang: str = "fr") -> Plan:
    """A realistic single, J-56 to J+7, that breaks no rule."""
    social = "Réseaux sociaux" if lang == "fr" else "Social"
    cm = "Community manager"
    tasks = [
        Task("T010", "Partager le rétroplanning", axis="Admin", owner="Manager", offset=-56),
        Task("T020", "Envoyer le communiqué de presse", axis="Presse",
             owner="Attachée de presse", offset=-42, followup="+7", budget=150, spent=120),
        Task("R020-1", "Relance 1 : Envoyer le communiqué de presse", FOLLOWUP, "Presse",
             "Attachée de presse", ("T020",), 7, parent="T020"),
        Task("T030", "Livrer le titre au distributeur", axis="Distribution", owner="Label",
             offset=-35, platform="DistroKid"),
        Task("T040", "Présenter le single aux radios", axis="Radio", owner="Promo radio",
             offset=-28, followup="+14"),
        Task("R040-1", "Relance 1 : Présenter le single aux radios", FOLLOWUP, "Radio",
             "Promo radio", ("T040",), 14, parent="T040"),
        Task("T050", "Pitcher le titre à l'équipe éditoriale", axis="Playlists",
             owner="Label", offset=-21, platform="Spotify"),
        Task("T060", "Annoncer la date de sortie", axis=social, owner=cm, offset=-14,
             deadline=D(2027, 4, 30), typed=frozenset({"deadline"})),
        Task("T070", "Publier un teaser", axis=social, owner=cm, offset=-7, platform="TikTok"),
        Task("T080", "Sortie", MILESTONE, "Distribution", "Label", duration=None),
        Task("T090", "Publier le clip", axis=social, owner=cm, anchors=("T080",)),
        Task("T100", "Bilan de la première semaine", axis=social, owner=cm, offset=7,
             status=Status.TODO),
        Task("T110", "Vérifier que le titre est en ligne chez le distributeur",
             axis="Distribution", owner="Label", offset=1, unit=WD),
    ]
    contacts = [
        Contact("C1", "Radio", "FIP", task="T040", reply=Reply.YES, replied=D(2027, 4, 22)),
        Contact("C2", "Radio", "Radio Nova", task="T040", reply=Reply.NONE),
    ]
    return plan_of(tasks, lang, created=D(2027, 3, 1), contacts=contacts)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_clean_plan_has_no_finding(lang: str) -> None:
    plan = clean_plan(lang)
    assert check_plan(plan, D(2027, 3, 1)) == []
    assert check_plan(plan, D(2027, 5, 3)) == []
    assert not has_errors([])


# ------------------------------------------------------------------- lead time rules


def upload_plan(release: dt.date, offset: int, action: str = "Upload to the distributor",
                kind: TaskType = TaskType.TASK, status: Status | None = None) -> Plan:
    tasks = [Task("T010", action, kind, "Distribution", "Label", offset=offset,
                  status=status, duration=None if kind is MILESTONE else 1)]
    return plan_of(tasks, "en", release=release, created=None)


NOVEMBER_J = D(2027, 11, 19)  # a Friday


def test_year_end_slowdown_is_judged_by_the_upload_date() -> None:
    # An upload that falls in November–December needs J-35.
    december = D(2027, 12, 3)  # J-28 = Fri 5 November
    late = check_plan(upload_plan(december, -28), december)
    assert [(f.code, f.severity, f.cell) for f in late] == [
        ("distribution_upload_late", Severity.ERROR, "K2")]
    assert late[0].message == (
        "distributor upload on 2027-11-05, after J-35 (2027-10-29): "
        "the upload falls in November–December, distributors need 5 weeks")
    assert check_plan(upload_plan(december, -35), december) == []
    # A January release uploaded in December: the slowdown counts (the old rule missed it).
    january = D(2028, 1, 14)
    assert codes(check_plan(upload_plan(january, -28), january)) == [
        "distribution_upload_late"]
    assert check_plan(upload_plan(january, -42), january) == []
    # A November release uploaded in October, 4 weeks ahead: fine; the same J-28 in May too.
    assert check_plan(upload_plan(NOVEMBER_J, -28), NOVEMBER_J) == []
    assert check_plan(upload_plan(J, -28), J) == []


@pytest.mark.parametrize("action", [
    "Livrer au distributeur", "Envoi des masters", "Deliver the audio files",
    "Upload sur DistroKid", "Envoyer le titre au distributeur",
])
def test_upload_words_fr_en(action: str) -> None:
    assert codes(check_plan(upload_plan(J, -10, action), J)) == ["distribution_upload_late"]


@pytest.mark.parametrize(("action", "offset", "kind", "status"), [
    ("Sortie chez le distributeur", 0, MILESTONE, None),
    ("Vérifier la livraison chez tous les stores", -3, TaskType.TASK, None),
    ("Check the upload is live everywhere", 1, TaskType.TASK, None),
    ("Thank the distributor", 7, TaskType.TASK, None),  # meant after J: not an upload
    ("Livrer au distributeur", -3, TaskType.TASK, Status.CANCELLED),
    ("Livrer au distributeur", -3, TaskType.TASK, Status.DONE),
    ("Mettre en ligne le pré-save", -3, TaskType.TASK, None),
])
def test_upload_exclusions(action: str, offset: int, kind: TaskType,
                           status: Status | None) -> None:
    assert check_plan(upload_plan(J, offset, action, kind, status), J) == []


@pytest.mark.parametrize(("action", "platform", "late"), [
    ("Pitch Spotify éditorial", "", True),
    ("Pitcher le titre", "Spotify", True),
    ("Pitch to Spotify editorial", "", True),
    ("Pitching to editors", "spotify for artists", True),
    ("Pitch Deezer", "Deezer", False),
    ("Vérifier le titre dans Spotify for Artists", "Spotify", False),
])
def test_spotify_pitch_detection(action: str, platform: str, late: bool) -> None:
    # J-6 is a Saturday and rolls back to J-7: J-4 (Monday) is the first late day.
    tasks = [Task("T1", action, axis="Playlists", owner="Label", offset=-4,
                  platform=platform)]
    found = check_plan(plan_of(tasks, "en", created=None), J)
    pitch = [c for c in codes(found) if c == "spotify_pitch_late"]
    assert pitch == (["spotify_pitch_late"] if late else [])


def test_spotify_pitch_at_j_minus_7_is_in_time() -> None:
    tasks = [Task("T1", "Pitch Spotify", axis="Playlists", owner="Label", offset=-7)]
    assert check_plan(plan_of(tasks, created=None), J) == []


# ---------------------------------------------------------------- structural errors


def test_structural_errors_are_all_listed_without_raising() -> None:
    tasks = [
        Task("T010", "A", owner="M"),
        Task("T010", "B", owner="M"),
        Task("T010", "C", owner="M"),
        Task("T020", "D", owner="M"),
        Task("T020", "E", owner="M"),
        Task("T030", "F", owner="M", anchors=("T040",)),
        Task("T040", "G", owner="M", anchors=("T030",)),
        Task("T050", "H", owner="M", anchors=("T999", "J")),
        Task("T060", "I", owner="M", followup="every week"),
        Task("T070", "K", owner="M", followup="+7 x20"),
        Task("T080", "L", owner="M", duration=0),
        Task("", "M", owner="M"),
        Task("J", "N", owner="M"),
        Task("T090", "O", owner="M", anchors=()),
        # Date-based findings are not looked for (this pitch is late) but an owner is.
        Task("T100", "Pitch Spotify", offset=-1),
    ]
    found = check_plan(plan_of(tasks, "en"), J)
    assert [(f.code, f.task, f.cell) for f in found] == [
        ("duplicate_id", "T010", "A3"),
        ("duplicate_id", "T010", "A4"),
        ("duplicate_id", "T020", "A6"),
        ("anchor_cycle", "T040", "F8"),
        ("unknown_anchor", "T050", "F9"),
        ("bad_followup_rule", "T060", "M10"),
        ("bad_followup_rule", "T070", "M11"),
        ("bad_duration", "T080", "I12"),
        ("missing_id", None, "A13"),
        ("reserved_id", "J", "A14"),
        ("missing_anchor", "T090", "F15"),
        ("no_owner", "T100", "E16"),
    ]
    assert found[0].message == "duplicate ID T010 (also row 2)"
    assert found[3].message == "anchors form a cycle: T030 → T040 → T030"
    assert found[4].message == "unknown anchor T999: no task has that ID"
    assert found[5].message == (
        "follow-up rule “every week” is invalid: write +14 or +7 x2 (at most 10 follow-ups)")
    assert [f.severity for f in found[:-1]] == [Severity.ERROR] * 11


def test_structural_messages_in_french() -> None:
    tasks = [Task("T010"), Task("T010"), Task("T020", anchors=("T020",)),
             Task("T030", followup="+0")]
    found = check_plan(plan_of(tasks), J, Thresholds())
    assert [f.message for f in found if f.code != "no_owner"] == [
        "ID T010 en double (déjà ligne 2)",
        "les références forment un cycle : T020 → T020",
        "règle de relance « +0 » invalide : écrire +14 ou +7 x2 (au plus 10 relances)",
    ]


def test_offset_out_of_the_calendar_and_unknown_region_are_reported() -> None:
    far = [Task("T1", owner="M", offset=10**7)]
    found = check_plan(plan_of(far, "en"), J)
    assert [(f.code, f.severity, f.task, f.cell) for f in found] == [
        ("schedule_error", Severity.ERROR, "T1", "G2")]
    found = check_plan(plan_of([Task("T1", owner="M")], "en", region="Atlantis"), J)
    assert [(f.code, f.task, f.sheet) for f in found] == [("bad_calendar", None, None)]


# -------------------------------------------------------------------- finer points


def test_working_weeks_count_as_weeks_for_meant_before_release() -> None:
    # A follow-up +14 of a send 8+2+1+1 working days after J-28 lands on J+4: the chain
    # means about J+3, so it is not "meant before J".
    tasks = [
        Task("T1", "Réserver le studio", owner="M", offset=-28),
        Task("T2", "Tourner", owner="M", anchors=("T1",), offset=8, unit=WD),
        Task("T3", "Monter", owner="M", anchors=("T2",), offset=2, unit=WD),
        Task("T4", "Valider", owner="M", anchors=("T3",), offset=1, unit=WD),
        Task("T5", "Envoyer aux chaînes", owner="M", anchors=("T4",), offset=1, unit=WD,
             followup="+14"),
        Task("R5-1", "Relance 1", FOLLOWUP, owner="M", anchors=("T5",), offset=14),
    ]
    assert check_plan(plan_of(tasks, created=None), J) == []


def test_past_weeks_and_done_tasks_do_not_overload() -> None:
    week = [Task(f"T{i}", f"Post {i}", axis="Social", owner="CM", offset=-11 + i)
            for i in range(3)]  # Mon 3 – Wed 5 May
    plan = plan_of(week, "en", created=None)
    assert codes(check_plan(plan, D(2027, 5, 1), SMALL)) == ["owner_overloaded"]
    assert check_plan(plan, D(2027, 5, 10), SMALL) == []  # that week is over
    week[1].status = Status.DONE
    assert check_plan(plan, D(2027, 5, 1), SMALL) == []


def test_silence_thresholds_per_axis() -> None:
    tasks = [Task("T1", "Post", axis="Social", owner="CM", offset=-30),
             Task("T2", "Post", axis="Réseaux sociaux", owner="CM", offset=-18),
             Task("T3", "Mix", axis="Production", owner="A", offset=-30),
             Task("T4", "Master", axis="Production", owner="A", offset=-1)]
    found = check_plan(plan_of(tasks, "en", created=None), D(2027, 4, 1))
    # Social also stops 17 days before the campaign's last task (T4, J-1).
    assert [(f.code, f.task) for f in found] == [("axis_silent", "T2"),
                                                 ("axis_stops_early", "T2")]
    assert found[0].message.startswith("axis Social silent for 12 days")
    quiet = Thresholds(silent_days={"SOCIAL": 0})
    assert check_plan(plan_of(tasks, "en", created=None), D(2027, 4, 1), quiet) == []
    loud = Thresholds(silent_days={"PRODUCTION": 14})
    found = check_plan(plan_of(tasks, "en", created=None), D(2027, 4, 1), loud)
    assert [(f.code, f.task) for f in found] == [
        ("axis_silent", "T2"), ("axis_stops_early", "T2"), ("axis_silent", "T4")]


def test_duplicates_ignore_case_accents_and_spacing_but_not_dates() -> None:
    tasks = [Task("T1", "Envoyer le CP", axis="Presse", owner="A", offset=-20),
             Task("T2", "envoyer  le cp", axis="press", owner="A", offset=-20),
             Task("T3", "Envoyer le CP", axis="Presse", owner="A", offset=-13)]
    found = check_plan(plan_of(tasks, created=None), D(2027, 4, 1))
    assert [(f.code, f.task) for f in found if "duplicate" in f.code] == [
        ("duplicate_task", "T2")]


def test_over_budget_decimals_in_french() -> None:
    # 12.5 % rounds half up, as a spreadsheet shows it
    tasks = [Task("T1", "Pub", owner="A", offset=-3, budget=100, spent=112.5)]
    found = check_plan(plan_of(tasks, created=None), J)
    assert [f.message for f in found] == [
        "dépensé 112,50\u202f€ pour un budget de 100\u202f€ : 12,50\u202f€ de plus (+13\u202f%)"]
    tasks[0].budget = 0
    assert check_plan(plan_of(tasks, "en", created=None), J)[0].message == (
        "spent €112.50 against a budget of €0: €112.50 over")


# ---------------------------------------------------------------- one validation

def broken_tasks() -> list[Task]:
    """Every structural problem at once: IDs missing, reserved, repeated (one only by
    case), a duration of 0, no anchor, an unknown one, two malformed rules, two cycles."""
    return located([
        Task("T1", anchors=("J",), offset=-10),
        Task("T1", anchors=("J",), offset=-9),  # row 3: duplicate of row 2
        Task("t1", anchors=("J",), offset=-8),  # row 4: differs only by case
        Task("", anchors=("J",), offset=-7),  # row 5: no ID
        Task("J", anchors=("J",), offset=-6),  # row 6: reserved
        Task("T2", anchors=("J",), duration=0),  # row 7
        Task("T3", anchors=()),  # row 8: no anchor
        Task("T4", anchors=("T99",)),  # row 9: unknown anchor
        Task("T5", anchors=("J",), followup="tous les jours"),  # row 10
        Task("T6", anchors=("J",), followup="+7 x99"),  # row 11
        Task("A", anchors=("B",)), Task("B", anchors=("A",)),  # rows 12-13: a cycle
        Task("C", anchors=("C",)),  # row 14: another
    ])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_scheduler_and_check_find_the_same_problems(lang: str) -> None:
    """One validation (schedule.structure_of): the scheduler refuses with every problem,
    `check` lists each as an error finding at the same cell, and nothing else."""
    from retrosheet.effective import effective
    from retrosheet.errors import PlanError, flat

    plan = plan_of(broken_tasks(), lang)
    with pytest.raises(PlanError) as refused:
        effective(plan)
    raised = [(e.cell, e.task or None) for e in flat(refused.value)]
    findings = check_plan(plan_of(broken_tasks(), lang), CREATED)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert sorted((f.cell, f.task) for f in errors) == sorted(raised)
    assert codes(errors) == ["duplicate_id", "duplicate_id", "missing_id", "reserved_id",
                             "bad_duration", "missing_anchor", "unknown_anchor",
                             "bad_followup_rule", "bad_followup_rule", "anchor_cycle",
                             "anchor_cycle"]
    assert [f.cell for f in errors] == ["A3", "A4", "A5", "A6", "I7", "F8", "F9", "M10",
                                        "M11", "F13", "F14"]
    case = next(f for f in errors if f.cell == "A4").message
    assert case == ("ID t1 en double (déjà ligne 2) : 'T1' ne diffère que par les majuscules, "
                    "que l'EQUIV de la feuille ignore" if lang == "fr" else
                    "duplicate ID t1 (also row 2): 'T1' differs only by case, which the "
                    "sheet's MATCH ignores")
    # The scheduler's own words, one line each, in the plan's language.
    lines = refused.value.line().splitlines()
    assert len(lines) == 11
    assert ("Planning!F13 (B) : les dépendances forment une boucle : A → B → A" if lang == "fr"
            else "Planning!F13 (B): anchors form a cycle: A → B → A") in lines


def test_the_scheduler_shows_twenty_problems_and_counts_the_rest() -> None:
    from retrosheet.errors import PlanError
    from retrosheet.schedule import check_tasks

    tasks = located([Task(f"T{i}", anchors=(f"X{i}",)) for i in range(25)])
    with pytest.raises(PlanError) as refused:
        check_tasks(tasks)
    lines = refused.value.line("fr").splitlines()
    assert len(lines) == 21 and lines[-1] == "+5 autres problèmes"
    assert lines[0] == "Planning!F2 (T0) : dépendance inconnue 'X0' : aucune tâche n'a cet ID"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_templates_platform_in_another_language_is_named_with_the_plans_word(
        lang: str) -> None:
    """A plan made before platforms were translated keeps « Radios locales » in English:
    check says which word to write (info), the report already says it; a user's own
    platform, or the plan's own word in another case, is left alone."""
    other = "Local radio" if lang == "fr" else "Radios locales"
    tasks = [
        Task("T010", "Mailing radios", axis="Radio", owner="Promo", offset=-30, platform=other),
        Task("T020", "Pitch", axis="Radio", owner="Promo", offset=-29, platform="Radio Nova"),
        Task("T030", "Pitch", axis="Radio", owner="Promo", offset=-28,
             platform=("radios LOCALES" if lang == "fr" else "local RADIO")),
    ]
    found = [f for f in check_plan(plan_of(tasks, lang), CREATED)
             if f.code == "platform_language"]
    assert [(f.severity, f.task, f.cell) for f in found] == [(Severity.INFO, "T010", "N2")]
    assert found[0].message == (
        "plateforme « Local radio » dans une autre langue que le plan : écrire « Radios "
        "locales » (le rapport et le calendrier l'écrivent déjà ainsi)" if lang == "fr" else
        "platform “Radios locales” is in another language than the plan: write “Local "
        "radio” (the report and the calendar already say so)")
    from retrosheet.report import build_report

    for task in tasks:
        task.budget = 100  # a figure: the task has results by platform
    keys = {r.key for r in build_report(plan_of(tasks, lang), CREATED).results_by_platform}
    assert ("Radios locales" if lang == "fr" else "Local radio") in keys
    assert other not in keys and "Radio Nova" in keys
