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

    __hash__ = object.__hash__  # by identity, in C (as labels.Labeled)


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


# The families of stems the classifier asks about, one bit each. A word's bits (the
# families it starts with a stem of) are worked out once per distinct word, so classifying
# an action is a few word lookups and bit tests, not dozens of regex scans.
_FAMILIES: list[tuple[str, ...]] = []


def _bit(stems: frozenset[str] | tuple[str, ...]) -> int:
    _FAMILIES.append(tuple(sorted(stems)))
    return 1 << (len(_FAMILIES) - 1)


_SPOTIFY, _PHYSICAL, _CHECK, _SEND = (
    _bit(("spotify",)), _bit(PHYSICAL), _bit(CHECK_VERBS), _bit(SEND_VERBS))
_SELF_SERVE, _NOT_OUTLET, _EDITORIAL = _bit(SELF_SERVE), _bit(NOT_OUTLETS), _bit(EDITORIAL)
_DISTRIBUTOR, _UPLOAD, _AUDIO = _bit(DISTRIBUTORS), _bit(("upload",)), _bit(AUDIO)
_MASTER = _bit(("master",))
_NOT_MASTER = _bit(("masterclass", "broadcast", "clip", "video"))
_PLANT, _DELIVER, _CODES = _bit(PLANT), _bit(DELIVER_VERBS), _bit(("isrc", "upc", "ean"))
_NOT_CODES = _bit(("clip", "video", "fiche", "sheet"))
_NOT_UPLOAD = _bit(("content", "whitelist", "blanche", "allow"))
_LYRICS, _PITCH, _INDEPENDENT = _bit(LYRICS), _bit(PITCH_VERBS), _bit(INDEPENDENT)
_PLAYLIST, _RIGHTS, _REGISTER = _bit(("playlist",)), _bit(RIGHTS_BODIES), _bit(REGISTER_VERBS)
_SET_LIST, _PRESSING = _bit(SET_LIST), _bit(("pressage", "pressing"))
_MAKING = _bit(("fabri", "manufactur", "usine", "plant", "presser"))
_NOT_PRESSING = _bit(("test", "reserv", "book", "devis", "quote"))
_ARRIVING = _bit(("livr", "deliver", "recept", "receiv", "stock", "arriv", "ship", "expedi"))
_PRESENT, _MONTHLY, _SALE = _bit(("present",)), _bit(MONTHLY), _bit(SALE_WORDS)
_PRESALE, _FAN, _OPEN, _AFTER = (
    _bit(("prevente", "presale")), _bit(FAN_ONLY), _bit(OPEN_VERBS), _bit(AFTER_WORDS))
# The first word of each phrase looked for: without it, no need to look for the phrase.
_PRE, _S4A, _RELEASE = _bit(("pre",)), _bit(("s4a",)), _bit(("release",))
_INITIALS = frozenset(stem[0] for family in _FAMILIES for stem in family)


@functools.lru_cache(maxsize=1 << 14)  # a plan's vocabulary (its numbers never get here)
def _word_bits(word: str) -> int:
    bits = 0
    for i, family in enumerate(_FAMILIES):
        if word.startswith(family):
            bits |= 1 << i
    return bits


def _bits(folded: str) -> int:
    """The families a folded text has a word of."""
    bits = 0
    for word in folded.split():
        if word[0] in _INITIALS:  # "12", "action": no stem starts like that
            bits |= _word_bits(word)
    return bits


@functools.lru_cache(maxsize=256)  # a plan has a dozen axes
def _axis(text: str) -> Axis | None:
    axis = Axis.parse(text)
    return axis if isinstance(axis, Axis) else None


def kinds_of(task: Task) -> frozenset[Kind]:
    """Every kind a task is (usually none or one)."""
    if task.type is TaskType.FOLLOWUP:
        return frozenset()
    return _kinds(task.action, task.platform, task.axis)


# Unbounded: the checks and the Monday report ask each task's kinds ~10 times, and a
# 100,000-row plan has as many distinct actions; a bounded cache thrashed there.
@functools.cache
def _kinds(action: str, platform: str, axis_text: str) -> frozenset[Kind]:
    w, p = fold(action), fold(platform)
    has = _bits(w)  # families among the action's words…
    both = has | _bits(p)  # …or the action's and the platform's
    axis = _axis(axis_text)
    pre = bool(has & _PRE)
    out: set[Kind] = set()
    s4a = bool(both & (_SPOTIFY | _S4A)) and _phrase(f"{w} {p}", "spotify for artists", "s4a")
    spotify = s4a or bool(both & _SPOTIFY)
    physical = bool(has & _PHYSICAL)
    checking = bool(has & _CHECK)
    # An editorial pitch is not chased.
    outlet_send = (axis in OUTLET_AXES and bool(has & _SEND) and not both & _SELF_SERVE
                   and not has & (_NOT_OUTLET | _EDITORIAL))
    to_distributor = bool(both & _DISTRIBUTOR) or (
        axis is Axis.DISTRIBUTION and bool(has & (_UPLOAD | _AUDIO)))
    # Masters made (mixed, mastered, received), not masters sent on to someone.
    if (has & _MASTER and not has & (_NOT_MASTER | _PLANT) and axis is not Axis.VIDEO
            and not outlet_send
            and not (to_distributor and has & _DELIVER
                     and not {"livre", "livres", "delivered"} & set(w.split()))):
        out.add(Kind.MASTERS)
    # Codes assigned, not a radio track sheet that lists them.
    if has & _CODES and axis not in OUTLET_AXES and not has & _NOT_CODES:
        out.add(Kind.CODES)
    delivering = bool(has & _DELIVER) or (
        bool(has & _OPEN) and _phrase(w, "mettre en ligne", "mise en ligne"))
    if (to_distributor and delivering and not physical and not checking
            and not has & _NOT_UPLOAD and not both & _LYRICS
            and not (pre and _phrase(w, "pre save", "presave"))):
        out.add(Kind.UPLOAD)
    editorial = bool(has & _EDITORIAL) or s4a or (
        bool(has & _RELEASE) and _phrase(w, "release radar"))
    if (spotify and has & _PITCH and not both & _INDEPENDENT
            and (editorial or not has & _PLAYLIST)):
        out.add(Kind.PITCH)
    elif s4a and checking:
        out.add(Kind.S4A)
    if pre and _phrase(w, "pre save", "presave", "pre enregistrement") and not checking:
        out.add(Kind.PRESAVE)
    if has & _RIGHTS and has & _REGISTER and not outlet_send and not has & _SET_LIST:
        out.add(Kind.RIGHTS)
    pressing = bool(has & _PRESSING) or (physical and bool(has & _MAKING))
    if pressing and not has & _NOT_PRESSING:
        out.add(Kind.PRESSING)
    elif physical and has & _ARRIVING and not has & _PRESENT:
        out.add(Kind.STOCK)
    if outlet_send and Kind.PITCH not in out:
        out.add(Kind.SEND)
    if has & _MONTHLY and (axis is Axis.PRESS or has & _SEND):
        out.add(Kind.MONTHLIES)
    if has & _SALE and not checking:
        if has & _PRESALE or (pre and _phrase(w, "pre sale", "pre vente")) or (
                has & _FAN and has & _OPEN):
            out.add(Kind.PRESALE)
        elif has & _OPEN or _phrase(w, "en vente", "on sale"):
            out.add(Kind.SALE)
    if has & _AFTER:
        out.add(Kind.AFTER_EVENT)
    return _interned(frozenset(out))


_KIND_SETS: dict[frozenset[Kind], frozenset[Kind]] = {}


def _interned(kinds: frozenset[Kind]) -> frozenset[Kind]:
    """One object per distinct set: 100,000 cached answers share a handful of sets."""
    return _KIND_SETS.setdefault(kinds, kinds)


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
