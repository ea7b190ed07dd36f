"""Templates: the built-in CSV files, a user's CSV, or a past plan's workbook."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .errors import TemplateError, WorkbookError, closest, in_language, msg
from .grid import find_table, parse_tasks
from .labels import TaskType, axis_label, platform_label, sheet_key
from .model import Task
from .words import formats, t

# Built-in templates, each described by the catalogue id `template.<name>`. The spans
# there are the deadlines' distance from J for a release on Friday 14/05/2027 (tests keep
# them true).
BUILTIN: tuple[str, ...] = ("single", "ep", "album", "clip", "concert")


def describe(name: str, lang: str) -> str:
    """A built-in template's summary (`Single : de J-63 à J+28`)."""
    return t(f"template.{name}", lang)

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
    return parse_tasks(grid, find_table(grid, sheet, lang), lang=lang)


def _workbook_tasks(path: Path, lang: str) -> list[Task]:
    """A past plan's Planning rows, read through its plan store (surfaces picks the
    adapter for the file)."""
    from .surfaces import open_store

    store = open_store(str(path))
    names = store.sheet_names()
    sheet = next((n for n in names if sheet_key(n) == "planning"), names[0] if names else None)
    if sheet is None:
        raise WorkbookError(msg("err.read.no_sheet", name=path.name))
    grid = [list(r) for r in store.rows(sheet)]
    return parse_tasks(grid, find_table(grid, sheet, lang), store.date1904, lang=lang)


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
            raise TemplateError(msg("err.read.template_unknown", spec=repr(spec),
                                    names=", ".join(BUILTIN), hint=closest(spec, BUILTIN)),
                                lang=lang)
        if path.is_dir():
            raise TemplateError(msg("err.read.template_folder", spec=repr(spec)), lang=lang)
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
            raise TemplateError(msg("err.read.template_kind", spec=repr(spec)), lang=lang)
    if not tasks:
        raise TemplateError(msg("err.read.template_empty", spec=repr(spec)), lang=lang)
    for task in tasks:
        for key in ("action", "owner", "notes", "axis", "platform", "kpi"):
            text = getattr(task, key)
            if len(text) > TEXT_LIMIT:
                raise in_language(task.error(key, msg(
                    "err.read.text_too_long", n=formats.number(len(text), lang),
                    limit=formats.number(TEXT_LIMIT, lang))), lang)
    for task in tasks:
        task.status = None
        task.result = None
        task.spent = None
        task.start = task.deadline = None
        task.axis = axis_label(task.axis, lang)
        task.platform = platform_label(task.platform, lang)
        if task.type is TaskType.FOLLOWUP and task.parent is None and task.anchors:
            task.parent = task.anchors[0]
    return Template(name, tasks)
