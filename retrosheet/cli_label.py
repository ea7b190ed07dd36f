"""`retrosheet report PLAN PLAN…`: the label's report over several plans. Apart from
cli.py so that it stays a list of commands."""

from __future__ import annotations

import datetime as dt
import sys

import click

from .cli import EXIT_BAD_INPUT, UserError, _is_sheet, _open_plan, _render, _write_text
from .errors import RetrosheetError
from .model import Plan
from .say import user_lang
from .words import t


def label_report(specs: list[str], day: dt.date, fmt: str, output: str | None,
                  owner: str | None, credentials: str | None) -> None:
    """`report PLAN PLAN…`: the label's report; exit 2 when a plan could not be read."""
    import threading

    from .label import Unreadable, build_label_report, known_people, release_of
    from .label_people import closest_names
    from .portfolio import expand, not_plans, read_all

    paths = expand(specs, _sheet_key)
    if not paths:
        raise UserError(t("cli.label.no_plan", user_lang(), specs=", ".join(specs)))
    lock = threading.Lock()
    show_bar = len(paths) > 5 and sys.stderr.isatty()
    with click.progressbar(length=len(paths), file=sys.stderr,
                           label=t("cli.label.progress", user_lang()),
                           hidden=not show_bar) as bar:
        def tick(_: str) -> None:
            with lock:
                bar.update(1)

        read, failed = read_all(paths, lambda s: _open_one(s, credentials), on_done=tick,
                                is_sheet=_is_sheet, name=_name)
    failed, skipped = not_plans(failed, specs)
    lang = report_lang([p for _, p in read])
    for u in skipped:
        click.echo(t("cli.label.not_a_plan", lang, name=u.name), err=True)
    if not read and not failed:  # folders of workbooks none of which is a plan
        raise UserError(t("cli.label.no_plan", lang, specs=", ".join(specs)))
    if owner is not None and read:
        known = known_people([p for _, p in read])
        if not any(_same_person(owner, k) for k in known):
            close = closest_names(owner, known)
            hint = t("cli.label.did_you_mean", lang, names=", ".join(close)) if close else ""
            raise UserError(t("cli.label.no_task", lang, owner=repr(owner), hint=hint), lang)
    releases = []
    for spec, p in read:
        try:
            releases.append(release_of(_name(spec), p, day))
        except RetrosheetError as exc:  # read, but not a plan one can date (a cycle…)
            failed.append(Unreadable(_name(spec), exc, spec))
    rep = build_label_report(releases, day, lang=lang, owner=owner, unreadable=failed)
    _write_text(_render(rep, fmt, output), output, paths)
    if failed:
        for u in failed:
            click.echo(t("cli.label.unreadable", lang, name=u.name, error=u.text(lang)), err=True)
        sys.exit(EXIT_BAD_INPUT)


def report_lang(plans: list[Plan]) -> str:
    """The plans' language when they all speak one, else the user's: a label's report does
    not change language with the name of the file that sorts first."""
    langs = {p.settings.lang for p in plans}
    return langs.pop() if len(langs) == 1 else user_lang()


def _open_one(spec: str, credentials: str | None) -> Plan:
    """One plan of a label report: a usage error there is that plan's, not the run's."""
    try:
        return _open_plan(spec, credentials)
    except UserError as exc:
        raise RetrosheetError(exc.message) from exc


def _same_person(a: str, b: str) -> bool:
    from .label_people import fold

    return fold(a) == fold(b)


def _name(spec: str) -> str:
    from .portfolio import display_name

    return display_name(spec, _sheet_key)


def _sheet_key(spec: str) -> str | None:
    """A Sheet's key whether given by URL or key (a malformed address: read_all lists it
    as unreadable)."""
    from .gsheets import sheet_key

    try:
        return sheet_key(spec)
    except RetrosheetError:
        return None
