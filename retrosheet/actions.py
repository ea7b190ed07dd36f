"""What retrosheet does to a plan, written once over the plan-store interface.

`recompute_store` and `write_report` work the same on an .xlsx file, a Google Sheet and a
workbook open in Excel or LibreOffice: read through `PlanStore.rows`/`formula`, decide
with the core (effective plan, recompute, report) and with `store.same`, then hand the
store the cells to write. `create_plan` makes a new plan and hands its workbook design to
a `NewTarget` (a file, a Google Sheet). The command line and the buttons get back one
typed outcome.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .book import LoadedPlan, load_from_sheets, mark_typed_dates
from .errors import PlanError
from .history import PastMeasure
from .labels import sheet_key
from .recompute import Recomputed, recompute
from .report import Report
from .store import (
    Growth,
    NewTarget,
    PlanStore,
    Saved,
    Skipped,
    Written,
    number_text,
    same,
    shown,
)
from .updates import CellUpdate, Change

if TYPE_CHECKING:
    from .new import NewPlan


def load_store(store: PlanStore, *, grid: bool = False) -> LoadedPlan:
    """The plan a store holds, with where its tables sit (`grid`: and Planning's cells,
    which recompute compares with what it would write)."""
    return load_from_sheets(store.sheet_names(), store.rows, date1904=store.date1904,
                            book=store.name, grid=grid)


@dataclass
class Recomputation:
    """What `recompute` did (or, with dry_run, would do) to a plan."""

    name: str  # the workbook, as messages name it
    loaded: LoadedPlan
    result: Recomputed
    changes: list[Change]  # cells that change (those written, when written)
    written: bool
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # cosmetic: formats that did not follow
    respelled: int = 0  # formulas spelled otherwise (a spreadsheet's save), same meaning


class _Grids:
    """Values of the sheets updates go to, each read once (Planning's already is)."""

    def __init__(self, store: PlanStore, loaded: LoadedPlan) -> None:
        self.store = store
        self.grids: dict[str, Sequence[Sequence[Any]]] = {
            loaded.planning.sheet: loaded.planning_grid} if loaded.planning_grid else {}

    def value(self, sheet: str, row: int, col: int) -> Any:
        if sheet not in self.grids:
            self.grids[sheet] = [list(r) for r in self.store.rows(sheet)]
        grid = self.grids[sheet]
        if 0 < row <= len(grid) and 0 <= col < len(grid[row - 1]):
            return grid[row - 1][col]
        return None


def pending(store: PlanStore, loaded: LoadedPlan, updates: Sequence[CellUpdate],
            respelled: list[CellUpdate] | None = None) -> list[Change]:
    """The updates that change a cell: what is written, what --dry-run lists. A formula
    only spelled otherwise is no change (`respelled` gathers those cells)."""
    grids = _Grids(store, loaded)
    out: list[Change] = []
    for u in updates:
        old = grids.value(u.sheet, u.row, u.col)
        formula = store.formula(u.sheet, u.row, u.col)
        if same(u, old, formula, date1904=store.date1904, live=store.live):
            if respelled is not None and formula != u.formula:
                respelled.append(u)
            continue
        new = "" if u.value is None else (
            number_text(u.value) if isinstance(u.value, int | float) else str(u.value))
        out.append(Change(u, shown(u, old, store.date1904), new))
    return out


def _check_room(store: PlanStore, loaded: LoadedPlan, result: Recomputed) -> None:
    """New follow-up rows go below the table: those rows must be empty, whole rows (a
    note typed far to the right counts)."""
    if result.last_row <= result.old_last_row:
        return
    sheet = loaded.planning.sheet
    table = loaded.planning
    width = max([*table.columns.values(), *table.extra.values()]) + 1
    first, last = result.old_last_row + 1, result.last_row
    for r, row in enumerate(store.rows(sheet), start=1):
        if r > last:
            break
        if r >= first and (any(v not in (None, "") for v in row) or any(
                store.formula(sheet, r, c) is not None for c in range(max(width, len(row))))):
            raise PlanError(
                f"row {r} below the Planning table is not empty: move it to make room "
                f"for {last - first + 1} new follow-up row(s)", sheet=sheet, cell=f"A{r}")


def planned(store: PlanStore, *, cells: bool = False) -> tuple[LoadedPlan, Recomputed]:
    """The plan a store holds as recompute would leave it: hand-typed dates marked, the
    missing follow-up rows added (and room for them checked). With `cells`, the cells
    recompute owns too (`recompute_store` compares them); `check` needs none."""
    ahead = getattr(store, "read_ahead", None)  # a store that can read formulas meanwhile
    if ahead is not None:
        ahead(next((n for n in store.sheet_names() if sheet_key(n) == "planning"), ""))
    loaded = load_store(store, grid=cells)
    psheet = loaded.planning.sheet
    has = getattr(store, "has_formula", None)  # a store that can say so without the text
    mark_typed_dates(loaded, (lambda r, c: has(psheet, r, c)) if has is not None
                     else (lambda r, c: store.formula(psheet, r, c) is not None))
    result = recompute(loaded.plan, loaded.planning, loaded.contacts, loaded.settings_sheet,
                       cells=cells)
    _check_room(store, loaded, result)
    return loaded, result


def recompute_store(store: PlanStore, *, dry_run: bool = False) -> Recomputation:
    """Recompute the plan a store holds; write only the owned cells that change."""
    loaded, result = planned(store, cells=True)
    psheet = loaded.planning.sheet
    respelled: list[CellUpdate] = []
    changes = pending(store, loaded, result.updates, respelled)
    if dry_run or not changes:
        return Recomputation(store.name, loaded, result, changes, False,
                             respelled=len(respelled))
    growth = (Growth(psheet, result.old_last_row, result.last_row)
              if result.last_row > result.old_last_row else None)
    store.apply([c.update for c in changes], growth)
    saved: Saved = store.save()
    kept = [c for c in changes if id(c.update) not in saved.not_written]
    return Recomputation(store.name, loaded, result, kept, saved.written, saved.skipped,
                         saved.problems, len(respelled))


def history_of(store: PlanStore, lang: str) -> list[PastMeasure]:
    """The indicators' measures recorded on the plan's History sheet (none without one):
    what a report compares this week's measures with."""
    from .history import past_measures
    from .report_cells import pick_sheet

    name = pick_sheet(store.sheet_names(), "history", lang)
    return [] if name is None else past_measures([list(r) for r in store.rows(name)],
                                                 store.date1904)


def write_report(store: PlanStore, rep: Report) -> Saved:
    """`report --write-sheet`: the Report sheet replaced by `rep`, one row per axis and
    one per indicator appended to History; sheets the plan lacks are added."""
    from .report_cells import history_spec, pick_sheet, report_spec

    hname = pick_sheet(store.sheet_names(), "history", rep.lang)
    grid = [] if hname is None else [list(r) for r in store.rows(hname)]
    store.put_sheet(report_spec(rep))
    store.put_sheet(history_spec(hname, grid, rep))
    return store.save()


@dataclass
class Creation:
    """What `new` did: the plan made from its template, and where it was written."""

    made: NewPlan
    written: Written


def create_plan(target: NewTarget, template: str, release: dt.date, today: dt.date, *,
                lang: str = "fr", country: str = "FR", region: str = "", title: str = "",
                artist: str = "") -> Creation:
    """`new`: the plan from `template` for a release on `release`, its workbook designed
    once (as of `today`) and written by `target`."""
    # Not needed by the buttons, which import this module.
    from .design import build_workbook
    from .new import new_plan

    made = new_plan(template, release, lang=lang, country=country, region=region,
                    title=title, artist=artist)
    return Creation(made, target.create(build_workbook(made.plan, made.dates, today),
                                        made.plan))
