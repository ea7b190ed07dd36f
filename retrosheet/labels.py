"""Every word a user sees or types, in French and English.

Values are stored in the plan under canonical keys (``Status.DONE``, axis ``"radio"``);
this module turns them into the plan's language and reads back any language, case,
accent or spacing variant.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from enum import Enum
from typing import Final

LANGS: Final = ("fr", "en")


@functools.lru_cache(maxsize=4096)
def normalize(text: object) -> str:
    """Fold case, accents, punctuation and spacing: `Échéance ` → `echeance`."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


@functools.cache
def _variants(cls: type[Labeled]) -> dict[str, Labeled]:
    return {normalize(v): m for m in reversed(list(cls)) for v in m.value}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGS)}")
    return lang


class Labeled(Enum):
    """An enum whose members carry a French and an English label."""

    @property
    def fr(self) -> str:
        return str(self.value[0])

    @property
    def en(self) -> str:
        return str(self.value[1])

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en

    @classmethod
    def parse(cls, text: object) -> Labeled | None:
        return _variants(cls).get(normalize(text))

    @classmethod
    def labels(cls, lang: str) -> list[str]:
        return [m.label(lang) for m in cls]


class TaskType(Labeled):
    TASK = ("Tâche", "Task", "tache")
    MILESTONE = ("Jalon", "Milestone")
    # A release of its own inside a plan (a lead single in an album campaign): platform
    # rules count from it for the tasks that depend on it.
    RELEASE = ("Sortie", "Release")
    FOLLOWUP = ("Relance", "Follow-up", "followup", "follow up")


class Status(Labeled):
    TODO = ("À faire", "To do", "a faire", "todo")
    IN_PROGRESS = ("En cours", "In progress")
    DONE = ("Fait", "Done", "termine", "terminé", "fini")
    BLOCKED = ("Bloqué", "Blocked")
    CANCELLED = ("Annulé", "Cancelled", "canceled")


class Unit(Labeled):
    DAYS = ("jours", "days", "j", "d", "jour", "day", "calendar days", "jours calendaires")
    WORKING_DAYS = ("jours ouvrés", "working days", "jo", "wd", "ouvres", "workdays",
                    "working day", "jour ouvré", "business days")
    # Never moved to a working day: posts and events that belong on a weekend.
    FIXED_DAYS = ("jours fixes", "fixed days", "jour fixe", "fixed day", "fixe", "fixed")


class Reply(Labeled):
    NONE = ("Sans réponse", "No reply")
    YES = ("Oui", "Yes")
    NO = ("Non", "No")


class Axis(Labeled):
    DISTRIBUTION = ("Distribution", "Distribution")
    RADIO = ("Radio", "Radio")
    PRESS = ("Presse", "Press")
    TV = ("TV", "TV", "television", "télévision")
    SOCIAL = ("Réseaux sociaux", "Social", "social media", "reseaux")
    PLAYLISTS = ("Playlists", "Playlists", "playlist")
    VIDEO = ("Clip", "Video", "vidéo")
    LIVE = ("Concerts", "Live", "concert", "scene", "scène")
    ADS = ("Publicité", "Ads", "pub", "advertising")
    CONTENT = ("Contenu", "Content")
    PRODUCTION = ("Production", "Production")
    ADMIN = ("Admin", "Admin", "administratif")


# Platforms the built-in templates name in French (any other text is kept as typed).
PLATFORMS: Final[tuple[tuple[str, str], ...]] = (
    ("Radios locales", "Local radio"),
    ("Radios nationales", "National radio"),
    ("Radios associatives", "Community radio"),
    ("Chaînes musicales", "Music TV channels"),
    ("Distributeur", "Distributor"),
    ("Billetterie", "Ticketing"),
    ("Émissions TV", "TV shows"),
    ("Presse locale", "Local press"),
    ("Presse nationale", "National press"),
)


def platform_label(text: str, lang: str) -> str:
    """A known platform in the plan's language; any other text is kept as typed."""
    n = normalize(text)
    for fr, en in PLATFORMS:
        if n in (normalize(fr), normalize(en)):
            return fr if lang == "fr" else en
    return text


@functools.lru_cache(maxsize=1024)
def axis_label(text: str, lang: str) -> str:
    """A known axis in the plan's language; any other text is kept as typed."""
    axis = Axis.parse(text)
    return axis.label(lang) if isinstance(axis, Axis) else text


# Planning columns: key, French header, English header, accepted variants.
PLANNING_COLUMNS: Final[tuple[tuple[str, str, str, tuple[str, ...]], ...]] = (
    ("id", "ID", "ID", ("identifiant", "task id")),
    ("type", "Type", "Type", ()),
    ("axis", "Axe", "Axis", ("axes",)),
    ("action", "Action", "Action", ("tache", "task")),
    ("owner", "Responsable", "Owner", ("qui", "who", "resp")),
    # « Référence » read as a catalogue number to a label: renamed, old headers still read.
    ("anchor", "Dépend de", "Depends on", ("référence", "reference", "anchor", "ref", "ancre",
                                           "dépend", "depends", "after")),
    ("offset", "Décalage", "Offset", ("decalage jours", "offset days", "j n", "j")),
    ("unit", "Unité", "Unit", ("unite",)),
    ("duration", "Durée", "Duration", ("duree jours", "duration days")),
    ("start", "Début", "Start", ("date debut", "start date")),
    ("deadline", "Échéance", "Deadline", ("date", "date limite", "due", "due date", "fin")),
    ("status", "Statut", "Status", ("etat", "state")),
    ("followup", "Relance", "Follow-up", ("relances", "follow ups", "followup")),
    ("platform", "Plateforme", "Platform", ("plateformes", "platforms")),
    ("kpi", "Indicateur", "KPI", ("indicator", "metric", "kpis")),
    ("objective", "Objectif", "Objective", ("target", "cible")),
    ("result", "Résultat", "Result", ("resultats", "results")),
    ("budget", "Budget", "Budget", ()),
    ("spent", "Dépensé", "Spent", ("depenses", "cost", "cout")),
    ("notes", "Notes", "Notes", ("note", "commentaire", "comments")),
)

PLANNING_KEYS: Final = tuple(c[0] for c in PLANNING_COLUMNS)


def header(key: str, lang: str) -> str:
    for k, fr, en, _ in PLANNING_COLUMNS:
        if k == key:
            return fr if lang == "fr" else en
    raise KeyError(key)


_HEADER_INDEX: Final[dict[str, str]] = {}
for _k, _fr, _en, _alts in PLANNING_COLUMNS:
    for _v in (_fr, _en, *_alts):
        _HEADER_INDEX.setdefault(normalize(_v), _k)


def planning_key(text: object) -> str | None:
    """The column key a header names, in either language, or None for a user column."""
    return _HEADER_INDEX.get(normalize(text))


SHEETS: Final[dict[str, tuple[str, str]]] = {
    "planning": ("Planning", "Planning"),
    "contacts": ("Contacts", "Contacts"),
    "settings": ("Paramètres", "Settings"),
    "dashboard": ("Tableau de bord", "Dashboard"),
    "report": ("Rapport", "Report"),
    "history": ("Historique", "History"),
}


def sheet_name(key: str, lang: str) -> str:
    fr, en = SHEETS[key]
    return fr if lang == "fr" else en


def sheet_key(name: str) -> str | None:
    n = normalize(name)
    for key, names in SHEETS.items():
        if n in {normalize(v) for v in names}:
            return key
    return None


CONTACT_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("id", "ID", "ID"),
    ("axis", "Axe", "Axis"),
    ("outlet", "Média", "Outlet"),
    ("name", "Nom", "Name"),
    ("email", "Email", "Email"),
    ("task", "Action", "Action"),
    ("sent", "Envoyé le", "Sent on"),
    ("reply", "Réponse", "Response"),
    ("replied", "Répondu le", "Replied on"),
    ("outcome", "Résultat", "Outcome"),
    ("followup1", "Relance 1", "Follow-up 1"),
    ("followup2", "Relance 2", "Follow-up 2"),
    ("notes", "Notes", "Notes"),
)

def contact_header(key: str, lang: str) -> str:
    for k, fr, en in CONTACT_COLUMNS:
        if k == key:
            return fr if lang == "fr" else en
    raise KeyError(key)


_CONTACT_INDEX: Final[dict[str, str]] = {}
for _k, _fr, _en in CONTACT_COLUMNS:
    for _v in (_fr, _en):
        _CONTACT_INDEX.setdefault(normalize(_v), _k)
_CONTACT_INDEX.update({normalize(v): k for v, k in (
    ("Tâche", "task"), ("Task", "task"), ("Media", "outlet"), ("Envoye", "sent"),
    ("Sent", "sent"), ("Reponse", "reply"), ("Reply", "reply"), ("Relance1", "followup1"),
    ("Relance2", "followup2"), ("E-mail", "email"), ("Mail", "email"),
)})


def contact_key(text: object) -> str | None:
    return _CONTACT_INDEX.get(normalize(text))


# Settings keys shown on the Settings sheet, in order.
SETTINGS_FIELDS: Final[tuple[tuple[str, str, str], ...]] = (
    ("release", "Date de sortie (J)", "Release date (J)"),
    ("title", "Titre", "Title"),
    ("artist", "Artiste", "Artist"),
    ("lang", "Langue", "Language"),
    ("country", "Pays (jours fériés)", "Country (holidays)"),
    ("region", "Région", "Region"),
    ("template", "Modèle", "Template"),
    ("created", "Créé le", "Created on"),
)

# Words used on generated sheets, one key each.
WORDS: Final[dict[str, tuple[str, str]]] = {
    "team": ("Équipe", "Team"),
    "name": ("Nom", "Name"),
    "email": ("Email", "Email"),
    "role": ("Rôle", "Role"),
    "days_off": ("Jours non travaillés", "Days off"),
    "date": ("Date", "Date"),
    "label": ("Libellé", "Label"),
    "lists": ("Listes", "Lists"),
    "settings_title": ("Paramètres du rétroplanning", "Release plan settings"),
    "days_off_help": (
        "Jours fériés générés par retrosheet ; ajoutez vos congés en dessous.",
        "Public holidays written by retrosheet; add your own days off below.",
    ),
    "release_help": (
        "Changez la date de sortie : toutes les dates du Planning suivent.",
        "Change the release date: every date on Planning follows.",
    ),
    "dashboard_title": ("Tableau de bord", "Dashboard"),
    "tasks_by_status": ("Tâches par statut", "Tasks by status"),
    "status": ("Statut", "Status"),
    "count": ("Nombre", "Count"),
    "late": ("En retard", "Late"),
    "today": ("Aujourd'hui", "Today"),
    "days_to_release": ("Jours avant la sortie", "Days to release"),
    "by_axis": ("Par axe", "By axis"),
    "axis": ("Axe", "Axis"),
    "tasks": ("Tâches", "Tasks"),
    "done": ("Faites", "Done"),
    "budget": ("Budget", "Budget"),
    "spent": ("Dépensé", "Spent"),
    "objective": ("Objectif", "Objective"),
    "result": ("Résultat", "Result"),
    "budget_vs_spent": ("Budget et dépenses par axe", "Budget vs spent by axis"),
    "objective_vs_result": ("Objectif atteint par axe", "Objective reached by axis"),
    "reached": ("% atteint", "% reached"),
    "report_hint": ("Cette feuille est écrite par « retrosheet report PLAN --write-sheet ».",
                    "This sheet is written by “retrosheet report PLAN --write-sheet”."),
    "history_hint": ("Une ligne par axe à chaque « retrosheet report --write-sheet ».",
                     "One row per axis each time “retrosheet report --write-sheet” runs."),
    "followup_of": ("Relance {n} : {action}", "Follow-up {n}: {action}"),
    "followup_note": ("Relance générée par la règle {rule} de {id}",
                      "Follow-up generated by rule {rule} of {id}"),
}


def plural_s(n: int, lang: str) -> str:
    """The plural "s" for a count: French treats 0 and 1 as singular, English only 1."""
    return "" if (n <= 1 if lang == "fr" else n == 1) else "s"


def word(key: str, lang: str) -> str:
    fr, en = WORDS[key]
    return fr if lang == "fr" else en

# History sheet: one row per report run and axis, and one per indicator (retrosheet/history.py).
HISTORY_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("date", "Date", "Date"),
    ("axis", "Axe", "Axis"),
    ("kpi", "Indicateur", "Indicator"),
    ("tasks", "Tâches", "Tasks"),
    ("done", "Faites", "Done"),
    ("late", "En retard", "Late"),
    ("budget", "Budget", "Budget"),
    ("spent", "Dépensé", "Spent"),
    ("objective", "Objectif", "Objective"),
    ("result", "Résultat", "Result"),
)
