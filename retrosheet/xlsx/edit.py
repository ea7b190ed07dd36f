"""Recompute an .xlsx/.xlsm plan in place: change only the cells retrosheet owns.

The file is a plan store (`xlsx.store.XlsxStore`): values read with calamine, the core
decides, the Planning and Contacts sheet parts' XML is edited and every other part of
the file is copied byte for byte.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..actions import Recomputation, load_store, recompute_store
from ..errors import WorkbookError, msg
from ..recompute import reanchor_updates
from .safe import atomic_path, writer_lock
from .store import XlsxStore

Edited = Recomputation  # the name callers knew


def recompute_file(path: Path, dry_run: bool = False) -> Recomputation:
    """`retrosheet recompute` on a file: the owned cells that change, written in place."""
    if dry_run:
        return recompute_store(XlsxStore(path), dry_run=True)
    with writer_lock(path):  # read and write back under one lock: no lost write
        return recompute_store(XlsxStore(path))


def reanchor_file(src: Path, dest: Path, release: dt.date) -> Edited:
    """`new --from PAST`: a copy of a past plan on a new release date, statuses, results
    and replies cleared, every sheet, column and format of the past plan kept."""
    if dest.suffix.lower() != src.suffix.lower():
        raise WorkbookError(msg("err.read.keeps_type", dest=dest.name, src=src.name,
                                suffix=src.suffix))
    past = XlsxStore(src)
    loaded = load_store(past)
    past.apply(reanchor_updates(loaded.plan, loaded.planning, loaded.contacts,
                                loaded.settings_sheet, release))
    # Recompute the copy before it takes the destination's name: a refused plan leaves
    # nothing behind, and an existing file at `dest` stays as it was.
    with atomic_path(dest) as tmp:
        past.dest = tmp
        past.save()
        edited = recompute_file(tmp)
    return edited
