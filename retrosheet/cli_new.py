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
    from .actions import Creation
    from .store import NewTarget


def say_new(done: Creation, release_date: dt.date, now: dt.date, lang: str) -> None:
    line, warning = say.new_plan(done.made, done.written.where, release_date, now, lang)
    click.echo(line)
    if warning:
        click.echo(warning, err=True)
    owner = done.written.only_owner
    if owner is not None:
        click.echo(t("cli.new.service_account", lang, email=owner), err=True)


def new_path(template: str, output: str | None, release: dt.date, macro: bool,
             force: bool) -> tuple[Path, bool]:
    """The file `new` writes (checked), and whether TEMPLATE is a past plan's workbook."""
    from .templates import WORKBOOK_SUFFIXES

    from_workbook = Path(template).suffix.lower() in WORKBOOK_SUFFIXES
    suffix = ".xlsm" if macro else Path(template).suffix.lower() if from_workbook else ".xlsx"
    path = Path(output or f"{Path(template).stem}-{release.isoformat()}{suffix}")
    if path.suffix.lower() != suffix:
        raise _bad_value("-o", "cli.usage.suffix", name=path.name, suffix=suffix)
    if path.exists() and not force:
        raise UserError(t("cli.exists", say.user_lang(), path=path))
    return path, from_workbook


def sheet_target(template: str, output: str | None, gsheet: str | None,
                 gsheet_new: str | None, share: str | None,
                 credentials: str | None) -> NewTarget:
    """`new … --gsheet KEY|URL` or `--gsheet-new TITLE`: the Google Sheet to write the plan
    into (2 requests; 3 with --share), once the options are checked."""
    from .surfaces import new_target
    from .templates import WORKBOOK_SUFFIXES

    if gsheet and gsheet_new:
        raise UsageError("cli.usage.gsheet_both")
    if share and not gsheet_new:
        raise UsageError("cli.usage.share")
    if output:
        raise UsageError("cli.usage.output_sheet")
    if Path(template).suffix.lower() in WORKBOOK_SUFFIXES:
        raise UsageError("cli.usage.past_to_sheets")
    if gsheet_new:
        return new_target(gsheet_new, "new sheet", credentials=credentials, share=share)
    assert gsheet is not None
    key = _sheet(gsheet)
    if key is None:
        raise _bad_value("--gsheet", "cli.usage.not_a_sheet", value=repr(gsheet))
    return new_target(key, "sheet", credentials=credentials)


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
