"""One owner's tasks, or a one-line refusal naming the closest owners (a typo in
`--owner` must not give an empty report or calendar)."""

from __future__ import annotations

import difflib

from .errors import PlanError, msg
from .model import Plan, Task


def owner_tasks(plan: Plan, owner: str) -> list[Task]:
    """The tasks whose Responsable is `owner` (case-insensitive); PlanError when none."""
    key = owner.strip().casefold()
    tasks = [t for t in plan.tasks if t.owner.strip().casefold() == key]
    if tasks:
        return tasks
    owners = sorted({t.owner.strip() for t in plan.tasks if t.owner.strip()})
    by_key = {o.casefold(): o for o in owners}
    close = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.5)]
    hint = msg("err.read.did_you_mean", names=", ".join(repr(c) for c in close)) if close else ""
    raise PlanError(msg("err.read.no_owner", owner=repr(owner), hint=hint,
                        owners=", ".join(owners) or "—"), lang=plan.settings.lang)
