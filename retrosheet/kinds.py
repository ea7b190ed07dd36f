"""What a task is, by meaning: the kind of action and what it acts on (issue 10 item 4).

A rule about "the editorial pitch" must fire on « Proposer le titre aux éditeurs de
Spotify » and stay quiet on « Pitcher les curateurs Spotify indépendants ». So a kind is
never one loose keyword: it is an action (a verb family) on an object (a platform, an
outlet, a product), with words that rule it out. Words are folded (case, accents,
punctuation) and matched by stem, in French and English.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from enum import Enum
from typing import Final

from .labels import Axis, TaskType
from .model import Task


class Kind(Enum):
    MASTERS = "masters"
    CODES = "ISRC/UPC"
    UPLOAD = "distributor upload"
    S4A = "Spotify for Artists check"
    PITCH = "editorial pitch"
    PRESAVE = "pre-save"
    RIGHTS = "rights registration"
    PRESSING = "pressing"
    STOCK = "physical stock"
    SEND = "send to outlets"
    MONTHLIES = "monthly magazines"
    PRESALE = "presale"
    SALE = "general sale"
    AFTER_EVENT = "after an event"


# The steps of the order-of-steps rule: the catalogue id of each one's name.
STEP_LABELS: Final[dict[Kind, str]] = {
    Kind.MASTERS: "check.step.masters",
    Kind.CODES: "check.step.codes",
    Kind.UPLOAD: "check.step.upload",
    Kind.S4A: "check.step.s4a",
    Kind.PITCH: "check.step.pitch",
    Kind.PRESAVE: "check.step.presave",
}

_COMBINING = re.compile("[\u0300-\u036f]")
_NON_WORD = re.compile("[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, no accents, words separated by one space."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NON_WORD.sub(" ", text.lower()).strip()


@functools.cache
def _pattern(stems: frozenset[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a family of stems: a word of the text starts with one of them."""
    return re.compile("(?:^| )(?:" + "|".join(sorted(map(re.escape, stems))) + ")")


def any_word(words: tuple[str, ...] | str, stems: frozenset[str] | tuple[str, ...]) -> bool:
    """A word starts with one of `stems` (`words`: folded words, or a folded text)."""
    text = words if isinstance(words, str) else " ".join(words)
    return _pattern(stems).search(text) is not None


def _s(*stems: str) -> frozenset[str]:
    return frozenset(stems)


# Verb families (stems).
SEND_VERBS = _s("envo", "send", "sent", "mailing", "pitch", "soumet", "soumis", "submit",
                "propos", "demarch", "present", "contact", "approach", "transmet",
                "transmit", "adress")
DELIVER_VERBS = _s("livr", "deliver", "upload", "envo", "send", "soumet", "submit", "charg",
                   "depos", "transmet", "transmit", "ship")
CHECK_VERBS = _s("verif", "check", "control", "confirm", "valid", "visible", "appar",
                 "appear", "claim", "revendi", "acced", "access")
PITCH_VERBS = _s("pitch", "propos", "soumet", "soumis", "submit", "present", "recommand")
OPEN_VERBS = _s("ouvr", "open", "lanc", "launch", "mise", "mettre", "annonc", "announc",
                "demarr", "start", "debut")
# Objects.
DISTRIBUTORS = _s("distributeur", "distributor", "distrib", "distrokid", "tunecore",
                  "cdbaby", "believe", "idol", "wiseband", "ditto", "amuse", "spinnup", "awal",
                  "routenote", "onerpm", "recordjet", "imusician")
# What goes to a distributor when the row sits on the Distribution axis.
AUDIO = _s("master", "titre", "track", "audio", "fichier", "file", "album", "single",
           "morceau", "song", "artwork", "metadonnee", "metadata")
PHYSICAL = _s("vinyl", "vinyle", "cd", "cds", "disque", "physique", "physical", "lp",
              "cassette", "pressage", "pressing", "stock")
LYRICS = _s("parole", "lyric", "musixmatch", "genius")
EDITORIAL = _s("editorial", "editoria", "editeur", "editor", "redaction", "redac")
INDEPENDENT = _s("curat", "independ", "submithub", "groover", "playlistpush", "soundplate",
                 "blog", "influenc")
RIGHTS_BODIES = _s("sacem", "sdrm", "scpp", "sppf")
REGISTER_VERBS = _s("declar", "register", "inscri", "enregistr", "depos", "demand", "request",
                    "adher", "join", "autoris", "authori", "licen")
OUTLET_AXES = frozenset({Axis.RADIO, Axis.PRESS, Axis.TV, Axis.PLAYLISTS})
SELF_SERVE = _s("submithub", "groover", "playlistpush", "musixmatch", "newsletter",
                "abonne", "subscriber", "fan")
MONTHLY = _s("mensuel", "monthly", "monthlies")
SALE_WORDS = _s("billet", "ticket", "vente", "sale", "precommande", "preorder", "prevente",
                "presale")
FAN_ONLY = _s("abonne", "newsletter", "fan", "subscriber", "membre", "member", "club")
# Recipients that are not media outlets: a send to them needs no follow-up.
NOT_OUTLETS = _s("salle", "venue", "lieu", "equipe", "team", "tourneur", "booker", "manager",
                 "artiste", "imprim", "printer")
# A works or recording registration, not the post-show declaration of works played.
SET_LIST = _s("programme", "program", "setlist", "jouee", "played", "releve", "concert")
PLANT = _s("usine", "plant", "pressage", "pressing", "fabricant", "manufactur")
SHOW = _s("concert", "show", "live", "spectacle", "festival", "gig", "tournee", "tour",
          "representation", "date")
AFTER_WORDS = _s("remerci", "thank", "bilan", "recap", "debrief", "apres", "after",
                 "lendemain", "retombee", "aftermovie")


def _phrase(folded: str, *phrases: str) -> bool:
    """One of `phrases` (folded words) appears in the folded text."""
    padded = f" {folded} "
    return any(f" {p} " in padded for p in phrases)


def kinds_of(task: Task) -> frozenset[Kind]:
    """Every kind a task is (usually none or one)."""
    if task.type is TaskType.FOLLOWUP:
        return frozenset()
    return _kinds(task.action, task.platform, task.axis)


# Unbounded: the checks and the Monday report ask each task's kinds ~10 times, and a
# 100,000-row plan has as many distinct actions; a bounded cache thrashed there.
@functools.cache
def _kinds(action: str, platform: str, axis_text: str) -> frozenset[Kind]:
    w = fold(action)  # one folded text, searched by one regex per family of stems
    both = f"{w} {fold(platform)}"
    axis = Axis.parse(axis_text)
    out: set[Kind] = set()
    s4a = _phrase(both, "spotify for artists", "s4a")
    spotify = s4a or any_word(both, ("spotify",))
    physical = any_word(w, PHYSICAL)
    checking = any_word(w, CHECK_VERBS)
    outlet_send = (axis in OUTLET_AXES and any_word(w, SEND_VERBS)
                   and not any_word(both, SELF_SERVE) and not any_word(w, NOT_OUTLETS)
                   and not any_word(w, EDITORIAL))  # an editorial pitch is not chased
    to_distributor = (any_word(both, DISTRIBUTORS) or (
        axis is Axis.DISTRIBUTION and (any_word(w, ("upload",)) or any_word(w, AUDIO))))
    # Masters made (mixed, mastered, received), not masters sent on to someone.
    if (any_word(w, ("master",)) and not any_word(w, ("masterclass", "broadcast", "clip", "video"))
            and axis is not Axis.VIDEO and not outlet_send and not any_word(w, PLANT)
            and not (to_distributor and any_word(w, DELIVER_VERBS)
                     and not {"livre", "livres", "delivered"} & set(w.split()))):
        out.add(Kind.MASTERS)
    # Codes assigned, not a radio track sheet that lists them.
    if (any_word(w, ("isrc", "upc", "ean")) and axis not in OUTLET_AXES
            and not any_word(w, ("clip", "video", "fiche", "sheet"))):
        out.add(Kind.CODES)
    delivering = (any_word(w, DELIVER_VERBS)
                  or _phrase(w, "mettre en ligne", "mise en ligne"))
    if (to_distributor and delivering and not physical and not checking
            and not any_word(w, ("content", "whitelist", "blanche", "allow"))
            and not any_word(both, LYRICS) and not _phrase(w, "pre save", "presave")):
        out.add(Kind.UPLOAD)
    editorial = any_word(w, EDITORIAL) or s4a or _phrase(w, "release radar")
    if (spotify and any_word(w, PITCH_VERBS) and not any_word(both, INDEPENDENT)
            and (editorial or not any_word(w, ("playlist",)))):
        out.add(Kind.PITCH)
    elif s4a and checking:
        out.add(Kind.S4A)
    if _phrase(w, "pre save", "presave", "pre enregistrement") and not checking:
        out.add(Kind.PRESAVE)
    if (any_word(w, RIGHTS_BODIES) and any_word(w, REGISTER_VERBS) and not outlet_send
            and not any_word(w, SET_LIST)):
        out.add(Kind.RIGHTS)
    pressing = any_word(w, ("pressage", "pressing")) or (
        physical and any_word(w, ("fabri", "manufactur", "usine", "plant", "presser")))
    if pressing and not any_word(w, ("test", "reserv", "book", "devis", "quote")):
        out.add(Kind.PRESSING)
    elif physical and any_word(w, ("livr", "deliver", "recept", "receiv", "stock", "arriv",
                               "ship", "expedi")) and not any_word(w, ("present",)):
        out.add(Kind.STOCK)
    if outlet_send and Kind.PITCH not in out:
        out.add(Kind.SEND)
    if any_word(w, MONTHLY) and (axis is Axis.PRESS or any_word(w, SEND_VERBS)):
        out.add(Kind.MONTHLIES)
    if any_word(w, SALE_WORDS) and not checking:
        if any_word(w, ("prevente", "presale")) or _phrase(w, "pre sale", "pre vente") or (
                any_word(w, FAN_ONLY) and any_word(w, OPEN_VERBS)):
            out.add(Kind.PRESALE)
        elif any_word(w, OPEN_VERBS) or _phrase(w, "en vente", "on sale"):
            out.add(Kind.SALE)
    if any_word(w, AFTER_WORDS):
        out.add(Kind.AFTER_EVENT)
    return frozenset(out)


def product(task: Task) -> str:
    """What a sale sells, so a ticket presale is compared with the ticket sale."""
    w = fold(task.action)
    return "tickets" if any_word(w, ("billet", "ticket", "concert", "show", "party", "place",
                                  "tour", "date")) else "records"


def is_radio_send(task: Task, kinds: frozenset[Kind]) -> bool:
    return Kind.SEND in kinds and Axis.parse(task.axis) is Axis.RADIO


def is_broadcast_send(task: Task, kinds: frozenset[Kind]) -> bool:
    """A send to radio or TV: from then on the work may be aired."""
    return Kind.SEND in kinds and Axis.parse(task.axis) in (Axis.RADIO, Axis.TV)


def is_mechanical(task: Task) -> bool:
    """The SDRM authorises reproduction: it comes before the pressing."""
    return any_word(fold(task.action), ("sdrm",))
