"""One owner's tasks, or a one-line refusal naming the closest owners (a typo in
`--owner` must not give an empty report or calendar)."""

from __future__ import annotations

from .errors import PlanError, closest, msg
from .model import Plan, Task


def owner_tasks(plan: Plan, owner: str) -> list[Task]:
    """The tasks whose Responsable is `owner` (case-insensitive); PlanError when none."""
    key = owner.strip().casefold()
    tasks = [t for t in plan.tasks if t.owner.strip().casefold() == key]
    if tasks:
        return tasks
    owners = sorted({t.owner.strip() for t in plan.tasks if t.owner.strip()})
    raise PlanError(msg("err.read.no_owner", owner=repr(owner),
                        hint=closest(owner, owners, quote=True),
                        owners=", ".join(owners) or "—"), lang=plan.settings.lang)
