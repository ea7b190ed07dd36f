"""`retrosheet new`'s helpers: what it says, a plan written into Google Sheets, a past plan
re-anchored. Apart from cli.py so that it stays a list of commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli import UserError, _fail, _say, _sheet
from .errors import RetrosheetError

if TYPE_CHECKING:
    from .actions import Creation
    from .store import NewTarget


def say_new(done: Creation, release_date: dt.date, now: dt.date, lang: str) -> None:
    made, where = done.made, done.written.where
    n = len(made.plan.tasks)
    k = len(made.effective.added)  # rows the template's follow-up rules add
    template = made.plan.settings.template
    fmt = "%d/%m/%Y" if lang == "fr" else "%Y-%m-%d"
    j = release_date.strftime(fmt)
    if lang == "fr":
        rows = f"{n} tâches dont {k} relances" if k else f"{n} tâches"
        click.echo(f"{where} : {rows}, sortie (J) le {j}, modèle {template}")
    else:
        rows = f"{n} tasks including {k} follow-ups" if k else f"{n} tasks"
        click.echo(f"{where}: {rows}, release (J) on {j}, template {template}")
    late = made.past_deadlines(now)
    if late:
        ids = ", ".join(f"{tid} ({days} j de retard)" if lang == "fr" else f"{tid} ({days} d late)"
                        for tid, days in late[:10])
        more = f" … +{len(late) - 10}" if len(late) > 10 else ""
        msg = (f"Attention : {len(late)} échéance(s) déjà passée(s), la sortie est trop proche "
               f"pour ce modèle : {ids}{more}" if lang == "fr" else
               f"Warning: {len(late)} deadline(s) already past, the release is too close "
               f"for this template: {ids}{more}")
        click.echo(msg, err=True)
    owner = done.written.only_owner
    if owner is not None:
        click.echo(_say(lang, "Attention : la feuille appartient au compte de service "
                              f"{owner} ; ajoutez --share VOTRE_EMAIL pour la voir",
                        "Warning: the sheet belongs to the service account "
                        f"{owner}; add --share YOUR_EMAIL to see it"), err=True)


def new_path(template: str, output: str | None, release: dt.date, macro: bool,
             force: bool) -> tuple[Path, bool]:
    """The file `new` writes (checked), and whether TEMPLATE is a past plan's workbook."""
    from .templates import WORKBOOK_SUFFIXES

    from_workbook = Path(template).suffix.lower() in WORKBOOK_SUFFIXES
    suffix = ".xlsm" if macro else Path(template).suffix.lower() if from_workbook else ".xlsx"
    path = Path(output or f"{Path(template).stem}-{release.isoformat()}{suffix}")
    if path.suffix.lower() != suffix:
        raise click.BadParameter(f"{path.name}: the plan is written as {suffix}",
                                 param_hint="-o")
    if path.exists() and not force:
        raise UserError(f"{path} exists: choose another name or add --force")
    return path, from_workbook


def sheet_target(template: str, output: str | None, gsheet: str | None,
                 gsheet_new: str | None, share: str | None,
                 credentials: str | None) -> NewTarget:
    """`new … --gsheet KEY|URL` or `--gsheet-new TITLE`: the Google Sheet to write the plan
    into (2 requests; 3 with --share), once the options are checked."""
    from .surfaces import new_target
    from .templates import WORKBOOK_SUFFIXES

    if gsheet and gsheet_new:
        raise click.UsageError("give either --gsheet or --gsheet-new, not both")
    if share and not gsheet_new:
        raise click.UsageError("--share goes with --gsheet-new")
    if output:
        raise click.UsageError("-o writes a file; --gsheet/--gsheet-new write a Google Sheet")
    if Path(template).suffix.lower() in WORKBOOK_SUFFIXES:
        raise click.UsageError("a past plan (.xlsx) cannot be re-anchored into Google Sheets "
                               "yet: use a built-in template or a CSV")
    if gsheet_new:
        return new_target(gsheet_new, "new sheet", credentials=credentials, share=share)
    assert gsheet is not None
    key = _sheet(gsheet)
    if key is None:
        raise click.BadParameter(f"{gsheet!r} is not a Google Sheets URL or key",
                                 param_hint="--gsheet")
    return new_target(key, "sheet", credentials=credentials)


def reanchor(src: Path, dest: Path, release: dt.date, macro: bool = False,
              lite: bool = False, lite_requirement: str | None = None) -> None:
    from .xlsx.edit import reanchor_file

    if not src.exists():
        raise UserError(f"{src}: no such file")
    try:
        if macro:
            from .xlsx.macro import reanchor_with_macros

            edited = reanchor_with_macros(src, dest, release)
        elif lite:
            from .xlsx.lite import reanchor_with_lite

            edited = reanchor_with_lite(src, dest, release, lite_requirement)
        else:
            edited = reanchor_file(src, dest, release)
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    lang = edited.loaded.plan.settings.lang
    n = len(edited.result.plan.tasks)
    j = release.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    click.echo(_say(lang, f"{dest} : {n} tâches reprises de {src.name}, sortie (J) le {j}",
                    f"{dest}: {n} tasks taken from {src.name}, release (J) on {j}"))
