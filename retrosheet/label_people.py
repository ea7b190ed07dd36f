"""The people of a label: one person however its plans write them (pure, no file).

A plan names people in its team table (name, e-mail, role) and in its tasks' Responsable
cells (a name, a role or an e-mail). Across plans one person is written « Léa Martin »
with an e-mail in one plan, « Lea MARTIN » without in another, and « lea@label.fr » as a
task's owner in a third: a team row joins the name and the e-mail it gives, so all three
are one person (names folded: no case, accents or extra spaces).

A role is not a person. A team row whose name is only its role (what `retrosheet new`
writes until the team fills it in) and an owner that is a role (of a built-in template or
of some team table) stand for whoever holds that role in that plan, never for someone of
another plan: two teams that both kept « Label » do not share a person. Roles are matched
letters only, so that « Attaché(e) de presse » in the team table holds the tasks of
« Attaché·e de presse ».
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Collection, Sequence

from .model import Member, Plan


def fold(text: str) -> str:
    """Names as people mean them: no case, accents or extra spaces."""
    plain = unicodedata.normalize("NFKD", text.strip()).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def spelling_key(text: str) -> str:
    """A word however it is spelled, letters and digits only: a role (« Attaché·e de
    presse », « Attaché(e) de presse ») or an outlet (« F.I.P. », « fip », « FIP »)."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


# The roles the built-in templates give their tasks' owners, in French and English (a test
# keeps this list true): a plan whose team table was emptied still names them.
TEMPLATE_ROLES = frozenset(spelling_key(x) for x in (
    "Artiste", "Artist", "Attaché·e de presse", "Press officer", "Community manager",
    "Social media manager", "Distributeur", "Distributor", "Label", "Manager", "Promo radio",
    "Radio plugger", "Réalisateur·rice", "Director", "Tourneur", "Booker"))


def _tokens(m: Member) -> list[str]:
    """What identifies a team row's person: its e-mail ("@…") and its name ("=…") unless
    the name only repeats the role (a row nobody filled in)."""
    out = [f"@{fold(m.email)}"] if fold(m.email) else []
    name = fold(m.name)
    if name and name != fold(m.role):
        out.append(f"={name}")
    return out


def _is_role_key(key: str) -> bool:
    # A role held in one plan: "<plan index>#<role>" (e-mails and names start with @ or =).
    return key[:1].isdigit()


class People:
    """Who is who across `plans` (a label's plans, in a fixed order: `of` takes the index
    of the plan an owner is written in)."""

    def __init__(self, plans: Sequence[Plan]) -> None:
        self.plans = list(plans)
        self._parent: dict[str, str] = {}
        self._shown: dict[str, str] = {}
        self._in_plan: dict[int, set[str]] = {}
        self._of: dict[tuple[int, str], str] = {}  # a plan writes a few owners many times
        self._roles = TEMPLATE_ROLES | {spelling_key(m.role) for p in plans
                                        for m in p.settings.team if spelling_key(m.role)}
        for p in plans:
            for m in p.settings.team:
                tokens = _tokens(m)
                for other in tokens[1:]:
                    self._join(tokens[0], other)
        # The name shown: the first a team table writes beside an e-mail (the row most
        # carefully filled in), else the first written at all, else the e-mail.
        rows = [m for p in plans for m in p.settings.team]
        for m in sorted(rows, key=lambda m: -len(_tokens(m))):  # stable: plan order kept
            tokens = _tokens(m)
            if tokens:
                self._shown.setdefault(self._find(tokens[0]),
                                       m.name.strip() if tokens[-1][0] == "=" else
                                       m.email.strip())

    def _find(self, token: str) -> str:
        parent = self._parent.setdefault(token, token)
        while parent != token:
            self._parent[token] = self._parent[parent]  # halve the path
            token, parent = parent, self._parent[parent]
        return token

    def _join(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def of(self, index: int, owner: str) -> str:
        """The person behind `owner` as plan `index` writes it: a stable key, "" for no
        one. A team row is found by name, else by role (as the calendar finds it)."""
        if (index, owner) not in self._of:
            self._of[(index, owner)] = self._person(index, owner)
        return self._of[(index, owner)]

    def _person(self, index: int, owner: str) -> str:
        key = fold(owner)
        if not key:
            return ""
        if "@" in key:
            return self._find(f"@{key}")
        team = self.plans[index].settings.team
        member = (next((m for m in team if fold(m.name) == key), None)
                  or next((m for m in team if spelling_key(m.role) == spelling_key(key)), None))
        if member is not None:
            tokens = _tokens(member)
            if tokens:
                return self._find(tokens[0])
            key = fold(member.role) or key
        if member is not None or spelling_key(key) in self._roles:
            role = f"{index}#{key}"
            self._shown.setdefault(role, owner.strip())
            return role
        found = self._find(f"={key}")
        self._shown.setdefault(found, owner.strip())
        return found

    def in_plan(self, index: int) -> set[str]:
        """The persons of plan `index`: its team rows and its tasks' owners, roles left
        out (a role alone is nobody another plan can share)."""
        if index not in self._in_plan:
            plan = self.plans[index]
            written = [m.email or m.name for m in plan.settings.team] + [
                t.owner for t in plan.tasks]
            self._in_plan[index] = {k for k in (self.of(index, w) for w in written)
                                    if k and not _is_role_key(k)}
        return self._in_plan[index]

    def name(self, key: str) -> str:
        """A person's name as a plan writes it (an e-mail when no team row names them)."""
        return self._shown.get(key, key.lstrip("@="))


def closest_names(typed: str, known: Collection[str], n: int = 3) -> list[str]:
    """The names closest to a mistyped `--owner`, each person once (the spelling with its
    accents): first the names with the typed word in them (« Léa » → « Léa Martin »),
    then the nearest."""
    key, names = fold(typed), sorted(known)
    spelled: dict[str, str] = {}  # a person's best spelling: accents, then lower case
    for x in names:
        best = spelled.setdefault(fold(x), x)
        if (not x.isascii(), sum(c.islower() for c in x)) > (
                not best.isascii(), sum(c.islower() for c in best)):
            spelled[fold(x)] = x
    word = [x for x in names if key and key in fold(x).split()]
    out = dict.fromkeys(spelled[fold(x)] for x in word + difflib.get_close_matches(
        typed, names, n=n, cutoff=0.5))
    return list(out)[:n]
