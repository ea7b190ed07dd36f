"""Templates: the built-in CSV files, a user's CSV, or a past plan's workbook."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import TemplateError, WorkbookError
from .grid import find_table, parse_tasks
from .labels import TaskType, axis_label, platform_label, sheet_key
from .model import Task

# Built-in templates: name → (French summary, English summary). The spans are the
# deadlines' distance from J for a release on Friday 14/05/2027 (tests keep them true).
BUILTIN: dict[str, tuple[str, str]] = {
    "single": ("Single : de J-63 à J+28", "Single: J-63 to J+28"),
    "ep": ("EP avec un extrait : de J-147 à J+28", "EP with a lead single: J-147 to J+28"),
    "album": ("Album, deux extraits, vinyle et CD : de J-182 à J+28",
              "Album, two singles, vinyl and CD: J-182 to J+28"),
    "clip": ("Clip vidéo : de J-84 à J+21", "Music video: J-84 to J+21"),
    "concert": ("Concert : de J-150 à J+14", "Concert date: J-150 to J+14"),
}

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
TEXT_LIMIT = 32767  # characters an Excel cell holds


@dataclass
class Template:
    name: str
    tasks: list[Task]


def _builtin_text(name: str) -> str:
    # From a source checkout, the CSVs beside this package: an editable install maps the
    # package data to the checkout it was installed from, which may be another worktree.
    here = Path(__file__).resolve().parent.parent / "workbook_templates"
    if (here / "__init__.py").is_file():
        return (here / f"{name}.csv").read_text(encoding="utf-8")
    return resources.files("retrosheet.workbook_templates").joinpath(f"{name}.csv").read_text(
        encoding="utf-8"
    )


def builtin_rows(name: str) -> int:
    """Number of task rows in a built-in template."""
    return sum(1 for row in csv.reader(io.StringIO(_builtin_text(name))) if any(row)) - 1


def from_csv_text(text: str, sheet: str, lang: str) -> list[Task]:
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    # French Excel saves CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    grid = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return parse_tasks(grid, find_table(grid, sheet, lang))


def _workbook_tasks(path: Path, lang: str) -> list[Task]:
    """A past plan's Planning rows, read through its plan store (surfaces picks the
    adapter for the file)."""
    from .surfaces import open_store

    store = open_store(str(path))
    names = store.sheet_names()
    sheet = next((n for n in names if sheet_key(n) == "planning"), names[0] if names else None)
    if sheet is None:
        raise WorkbookError(f"{path.name} has no sheet")
    grid = [list(r) for r in store.rows(sheet)]
    return parse_tasks(grid, find_table(grid, sheet, lang), store.date1904)


def load(spec: str, lang: str) -> Template:
    """A built-in name, a CSV path or a workbook path, as tasks in `lang`.

    Statuses, results, spend and typed dates are cleared: a template is a plan to come.
    """
    if spec in BUILTIN:
        tasks = from_csv_text(_builtin_text(spec), f"{spec}.csv", lang)
        name = spec
    else:
        path = Path(spec)
        if not path.exists():
            raise TemplateError(
                f"template {spec!r} is neither a built-in ({', '.join(BUILTIN)}) nor a file"
            )
        if path.is_dir():
            raise TemplateError(f"template {spec!r} is a folder: give a built-in name or a "
                                ".csv, .xlsx or .xlsm file")
        name = path.stem
        if path.suffix.lower() == ".csv":
            try:
                text = path.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError:
                text = path.read_text(encoding="cp1252")
            tasks = from_csv_text(text, path.name, lang)
        elif path.suffix.lower() in WORKBOOK_SUFFIXES:
            tasks = _workbook_tasks(path, lang)
        else:
            raise TemplateError(
                f"template {spec!r}: expected a built-in name, a .csv, .xlsx or .xlsm file"
            )
    if not tasks:
        raise TemplateError(f"template {spec!r} has no task rows")
    for t in tasks:
        for key in ("action", "owner", "notes", "axis", "platform", "kpi"):
            text = getattr(t, key)
            if len(text) > TEXT_LIMIT:
                raise t.error(key, f"{len(text):,} characters is over the {TEXT_LIMIT:,} a "
                                   "spreadsheet cell holds")
    for t in tasks:
        t.status = None
        t.result = None
        t.spent = None
        t.start = t.deadline = None
        t.axis = axis_label(t.axis, lang)
        t.platform = platform_label(t.platform, lang)
        if t.type is TaskType.FOLLOWUP and t.parent is None and t.anchors:
            t.parent = t.anchors[0]
    return Template(name, tasks)
