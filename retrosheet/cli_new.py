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
    from .new import NewPlan


def say_new(made: NewPlan, where: str, release_date: dt.date, now: dt.date, lang: str) -> None:
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


def new_in_sheets(template: str, release: dt.date, now: dt.date, output: str | None,
                   gsheet: str | None, gsheet_new: str | None, share: str | None,
                   credentials: str | None, *, lang: str, country: str, region: str,
                   title: str, artist: str) -> None:
    """`new … --gsheet KEY|URL` or `--gsheet-new TITLE`: the plan written into Google Sheets
    (2 requests; 3 with --share)."""
    from .new import new_plan
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
    key = _sheet(gsheet) if gsheet else None
    if gsheet and key is None:
        raise click.BadParameter(f"{gsheet!r} is not a Google Sheets URL or key",
                                 param_hint="--gsheet")
    try:
        from .gsheets.client import connect
        from .gsheets.create import create_new, fill_existing

        made = new_plan(template, release, lang=lang, country=country, region=region,
                        title=title, artist=artist)
        api = connect(credentials, create=bool(gsheet_new))
        if gsheet_new:
            created = create_new(made, now, gsheet_new, api=api, share_with=share)
        else:
            assert key is not None
            created = fill_existing(made, now, key, api=api)
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    say_new(made, created.url, release, now, lang)
    if gsheet_new and not share and api.identity.service_account:
        click.echo(_say(lang, "Attention : la feuille appartient au compte de service "
                              f"{api.identity.email} ; ajoutez --share VOTRE_EMAIL pour la voir",
                        "Warning: the sheet belongs to the service account "
                        f"{api.identity.email}; add --share YOUR_EMAIL to see it"), err=True)


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
