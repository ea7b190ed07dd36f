"""The checks as data: one row per rule (SPEC §5, issue 10).

Each rule says what it looks at, when it fires, what it says (French and English, with
`{placeholders}` the hooks in checks.py and check_timing.py fill) and where the rule comes
from. docs/checks.md is this table rendered by `rules_markdown()` (a test keeps them equal:
`python3 -m retrosheet.rules > docs/checks.md` rewrites it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .labels import Labeled


class Severity(Labeled):
    ERROR = ("severity.error",)
    WARNING = ("severity.warning",)
    INFO = ("severity.info",)

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# Sources, named once (docs cite only what the repository holds: docs/checks.md copies them).
SPEC = ("retrosheet's contract: a date that cannot be computed, or a plan that contradicts "
        "itself (README « Date rules », « Checks »)")
PRACTICE = "common practice: an expert release manager's review of the templates (issue 10)"
SPOTIFY = ("Spotify: pitch at least 7 days before release to reach followers' Release "
           "Radar; one unreleased track per release (musically.com, 2018-07-19, quoting "
           "Spotify)")
DISTRIB = ("distributors advise 4 weeks, minimum 14 days, 21+ advised, 14 more days in "
           "November–December (DistroKid advice via rexiusrecords.com; help.beatchain.com)")
ORDER = ("ISRC per track, UPC per release, delivered to the distributor (dynamoi.com "
         "release timeline; hypebot.com); check the track is in Spotify for Artists, then "
         "pitch it (dynamoi.com Spotify pitching guide)")
RIGHTS = ("Sacem: declare a work before it is broadcast or sold; SDRM authorises each "
          "pressing before manufacture; SCPP/SPPF register the recording so airplay is "
          "paid (sacem.fr, scpp.fr, sppf.com)")
MONTHLIES = ("monthly print magazines need pitching about 4 months ahead "
             "(milestonepublicity.com PR blog, 2021-12-30)")
RADIO = ("radio campaigns rarely start more than six weeks out "
         "(sweetheartpub.substack.com); French radios get the file in the first mailing, "
         "J-35…J-28 (issue 10 review)")
STOCK = ("shops and the physical distributor need the stock about 3 weeks before release "
         "(issue 10 review: present to shops ~J-90, stock in by J-21)")
SEASON = ("French seasons: media and radios slow down in August and over the year-end "
          "holidays; distributors ask 14 more days in November–December (help.beatchain.com)")
FOLLOWUP = ("press: one follow-up within a week (uphouseinc.com citing a Muck Rack "
            "survey); college and local radio: weekly (idol.io)")


@dataclass(frozen=True)
class Rule:
    id: str  # the finding's stable code
    severity: Severity
    looks_at: tuple[str, str]  # fr, en
    condition: tuple[str, str]
    message: tuple[str, str]  # str.format templates
    source: str

    def text(self, lang: str, **params: object) -> str:
        return self.message[0 if lang == "fr" else 1].format(**params)


def _r(id: str, severity: Severity, looks_at: tuple[str, str], condition: tuple[str, str],
       message: tuple[str, str], source: str = SPEC) -> Rule:
    return Rule(id, severity, looks_at, condition, message, source)


ROW, ANCHOR = ("Planning : ID", "Planning: ID"), ("Planning : Dépend de", "Planning: Anchor")
DEADLINE = ("Planning : Échéance", "Planning: Deadline")

RULES: Final[tuple[Rule, ...]] = (
    # ---- structure: no date can be computed
    _r("missing_id", E, ROW, ("une ligne sans ID", "a row without an ID"),
       ("tâche sans ID", "the task has no ID")),
    _r("reserved_id", E, ROW, ("l'ID est J", "the ID is J"),
       ("l'ID J est réservé au jour de sortie", "ID J is reserved for release day")),
    _r("duplicate_id", E, ROW, ("deux lignes ont le même ID", "two rows share an ID"),
       ("ID {id} en double{also}", "duplicate ID {id}{also}")),
    _r("bad_duration", E, ("Planning : Durée", "Planning: Duration"),
       ("durée < 1 (hors jalon)", "duration < 1 (not a milestone)"),
       ("durée {n} : au moins 1 jour ouvré", "duration {n} is below 1 working day")),
    _r("missing_anchor", E, ANCHOR, ("Dépend de vide", "no anchor"),
       ("aucune référence : écrire J ou un ID de tâche", "no anchor: write J or a task ID")),
    _r("unknown_anchor", E, ANCHOR, ("un ID qu'aucune tâche ne porte", "an ID no task has"),
       ("référence inconnue {anchor} : aucune tâche n'a cet ID",
        "unknown anchor {anchor}: no task has that ID")),
    _r("bad_followup_rule", E, ("Planning : Relance", "Planning: Follow-up"),
       ("règle illisible (+14, +7 x2 attendus)", "unreadable rule (+14, +7 x2 expected)"),
       ("règle de relance « {rule} » invalide : écrire +14 ou +7 x2 (au plus {max} relances)",
        "{detail}")),
    _r("anchor_cycle", E, ANCHOR, ("les références bouclent", "anchors loop"),
       ("les références forment un cycle : {cycle}", "anchors form a cycle: {cycle}")),
    _r("bad_calendar", E, ("Paramètres : pays, région", "Settings: country, region"),
       ("pas de calendrier de jours fériés", "no public holiday calendar"),
       ("jours fériés introuvables : {detail}", "{detail}")),
    _r("schedule_error", E, ("Planning : Décalage", "Planning: Offset"),
       ("une date hors calendrier", "a date out of the calendar"),
       ("dates impossibles à calculer : {detail}", "{detail}")),
    # ---- dates and redundancy
    _r("duplicate_task", W, ("Planning : Axe, Action, Échéance", "Planning: Axis, Action, "
                             "Deadline"),
       ("même axe, même action, même date", "same axis, action and date"),
       ("même axe, même action et même date ({day}) que {other} : tâche en double ?",
        "same axis, action and date ({day}) as {other}: a duplicate?")),
    _r("near_duplicate_task", W, ("Planning : Axe, Action, Échéance", "Planning: Axis, "
                                  "Action, Deadline"),
       ("même axe, actions presque identiques (mots en commun ≥ 75 %), à 2 jours près",
        "same axis, nearly the same action (≥ 75 % words shared), within 2 days"),
       ("presque la même action que {other} ({day}) : « {action} » — tâche en double ?",
        "nearly the same action as {other} ({day}): “{action}” — a duplicate?"),
       PRACTICE + " (album template: two 15-second teasers the same day)"),
    _r("dated_after_release", E, DEADLINE,
       ("prévue avant J par ses références, datée après J",
        "meant before J along its anchors, dated after J"),
       ("prévue avant la sortie (J{n} par ses références) mais datée du {day}, après J "
        "({release})",
        "meant before release (J{n} along its anchors) but dated {day}, after J ({release})")),
    _r("after_event_dated_before", E, DEADLINE,
       ("une action d'après un événement (remercier, bilan, après…) datée avant l'événement "
        "dont elle dépend", "an action that follows an event (thank, review, after…) "
        "dated before the event it depends on"),
       ("prévue après {event} ({event_day}) mais datée du {day}, avant",
        "meant after {event} ({event_day}) but dated {day}, before it"), PRACTICE),
    _r("followup_before_send", E, DEADLINE, ("relance au plus tard le jour de son envoi",
                                             "follow-up on or before its send"),
       ("relance le {day}, avant ou le jour même de son envoi {send} ({send_day})",
        "follow-up on {day}, on or before its send {send} ({send_day})")),
    _r("past_at_creation", W, DEADLINE, ("échéance passée à la création du plan",
                                         "deadline past when the plan was created"),
       ("échéance {day} déjà passée de {late} à la création du plan ({created}) : la sortie "
        "est trop proche pour ce modèle",
        "deadline {day} already {late} past when the plan was created ({created}): the "
        "release is too close for this template")),
    _r("late", W, DEADLINE, ("échéance passée depuis la création du plan, tâche ouverte",
                             "deadline passed since the plan was created, task open"),
       ("en retard : échéance {day} dépassée de {late}",
        "late: deadline {day} passed {late} ago")),
    _r("typed_non_working_day", W, ("Planning : Début, Échéance", "Planning: Start, "
                                    "Deadline"),
       ("date tapée à la main un jour non travaillé", "hand-typed date on a day off"),
       ("date saisie à la main {day} : jour non travaillé (le calcul donne {computed})",
        "hand-typed date {day} is not a working day (computed: {computed})")),
    _r("typed_date_replaced", INFO, ("Planning : Début, Échéance", "Planning: Start, Deadline"),
       ("date tapée à la main différente du calcul", "hand-typed date differs from the "
        "computed one"),
       ("date saisie à la main {day}, le calcul donne {computed} : le recalcul la remplacera",
        "hand-typed date {day} differs from the computed {computed}: recompute will "
        "replace it")),
    _r("owner_overloaded", W, ("Planning : Responsable", "Planning: Owner"),
       ("plus de 8 tâches dans une semaine à venir", "more than 8 tasks in a coming week"),
       ("{owner} a {n} tâches la semaine du {day} (max {limit}) : {ids}",
        "{owner} has {n} tasks in the week of {day} (max {limit}): {ids}")),
    _r("axis_silent", INFO, DEADLINE,
       ("un axe sans tâche plus longtemps que son seuil, de J-42 à J+14 (réseaux sociaux : "
        "10 jours)", "an axis with no task for longer than its threshold, J-42 to J+14 "
        "(social: 10 days)"),
       ("axe {axis} muet {gap} jours, du {start} ({before}) au {end} (seuil {limit} jours)",
        "axis {axis} silent for {gap} days, from {start} ({before}) to {end} (threshold "
        "{limit} days)")),
    _r("axis_stops_early", INFO, DEADLINE,
       ("la dernière tâche des réseaux sociaux tombe plus de 10 jours avant la fin de "
        "campagne (sa dernière tâche, au plus J+14)", "the last social task is more than "
        "10 days before the campaign ends (its last task, at most J+14)"),
       ("axe {axis} arrêté le {day} ({id}), {gap} jours avant la fin de campagne ({end})",
        "axis {axis} stops on {day} ({id}), {gap} days before the campaign ends ({end})"),
       PRACTICE),
    # ---- platforms and the order of steps
    _r("release_not_friday", W, ("Paramètres : date de sortie ; lignes Sortie",
                                 "Settings: release date; Release rows"),
       ("une sortie hors vendredi", "a release not on a Friday"),
       ("sortie {what} le {day} ({weekday}) : les plateformes sortent le vendredi "
        "(New Music Friday, classements de la semaine)",
        "release {what} on {day} ({weekday}): platforms release on Fridays (New Music "
        "Friday, weekly charts)"),
       "Friday is the global release day (IFPI, 2015); domain.md: « J (a Friday) »"),
    _r("spotify_pitch_late", E, ("pitch éditorial Spotify", "Spotify editorial pitch"),
       ("échéance après J-7 de la sortie dont il dépend", "deadline after J-7 of the "
        "release it depends on"),
       ("pitch Spotify éditorial le {day}, après J-{n} {of}({limit}) : trop tard pour "
        "Release Radar",
        "Spotify editorial pitch on {day}, after J-{n} {of}({limit}): too late for "
        "Release Radar"), SPOTIFY),
    _r("distribution_upload_late", E, ("envoi au distributeur", "distributor upload"),
       ("après J-21 de sa sortie ; J-35 quand l'envoi tombe en novembre–décembre",
        "after J-21 of its release; J-35 when the upload falls in November–December"),
       ("envoi au distributeur le {day}, après J-{n} {of}({limit}) : {why}",
        "distributor upload on {day}, after J-{n} {of}({limit}): {why}"), DISTRIB),
    _r("step_order", E, ("masters, ISRC/UPC, envoi, Spotify for Artists, pitch, pré-save",
                         "masters, ISRC/UPC, upload, Spotify for Artists, pitch, pre-save"),
       ("une étape datée avant une étape qui doit la précéder, pour la même sortie",
        "a step dated before a step that must come first, for the same release"),
       ("{step} le {day}, avant {other} ({other_step}, {other_day}) : l'ordre est masters → "
        "ISRC/UPC → envoi au distributeur → visible dans Spotify for Artists → pitch "
        "éditorial et pré-save",
        "{step} on {day}, before {other} ({other_step}, {other_day}): the order is masters "
        "→ ISRC/UPC → distributor upload → visible in Spotify for Artists → editorial pitch "
        "and pre-save"), ORDER),
    _r("rights_late", E, ("déclaration Sacem, SDRM, SCPP/SPPF", "Sacem, SDRM, SCPP/SPPF "
                          "registration"),
       ("Sacem, SCPP/SPPF après le premier envoi aux radios ou TV (diffusion) ; SDRM après "
        "le pressage", "Sacem, SCPP/SPPF after the first radio or TV send (airplay); SDRM "
        "after the pressing"),
       ("droits déclarés le {day}, après {first} ({what}, {first_day}) : déclarer avant la "
        "première diffusion ou le pressage",
        "rights registered on {day}, after {first} ({what}, {first_day}): register before "
        "the first airplay or pressing"), RIGHTS),
    _r("monthlies_late", W, ("presse mensuelle", "monthly magazines"),
       ("démarchée après J-90", "pitched after J-90"),
       ("presse mensuelle démarchée le {day}, après J-90 ({limit}) : les mensuels bouclent "
        "3 à 4 mois avant parution",
        "monthly magazines pitched on {day}, after J-90 ({limit}): monthlies close 3–4 "
        "months ahead"), MONTHLIES),
    _r("radio_window", W, ("premier envoi aux radios", "first radio send"),
       ("hors de J-42…J-21", "outside J-42…J-21"),
       ("premier envoi radio le {day} (J{n}) : viser J-42…J-21 ({start} – {end})",
        "first radio send on {day} (J{n}): aim for J-42…J-21 ({start} – {end})"), RADIO),
    _r("stock_late", W, ("stock physique (vinyles, CD) livré", "physical stock (vinyl, CD) "
                         "delivered"),
       ("après J-21", "after J-21"),
       ("stock physique livré le {day}, après J-21 ({limit}) : disquaires et distributeur "
        "physique doivent l'avoir 3 semaines avant",
        "physical stock delivered on {day}, after J-21 ({limit}): shops and the physical "
        "distributor need it 3 weeks ahead"), STOCK),
    _r("august_release", W, ("date de sortie ; lignes Sortie", "release date; Release rows"),
       ("une sortie en août", "a release in August"),
       ("sortie {what} le {day}, en août : médias et radios tournent au ralenti",
        "release {what} on {day}, in August: French media and radios run on holiday "
        "staff"), SEASON),
    _r("send_without_followup", W, ("envois aux radios, à la presse, aux TV, aux curateurs",
                                    "sends to radio, press, TV, curators"),
       ("ni règle de relance ni ligne de relance", "no follow-up rule and no follow-up row"),
       ("envoi sans relance : ajouter une règle (+7, +14) dans la colonne Relance",
        "send with no follow-up: add a rule (+7, +14) in the Follow-up column"), FOLLOWUP),
    _r("presale_after_sale", W, ("prévente (abonnés, fans)", "presale (subscribers, fans)"),
       ("datée après l'ouverture de la vente au public", "dated after the general sale"),
       ("prévente le {day}, après la vente au public {other} ({other_day}) : la prévente "
        "doit ouvrir avant",
        "presale on {day}, after the general sale {other} ({other_day}): the presale must "
        "open first"), PRACTICE),
    # ---- people and money
    _r("no_owner", W, ("Planning : Responsable", "Planning: Owner"),
       ("tâche ouverte sans responsable", "an open task with no owner"),
       ("aucun responsable", "no owner")),
    _r("over_budget", W, ("Planning : Dépensé", "Planning: Spent"),
       ("dépensé > budget", "spent > budget"),
       ("dépensé {spent} € pour un budget de {budget} € : {over} € de plus{pct}",
        "spent €{spent} against a budget of €{budget}: €{over} over{pct}")),
    _r("total_over_budget", W, ("Planning : Budget, Dépensé (total)", "Planning: Budget, "
                                "Spent (total)"),
       ("total dépensé > total budgété (au moins deux lignes budgétées)",
        "total spent > total budget (at least two budgeted rows)"),
       ("budget total dépassé : {spent} € dépensés pour {budget} € budgétés, {over} € de plus",
        "total budget exceeded: €{spent} spent against €{budget} budgeted, €{over} over"),
       PRACTICE),
    _r("orphan_followup", W, ROW, ("relance générée que la règle ne demande plus",
                                   "a generated follow-up its rule no longer asks for"),
       ("relance générée pour {parent}, dont la règle {why}",
        "follow-up generated for {parent}, whose rule {why}")),
    # ---- contacts
    _r("contact_no_task", W, ("Contacts : Action", "Contacts: Action"), ("vide", "empty"),
       ("contact {who} : aucune action d'envoi (colonne Action vide)",
        "contact {who}: no sending task (Action column is empty)")),
    _r("contact_unknown_task", E, ("Contacts : Action", "Contacts: Action"),
       ("un ID qu'aucune tâche ne porte", "an ID no task has"),
       ("contact {who} : l'action {task} n'est pas un ID de tâche",
        "contact {who}: action {task} is not a task ID")),
    _r("contact_reply_undated", INFO, ("Contacts : Réponse, Répondu le", "Contacts: Response, "
                                    "Replied on"),
       ("réponse Oui/Non sans date", "a Yes/No reply without a date"),
       ("contact {who} : réponse « {reply} » sans date de réponse",
        "contact {who}: reply {reply!r} without a reply date")),
)

RULE: Final[dict[str, Rule]] = {r.id: r for r in RULES}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """docs/checks.md: the table above, for review."""
    lines = [
        "# Checks / Contrôles",
        "",
        "Every rule `retrosheet check` (and `recompute`, `report`) applies, one row each.",
        "Generated from `retrosheet/rules.py` by `python3 -m retrosheet.rules > docs/checks.md`;",
        "`tests/test_rules.py` fails when this page and the table differ. An error makes",
        "`check` exit 1. Task kinds (a pitch, an upload, a radio send…) are recognised by",
        "meaning — platform and kind of action — in `retrosheet/kinds.py`.",
        "",
        "| id | severity | looks at | fires when | message (fr) | message (en) | source |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in RULES:
        lines.append("| " + " | ".join(_cell(x) for x in (
            f"`{r.id}`", f"{r.severity.fr} / {r.severity.en}",
            f"{r.looks_at[0]} / {r.looks_at[1]}", f"{r.condition[0]} / {r.condition[1]}",
            r.message[0], r.message[1], r.source)) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
