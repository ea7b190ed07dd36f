"""The checks as data: one row per rule (SPEC §5, issue 10).

Each row names a rule, its severity and where it comes from; what it looks at, when it
fires and what it says (with `{placeholders}` the hooks in checks.py and check_timing.py
fill) are the catalogue's `check.<rule>.looks_at`, `.condition` and `.message`
(retrosheet/words/). docs/checks.md is the table and its words rendered by
`rules_markdown()` (a test keeps them equal: `python3 -m retrosheet.rules >
docs/checks.md` rewrites it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from .labels import Labeled
from .words import t


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
    """One rule: its words (what it looks at, when it fires, what it says) are the
    catalogue's `check.<id>.looks_at`, `.condition` and `.message`, in every language."""

    id: str  # the finding's stable code
    severity: Severity
    source: str

    def looks_at(self, lang: str) -> str:
        return t(f"check.{self.id}.looks_at", lang)

    def condition(self, lang: str) -> str:
        return t(f"check.{self.id}.condition", lang)

    def message(self, lang: str) -> str:
        """The message's template, its `{placeholders}` unfilled."""
        return t(f"check.{self.id}.message", lang)

    def text(self, lang: str, **params: object) -> str:
        return t(f"check.{self.id}.message", lang, **params)


def _r(id: str, severity: Severity, source: str = SPEC) -> Rule:
    return Rule(id, severity, source)


RULES: Final[tuple[Rule, ...]] = (
    # ---- structure: no date can be computed
    _r("missing_id", E),
    _r("reserved_id", E),
    _r("duplicate_id", E),
    _r("bad_duration", E),
    _r("missing_anchor", E),
    _r("unknown_anchor", E),
    _r("bad_followup_rule", E),
    _r("anchor_cycle", E),
    _r("bad_calendar", E),
    _r("schedule_error", E),
    # ---- dates and redundancy
    _r("duplicate_task", W),
    _r("near_duplicate_task", W,
       PRACTICE + " (album template: two 15-second teasers the same day)"),
    _r("dated_after_release", E),
    _r("after_event_dated_before", E, PRACTICE),
    _r("followup_before_send", E),
    _r("past_at_creation", W),
    _r("late", W),
    _r("typed_non_working_day", W),
    _r("typed_date_replaced", INFO),
    _r("owner_overloaded", W),
    _r("axis_silent", INFO),
    _r("axis_stops_early", INFO, PRACTICE),
    # ---- platforms and the order of steps
    _r("release_not_friday", W,
       "Friday is the global release day (IFPI, 2015); domain.md: « J (a Friday) »"),
    _r("spotify_pitch_late", E, SPOTIFY),
    _r("distribution_upload_late", E, DISTRIB),
    _r("step_order", E, ORDER),
    _r("rights_late", E, RIGHTS),
    _r("monthlies_late", W, MONTHLIES),
    _r("radio_window", W, RADIO),
    _r("stock_late", W, STOCK),
    _r("august_release", W, SEASON),
    _r("send_without_followup", W, FOLLOWUP),
    _r("presale_after_sale", W, PRACTICE),
    # ---- people and money
    _r("no_owner", W),
    _r("over_budget", W),
    _r("total_over_budget", W, PRACTICE),
    _r("orphan_followup", W),
    _r("platform_language", INFO),
    # ---- contacts
    _r("contact_no_task", W),
    _r("contact_unknown_task", E),
    _r("contact_reply_undated", INFO),
)

RULE: Final[dict[str, Rule]] = {r.id: r for r in RULES}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """docs/checks.md: the table above and its words (French, English), for review."""
    lines = [
        "# Checks / Contrôles",
        "",
        "Every rule `retrosheet check` (and `recompute`, `report`) applies, one row each.",
        "Generated from `retrosheet/rules.py` (the table) and `retrosheet/words/` (its words,",
        "ids `check.<rule>.looks_at`, `.condition`, `.message`) by",
        "`python3 -m retrosheet.rules > docs/checks.md`;",
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
            f"{r.looks_at('fr')} / {r.looks_at('en')}",
            f"{r.condition('fr')} / {r.condition('en')}",
            r.message("fr"), r.message("en"), r.source)) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
