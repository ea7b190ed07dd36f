"""`retrosheet new`'s helpers: what it says, a plan written into Google Sheets, a past plan
re-anchored. Apart from cli.py so that it stays a list of commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import say
from .cli import UsageError, UserError, _bad_value, _fail, _sheet
from .errors import RetrosheetError
from .words import t

if TYPE_CHECKING:
    from .new import NewPlan


def say_new(made: NewPlan, where: str, release_date: dt.date, now: dt.date, lang: str) -> None:
    line, warning = say.new_plan(made, where, release_date, now, lang)
    click.echo(line)
    if warning:
        click.echo(warning, err=True)


def new_in_sheets(template: str, release: dt.date, now: dt.date, output: str | None,
                   gsheet: str | None, gsheet_new: str | None, share: str | None,
                   credentials: str | None, *, lang: str, country: str, region: str,
                   title: str, artist: str) -> None:
    """`new … --gsheet KEY|URL` or `--gsheet-new TITLE`: the plan written into Google Sheets
    (2 requests; 3 with --share)."""
    from .new import new_plan
    from .templates import WORKBOOK_SUFFIXES

    if gsheet and gsheet_new:
        raise UsageError("cli.usage.gsheet_both")
    if share and not gsheet_new:
        raise UsageError("cli.usage.share")
    if output:
        raise UsageError("cli.usage.output_sheet")
    if Path(template).suffix.lower() in WORKBOOK_SUFFIXES:
        raise UsageError("cli.usage.past_to_sheets")
    key = _sheet(gsheet) if gsheet else None
    if gsheet and key is None:
        raise _bad_value("--gsheet", "cli.usage.not_a_sheet", value=repr(gsheet))
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
        click.echo(t("cli.new.service_account", lang, email=api.identity.email), err=True)


def reanchor(src: Path, dest: Path, release: dt.date, macro: bool = False,
              lite: bool = False, lite_requirement: str | None = None) -> None:
    from .xlsx.edit import reanchor_file

    if not src.exists():
        raise UserError(t("cli.no_file", say.user_lang(), path=src))
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
    click.echo(say.reanchored(str(dest), len(edited.result.plan.tasks), src.name, release, lang))
