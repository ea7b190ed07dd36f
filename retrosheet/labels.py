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

from .words import every, generation, langs, t
from .words import plural_s as plural_s


@functools.lru_cache(maxsize=4096)
def normalize(text: object) -> str:
    """Fold case, accents, punctuation and spacing: `Échéance ` → `echeance`."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


@functools.cache
def _variants(cls: type[Labeled], generation: int) -> dict[str, Labeled]:
    """Every way a member may be written: its label in each language, then its variants."""
    index: dict[str, Labeled] = {}
    for m in cls:
        for v in m.value[1:]:
            index.setdefault(normalize(v), m)
    for m in reversed(list(cls)):  # a label wins over a variant; the first member over a later
        for v in every(m.key):
            index[normalize(v)] = m
    return index


def check_lang(lang: str) -> str:
    if lang not in langs():
        raise ValueError(f"language {lang!r} is not one of {', '.join(langs())}")
    return lang


class Labeled(Enum):
    """An enum whose members are words of the catalogue (id `<kind>.<member>`), with the
    other spellings a user may type (read, never written)."""

    # A member is one object: hashed by identity in C, not by its name in Python (Enum's
    # __hash__), for the sets and caches a 100,000-row plan looks members up in.
    __hash__ = object.__hash__

    @property
    def key(self) -> str:
        return str(self.value[0])

    @property
    def fr(self) -> str:
        return self.label("fr")

    @property
    def en(self) -> str:
        return self.label("en")

    def label(self, lang: str) -> str:
        return t(self.key, lang)

    def every(self) -> tuple[str, ...]:
        """The member's label in every language (what formulas counting it must match)."""
        return every(self.key)

    @classmethod
    def parse(cls, text: object) -> Labeled | None:
        return _variants(cls, generation()).get(normalize(text))

    @classmethod
    def labels(cls, lang: str) -> list[str]:
        return [m.label(lang) for m in cls]


class TaskType(Labeled):
    TASK = ("type.task", "tache")
    MILESTONE = ("type.milestone",)
    # A release of its own inside a plan (a lead single in an album campaign): platform
    # rules count from it for the tasks that depend on it.
    RELEASE = ("type.release",)
    FOLLOWUP = ("type.followup", "followup", "follow up")


class Status(Labeled):
    TODO = ("status.todo", "a faire", "todo")
    IN_PROGRESS = ("status.in_progress",)
    DONE = ("status.done", "termine", "terminé", "fini")
    BLOCKED = ("status.blocked",)
    CANCELLED = ("status.cancelled", "canceled")


class Unit(Labeled):
    DAYS = ("unit.days", "j", "d", "jour", "day", "calendar days", "jours calendaires")
    WORKING_DAYS = ("unit.working_days", "jo", "wd", "ouvres",
                    "workdays", "working day", "jour ouvré", "business days")
    # Never moved to a working day: posts and events that belong on a weekend.
    FIXED_DAYS = ("unit.fixed_days", "jour fixe", "fixed day", "fixe", "fixed")


class Reply(Labeled):
    NONE = ("reply.none",)
    YES = ("reply.yes",)
    NO = ("reply.no",)


class Axis(Labeled):
    DISTRIBUTION = ("axis.distribution",)
    RADIO = ("axis.radio",)
    PRESS = ("axis.press",)
    TV = ("axis.tv", "television", "télévision")
    SOCIAL = ("axis.social", "social media", "reseaux")
    PLAYLISTS = ("axis.playlists", "playlist")
    VIDEO = ("axis.video", "vidéo")
    LIVE = ("axis.live", "concert", "scene", "scène")
    ADS = ("axis.ads", "pub", "advertising")
    CONTENT = ("axis.content",)
    PRODUCTION = ("axis.production",)
    ADMIN = ("axis.admin", "administratif")


# Platforms the built-in templates name (catalogue ids `platform.*`); any other text is
# kept as typed.
PLATFORMS: Final = ("local_radio", "national_radio", "community_radio", "music_tv_channels",
                    "distributor", "ticketing", "tv_shows", "local_press", "national_press",
                    "community_campus_radio", "local_tv")


@functools.cache
def _platforms(generation: int) -> dict[str, str]:
    return {normalize(v): key for key in PLATFORMS for v in every(f"platform.{key}")}


def platform_label(text: str, lang: str) -> str:
    """A known platform in the plan's language; any other text is kept as typed."""
    key = _platforms(generation()).get(normalize(text))
    return t(f"platform.{key}", lang) if key else text


@functools.lru_cache(maxsize=1024)
def axis_label(text: str, lang: str) -> str:
    """A known axis in the plan's language; any other text is kept as typed."""
    axis = Axis.parse(text)
    return axis.label(lang) if isinstance(axis, Axis) else text


# Planning columns: key (header = catalogue id `col.<key>`), other spellings read.
PLANNING_COLUMNS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("id", ("identifiant", "task id")),
    ("type", ()),
    ("axis", ("axes",)),
    ("action", ("tache", "task")),
    ("owner", ("qui", "who", "resp")),
    # « Référence » read as a catalogue number to a label: renamed, old headers still read.
    ("anchor", ("référence", "reference", "anchor", "ref", "ancre", "dépend", "depends",
                "after")),
    ("offset", ("decalage jours", "offset days", "j n", "j")),
    ("unit", ("unite",)),
    ("duration", ("duree jours", "duration days")),
    ("start", ("date debut", "start date")),
    ("deadline", ("date", "date limite", "due", "due date", "fin")),
    ("status", ("etat", "state")),
    ("followup", ("relances", "follow ups", "followup")),
    ("platform", ("plateformes", "platforms")),
    ("kpi", ("indicator", "metric", "kpis")),
    ("objective", ("target", "cible")),
    ("result", ("resultats", "results")),
    ("budget", ()),
    ("spent", ("depenses", "cost", "cout")),
    ("notes", ("note", "commentaire", "comments")),
)

PLANNING_KEYS: Final = tuple(c[0] for c in PLANNING_COLUMNS)


def header(key: str, lang: str) -> str:
    if key not in PLANNING_KEYS:
        raise KeyError(key)
    return t(f"col.{key}", lang)


def _index(prefix: str, keys: tuple[str, ...],
           more: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> dict[str, str]:
    """Every spelling of the headers `prefix.<key>` in every language, then the others."""
    index: dict[str, str] = {}
    for key in keys:
        for v in every(f"{prefix}.{key}"):
            index.setdefault(normalize(v), key)
    for key, alts in more:
        for v in alts:
            index.setdefault(normalize(v), key)
    return index


@functools.cache
def _header_index(generation: int) -> dict[str, str]:
    return _index("col", PLANNING_KEYS, PLANNING_COLUMNS)


def planning_key(text: object) -> str | None:
    """The column key a header names, in any language, or None for a user column."""
    return _header_index(generation()).get(normalize(text))


SHEETS: Final = ("planning", "contacts", "settings", "dashboard", "report", "history")


def sheet_name(key: str, lang: str) -> str:
    return t(f"sheet.{key}", lang)


@functools.cache
def _sheet_index(generation: int) -> dict[str, str]:
    return _index("sheet", SHEETS)


def sheet_key(name: str) -> str | None:
    return _sheet_index(generation()).get(normalize(name))


CONTACT_COLUMNS: Final = ("id", "axis", "outlet", "name", "email", "task", "sent", "reply",
                          "replied", "outcome", "followup1", "followup2", "notes")
_CONTACT_SPELLINGS: Final = (
    ("task", ("Tâche", "Task")), ("outlet", ("Media",)), ("sent", ("Envoye", "Sent")),
    ("reply", ("Reponse", "Reply")), ("followup1", ("Relance1",)),
    ("followup2", ("Relance2",)), ("email", ("E-mail", "Mail")),
)


def contact_header(key: str, lang: str) -> str:
    if key not in CONTACT_COLUMNS:
        raise KeyError(key)
    return t(f"contact.{key}", lang)


@functools.cache
def _contact_index(generation: int) -> dict[str, str]:
    return _index("contact", CONTACT_COLUMNS, _CONTACT_SPELLINGS)


def contact_key(text: object) -> str | None:
    return _contact_index(generation()).get(normalize(text))


# Settings keys shown on the Settings sheet, in order (labels: catalogue ids `setting.*`).
SETTINGS_FIELDS: Final = ("release", "title", "artist", "lang", "country", "region",
                          "template", "created")


def setting_label(key: str, lang: str) -> str:
    return t(f"setting.{key}", lang)


def word(key: str, lang: str) -> str:
    """A word of the generated sheets (catalogue id `word.<key>`)."""
    return t(f"word.{key}", lang)


# History sheet: one row per report run and axis, and one per indicator (retrosheet/history.py;
# headers: catalogue ids `history.*`).
HISTORY_COLUMNS: Final = ("date", "axis", "kpi", "tasks", "done", "late", "budget", "spent",
                          "objective", "result")


def history_header(key: str, lang: str) -> str:
    return t(f"history.{key}", lang)
