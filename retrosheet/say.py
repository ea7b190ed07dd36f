"""What the surfaces say after a command or a click (the command line, the Excel and
LibreOffice buttons), put into words from the catalogue: one place, so a button and the
command line say the same thing. No click here: the library never imports it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .words import REFERENCE, formats, langs, t

if TYPE_CHECKING:
    from .model import Task
    from .new import NewPlan
    from .updates import CellUpdate

LATE_SHOWN = 10  # past deadlines named when a plan is made; the rest are counted


def user_lang(env: Mapping[str, str] | None = None) -> str:
    """The language of a message that no plan's language decides: the user's locale
    (RETROSHEET_LANG, then LC_ALL, LC_MESSAGES, LANG) when retrosheet speaks it, else French."""
    env = os.environ if env is None else env
    for var in ("RETROSHEET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        code = env.get(var, "").split("_")[0].split(".")[0].lower()
        if code:
            return code if code in langs() else REFERENCE
    return REFERENCE


def caption(entry: str, lang: str) -> str:
    """A button's caption (`recompute`: Recalculer, `report`: Rapport)."""
    return t(f"err.surface.button.{entry}", lang)


def script(entry: str, lang: str) -> str:
    """The name of an xlwings Lite script behind a button (a Python name)."""
    return t(f"err.surface.script.{entry}", lang)


def _ids(added: Sequence[str]) -> str:
    return f" ({', '.join(added)})" if added else ""


def recompute_summary(name: str, n: int, added: Sequence[str], lang: str, *,
                      dry_run: bool = False) -> str:
    """`plan.xlsx : 3 cellule(s) mises à jour, 1 relance(s) ajoutée(s) (R030-1)`."""
    key = ("cli.recompute.dry_run" if dry_run else
           "cli.recompute.up_to_date" if n == 0 else "cli.recompute.done")
    return t(key, lang, name=name, n=n, added=len(added), ids=_ids(added))


def orphans(tasks: Sequence[Task], lang: str) -> list[str]:
    """Generated follow-ups whose rule no longer asks for them."""
    return [t("cli.recompute.orphan", lang, id=task.id, anchor=task.anchors[0])
            for task in tasks]


def cell_value(update: CellUpdate, text: str, lang: str) -> str:
    """A cell's raw text as a person reads it: dates as dates, empty as (vide)."""
    from .values import from_serial

    if text == "":
        return t("cli.empty", lang)
    if update.kind == "date":
        try:
            return formats.date(from_serial(float(text)), lang)
        except ValueError:
            return text
    return text


def change(update: CellUpdate, old: str, new: str, lang: str) -> str:
    """`Planning!J5 (T010) : 14/04/2027 → 16/04/2027`: one change of a dry run."""
    from .values import column_letter

    where = f"{update.sheet}!{column_letter(update.col)}{update.row}" + (
        f" ({update.task})" if update.task else "")
    return formats.labelled(where, f"{cell_value(update, old, lang)} → "
                                   f"{cell_value(update, new, lang)}", lang)


def new_plan(made: NewPlan, where: str, release: dt.date, now: dt.date,
             lang: str) -> tuple[str, str | None]:
    """What `retrosheet new` says, and its warning when deadlines are already past."""
    n, k = len(made.plan.tasks), len(made.effective.added)  # k: rows follow-up rules add
    line = t("cli.new.done_followups" if k else "cli.new.done", lang, where=where, n=n, k=k,
             date=formats.date(release, lang), template=made.plan.settings.template)
    late = made.past_deadlines(now)
    if not late:
        return line, None
    named = ", ".join(t("cli.new.late_item", lang, id=tid, days=days)
                      for tid, days in late[:LATE_SHOWN])
    more = f" … +{len(late) - LATE_SHOWN}" if len(late) > LATE_SHOWN else ""
    return line, t("cli.new.late", lang, n=len(late), ids=named, more=more)


def reanchored(dest: str, n: int, src: str, release: dt.date, lang: str) -> str:
    return t("cli.new.reanchored", lang, dest=dest, n=n, src=src,
             date=formats.date(release, lang))
