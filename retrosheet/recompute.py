"""Recompute a plan read back from its sheet: the cell updates retrosheet owns.

Pure: from the plan, where its tables sit and today, build the list of cell updates
(dates and their formulas, missing follow-up rows, contacts' follow-up dates). A backend
applies them; nothing else in the user's sheet is touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

from . import layout as L
from . import words
from .effective import EffectivePlan, effective
from .errors import PlanError, msg
from .grid import Table
from .labels import Status, TaskType, axis_label, header, normalize, word
from .model import Plan, Scheduled, Source, Task
from .updates import CellUpdate
from .values import column_letter, to_serial


@dataclass
class Recomputed:
    plan: Plan
    dates: dict[str, Scheduled]
    updates: list[CellUpdate]
    added: list[Task] = field(default_factory=list)  # new follow-up rows
    orphans: list[Task] = field(default_factory=list)  # follow-ups whose rule is gone
    last_row: int = 0  # last task row after the new rows, 1-based
    old_last_row: int = 0
    effective: EffectivePlan | None = None


def _note_prefixes() -> tuple[str, ...]:
    return tuple(normalize(word("followup_note", lg).split("{")[0]) for lg in words.langs())


def _is_generated_note(text: str) -> bool:
    return not text.strip() or normalize(text).startswith(_note_prefixes())


def recompute(
    plan: Plan,
    planning: Table,
    contacts: Table | None,
    settings_sheet: str,
    *,
    cells: bool = True,
) -> Recomputed:
    """`cells=False`: the plan as recompute leaves it (new follow-up rows placed), without
    the cell updates (what `check` looks at: 200,000 formulas on a 100,000-row plan)."""
    lang = plan.settings.lang
    cols = planning.letters()
    for key in ("id", "anchor", "offset", "start", "deadline"):
        if key not in planning.columns:
            raise PlanError(msg("err.read.no_column", row=planning.header_row + 1,
                                names="/".join(_header_names(key))),
                            sheet=planning.sheet, lang=lang)
    cols.setdefault("type", cols["id"])  # no Type column: nothing is a milestone
    cols.setdefault("unit", cols["offset"])
    cols.setdefault("duration", cols["offset"])
    refs = L.Refs(settings_sheet, plan.settings.cells.get("release", L.RELEASE_CELL),
                  plan.settings.cells.get("days_off", L.DAYS_OFF_RANGE))

    eff = effective(plan)
    expanded, added, dates = eff.plan.tasks, eff.added, eff.dates
    old_last = max((t.source.row for t in plan.tasks if t.source),
                   default=planning.header_row + 1)
    row = old_last
    for t in added:
        row += 1
        t.source = _new_source(planning, row, cols)

    updates: list[CellUpdate] = []
    if not cells:
        return Recomputed(eff.plan, dates, updates, added, eff.orphans(), row, old_last, eff)
    sheet = planning.sheet
    c = planning.columns
    new_rows = {id(t) for t in added}
    start = _by_row(partial(L.start_formula, refs=refs, cols=cols))
    deadlines: dict[tuple[str, ...] | None, Callable[[int], str]] = {}
    for t in expanded:
        assert t.source is not None
        r = t.source.row
        d = dates[t.id]
        if id(t) in new_rows:
            updates += _new_row_cells(t, r, c, lang, sheet)
        updates.append(CellUpdate(sheet, r, c["start"], "date", to_serial(d.start), start(r),
                                  t.id))
        # One anchor is read from the row's own cell: its formula is the same for all.
        shape = None if len(t.anchors) == 1 else t.anchors
        if shape not in deadlines:
            deadlines[shape] = _by_row(partial(L.deadline_formula, anchors=t.anchors,
                                               refs=refs, cols=cols))
        updates.append(CellUpdate(sheet, r, c["deadline"], "date", to_serial(d.deadline),
                                  deadlines[shape](r), t.id))

    updates += _contacts(eff, contacts, c, sheet)
    updates += _holidays(eff, settings_sheet)
    return Recomputed(eff.plan, dates, updates, added, eff.orphans(), row, old_last, eff)


_ROWS = (1048577, 1048578)  # rows no sheet has: their numbers mark where a row's goes


def _by_row(formula: Callable[[int], str]) -> Callable[[int], str]:
    """`formula` for any row, from its text made once with the row number put in: a
    100,000-row plan's formulas differ by that number only. A formula whose text holds
    the marking number otherwise (an anchor's ID) is made row by row."""
    a, b = (formula(r) for r in _ROWS)
    parts = a.split(str(_ROWS[0]))
    if str(_ROWS[1]).join(parts) != b:
        return formula
    return lambda r: str(r).join(parts)


# The public holidays the sheet's formulas must know: the years around the release.
HOLIDAY_MARGIN = (-1, 2)


def _holidays(eff: EffectivePlan, settings_sheet: str) -> list[CellUpdate]:
    """Public holidays missing from the Settings list (the release moved to other years),
    appended under it so the sheet's formulas and the engine keep the same days off."""
    st = eff.plan.settings
    nxt = st.cells.get("days_off_next")
    if not nxt:
        return []
    years = range(st.release.year + HOLIDAY_MARGIN[0], st.release.year + HOLIDAY_MARGIN[1] + 1)
    listed = set(st.days_off)
    missing = [(d, name) for d, name in sorted(eff.calendar.holidays(years, st.lang).items())
               if d not in listed]
    row, col = _split_ref(nxt)
    out = []
    for i, (day, name) in enumerate(missing):
        out.append(CellUpdate(settings_sheet, row + i, col, "date", to_serial(day)))
        out.append(CellUpdate(settings_sheet, row + i, col + 1, "text", name))
    return out


def _header_names(key: str) -> list[str]:
    return [header(key, "fr"), header(key, "en")]


def _new_source(planning: Table, row: int, cols: Mapping[str, str]) -> Source:
    return Source(planning.sheet, row, dict(cols))


def _new_row_cells(t: Task, r: int, c: Mapping[str, int], lang: str,
                   sheet: str) -> list[CellUpdate]:
    texts = {
        "id": t.id, "type": t.type.label(lang), "axis": axis_label(t.axis, lang),
        "action": t.action, "owner": t.owner, "anchor": ",".join(t.anchors),
        "unit": t.unit.label(lang), "status": Status.TODO.label(lang),
        "platform": t.platform, "notes": t.notes,
    }
    out = [CellUpdate(sheet, r, c[k], "text", v, None, t.id)
           for k, v in texts.items() if k in c and v]
    out.append(CellUpdate(sheet, r, c["offset"], "number", t.offset, None, t.id))
    if "duration" in c and t.duration:
        out.append(CellUpdate(sheet, r, c["duration"], "number", t.duration, None, t.id))
    return out


def _contacts(eff: EffectivePlan, table: Table | None,
              planning_cols: Mapping[str, int], planning_sheet: str) -> list[CellUpdate]:
    """Each contact's follow-up dates (none once it answered), and on each follow-up row
    the count of contacts still without reply."""
    plan = eff.plan
    if table is None or not plan.contacts:
        return []
    index = plan.by_id()
    senders: set[str] = set()  # tasks with contacts
    waiting: dict[str, int] = {}
    out: list[CellUpdate] = []
    cc = table.columns
    for contact in plan.contacts:
        task = index.get(contact.task)
        if task is None or contact.source is None:
            continue
        senders.add(task.id)
        rule = eff.rule(task.id)
        wanted = eff.contact_dates(contact)
        if not contact.answered and rule:
            waiting[task.id] = waiting.get(task.id, 0) + 1
        for n, key in enumerate(("followup1", "followup2"), start=1):
            if key not in cc:
                continue
            day = wanted[n - 1]
            if day == getattr(contact, key):
                continue
            out.append(CellUpdate(table.sheet, contact.source.row, cc[key],
                                  "blank" if day is None else "date",
                                  None if day is None else to_serial(day), None, task.id))
    if "notes" in planning_cols:
        lang = plan.settings.lang
        for t in plan.tasks:
            if t.type is not TaskType.FOLLOWUP or (t.parent is None and not t.anchors):
                continue
            parent = t.anchors[0]
            rule = eff.rule(parent) if parent in senders else None
            if rule is None or t.source is None or not _is_generated_note(t.notes):
                continue
            n = waiting.get(parent, 0)
            note = word("followup_note", lang).format(rule=rule, id=parent) + words.t(
                "note.waiting", lang, n=n)
            if note != t.notes:
                out.append(CellUpdate(planning_sheet, t.source.row, planning_cols["notes"],
                                      "text", note, None, t.id))
    return out


def describe(update: CellUpdate) -> str:
    return f"{update.sheet}!{column_letter(update.col)}{update.row}"


def reanchor_updates(
    plan: Plan, planning: Table, contacts: Table | None, settings_sheet: str,
    release: dt.date,
) -> list[CellUpdate]:
    """A past plan made ready for a new release: the new J, statuses back to "to do",
    results, spend and contacts' replies cleared. Dates follow by recompute."""
    lang = plan.settings.lang
    cell = plan.settings.cells.get("release", L.RELEASE_CELL).replace("$", "")
    row, col = _split_ref(cell)
    out = [CellUpdate(settings_sheet, row, col, "date", to_serial(release))]
    c = planning.columns
    for t in plan.tasks:
        if t.source is None:
            continue
        r = t.source.row
        if "status" in c:
            out.append(CellUpdate(planning.sheet, r, c["status"], "text",
                                  Status.TODO.label(lang), None, t.id))
        for key in ("result", "spent"):
            if key in c and getattr(t, key) is not None:
                out.append(CellUpdate(planning.sheet, r, c[key], "blank", None, None, t.id))
    if contacts is not None:
        cc = contacts.columns
        for contact in plan.contacts:
            if contact.source is None:
                continue
            r = contact.source.row
            for key in ("sent", "reply", "replied", "outcome", "followup1", "followup2"):
                if key in cc:
                    out.append(CellUpdate(contacts.sheet, r, cc[key], "blank", None, None,
                                          contact.task or None))
    return out


def _split_ref(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return int(ref[len(letters):]), n - 1
