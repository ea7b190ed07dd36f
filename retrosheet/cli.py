"""The `retrosheet` command line: a thin layer over the library.

Library errors (RetrosheetError) become one-line messages with exit code 2; nothing
here computes dates or knows a file format. Heavy imports stay inside the commands so
that `retrosheet --help` starts fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .cli_usage import Commands, Languages, Usage
from .errors import PlanError, RetrosheetError
from .say import user_lang
from .words import formats, t

if TYPE_CHECKING:
    from .checks import Finding
    from .label import LabelReport
    from .model import Plan
    from .report import Report

F = TypeVar("F", bound=Callable[..., Any])

EXIT_BAD_INPUT = 2
GSHEETS_WIRED = True  # PLAN may be a Google Sheets URL or key (retrosheet.gsheets)


class UserError(click.ClickException):
    """A RetrosheetError shown as `Erreur : …` / `Error: …` with exit code 2, in the plan's
    language (once read) or the user's."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, lang: str | None = None) -> None:
        super().__init__(message)
        self.lang = lang or user_lang()

    def show(self, file: Any = None) -> None:
        click.echo(t("cli.error", self.lang, message=self.format_message()),
                   file=file, err=file is None)


def _fail(exc: RetrosheetError) -> UserError:
    """The error in the plan's language (once read) or the user's."""
    lang = exc.lang or user_lang()
    return UserError(exc.line(lang), lang)


class UsageError(Usage):
    """A wrong option or combination, in the user's language under click's usage line."""

    def __init__(self, key: str, /, **params: object) -> None:
        lang = user_lang()
        super().__init__(t(key, lang, **params), lang)


def _bad_value(option: str, key: str, /, **params: object) -> UsageError:
    """An option's value that cannot be used: `valeur invalide pour --release : …`."""
    return UsageError("cli.bad_value", option=option, problem=t(key, user_lang(), **params))


def _parse_date(value: str | None, option: str) -> dt.date | None:
    from .values import BadValue, check_day

    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        try:
            day = dt.datetime.strptime(value.strip(), "%d/%m/%Y").date()
        except ValueError:
            raise _bad_value(option, "cli.not_a_date", value=repr(value)) from None
    try:
        return check_day(day)
    except BadValue as exc:  # no plan yet: the user's language
        lang = user_lang()
        raise UserError(formats.labelled(option, exc.said.text(lang), lang)) from None


def _today(value: str | None) -> dt.date:
    """The date `today` means: --today (tests, replays) or the machine's date."""
    return _parse_date(value, "--today") or dt.date.today()


def _today_option(f: F) -> F:
    return click.option(
        "--today", "today", metavar="DATE", hidden=True,
        help="Pretend today is DATE (for tests and replays).",
    )(f)


def _credentials_option(f: F) -> F:
    return click.option(
        "--credentials", metavar="FILE", type=click.Path(dir_okay=False),
        help="Google credentials for a PLAN in Google Sheets: a service account JSON key or "
             "an OAuth client file (default: GOOGLE_APPLICATION_CREDENTIALS).",
    )(f)


def _sheet(plan: str) -> str | None:
    """The spreadsheet key when PLAN is a Google Sheets URL or key, else None (a file)."""
    from .gsheets import sheet_key

    try:
        return sheet_key(plan)
    except RetrosheetError as exc:
        raise _fail(exc) from exc


def _write_text(text: str | Iterable[str], output: str | None, plans: list[str]) -> None:
    pieces = [text] if isinstance(text, str) else text  # a big report: written as made
    if output not in (None, "-"):
        return _write_file((p.encode("utf-8") for p in pieces), str(output), plans)
    for piece in pieces:
        click.echo(piece, nl=False)


def _is_sheet(spec: str) -> bool:
    try:
        return _sheet(spec) is not None
    except UserError:
        return False  # a malformed address: read_all lists it as unreadable


def _write_file(data: bytes | Iterable[bytes], output: str, plans: list[str]) -> None:
    """An output file: atomic, never over a plan being read or another workbook."""
    from .xlsx.safe import write_output

    try:
        write_output(Path(output), data,
                     reading=[Path(p) for p in plans if not _is_sheet(p)])
    except RetrosheetError as exc:
        raise _fail(exc) from exc


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="retrosheet")
def cli() -> None:
    """Plan a music release backward from its release day (rétroplanning).

    \b
    Example:
        retrosheet new single --release 2027-05-14 -o "Nuit blanche.xlsx"
    """


@cli.command(name="templates")
@click.option("--lang", type=Languages(), default="fr", show_default=True)
def templates_cmd(lang: str) -> None:
    """List the built-in templates.

    \b
    Example:
        retrosheet templates --lang en
    """
    from .new import new_plan
    from .templates import BUILTIN, describe

    for name in BUILTIN:
        made = new_plan(name, dt.date(2027, 1, 1), lang=lang)  # any day: rows, not dates
        followups = len(made.effective.added)
        click.echo(t("cli.templates.line", lang, name=f"{name:<9}", summary=describe(name, lang),
                     tasks=len(made.plan.tasks) - followups, followups=followups))


@cli.command(name="new")
@click.argument("template", required=False)
@click.option("--release", required=True, metavar="DATE",
              help="Release day J: YYYY-MM-DD or DD/MM/YYYY.")
@click.option("-o", "--output", "output", metavar="PATH", type=click.Path(dir_okay=False),
              help="Workbook to write (.xlsx; .xlsm with --macro). "
                   "Default: TEMPLATE-RELEASE.xlsx (.xlsm with --macro).")
@click.option("--lang", type=Languages(), default="fr", show_default=True,
              help="Language of the sheets, labels and dates.")
@click.option("--country", default="FR", show_default=True,
              help="Country whose public holidays are days off.")
@click.option("--region", default="", help="Region with extra holidays, e.g. Alsace-Moselle.")
@click.option("--title", default="", help="Title of the release.")
@click.option("--artist", default="", help="Artist name.")
@click.option("--from", "past", metavar="PAST", type=click.Path(dir_okay=False),
              help="A past plan (.xlsx/.xlsm) to re-anchor on the new date (same as "
                   "giving it as TEMPLATE).")
@click.option("--macro", is_flag=True,
              help="Write an .xlsm with Recalculer/Rapport buttons on Planning (Excel on "
                   "Windows or macOS, through xlwings; see docs/excel.md).")
@click.option("--xlwings-lite", "lite", is_flag=True,
              help="Add Recalculer/Rapport buttons run by the xlwings Lite add-in (Excel on "
                   "Windows, macOS and the web, no Python to install; see docs/excel.md).")
@click.option("--lite-requirement", metavar="SPEC",
              help="With --xlwings-lite: the retrosheet line of the workbook's "
                   "requirements.txt (default: this version from PyPI), e.g. the URL of a "
                   "wheel your team hosts.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option("--gsheet", metavar="KEY|URL",
              help="Write the plan into this existing Google Sheet (shared with you or your "
                   "service account) instead of a file.")
@click.option("--gsheet-new", "gsheet_new", metavar="TITLE",
              help="Create a new Google Sheet named TITLE for the plan.")
@click.option("--share", metavar="EMAIL",
              help="With --gsheet-new: let EMAIL edit the new sheet (needed when a service "
                   "account creates it).")
@_credentials_option
@_today_option
def new_cmd(template: str | None, release: str, output: str | None, lang: str, country: str,
            region: str, title: str, artist: str, past: str | None, macro: bool, lite: bool,
            lite_requirement: str | None, force: bool, gsheet: str | None,
            gsheet_new: str | None, share: str | None, credentials: str | None,
            today: str | None) -> None:
    """Create a plan workbook from a template for a release date.

    TEMPLATE is a built-in name (see `retrosheet templates`), a CSV file with the
    Planning columns, or a past plan (.xlsx) to re-anchor on the new date.

    \b
    Example:
        retrosheet new single --release 2027-05-14 -o "Nuit blanche.xlsx"
        retrosheet new single --release 2027-05-14 -o "Nuit blanche.xlsm" --macro
        retrosheet new single --release 2027-05-14 -o "Nuit blanche.xlsx" --xlwings-lite
    """
    from .actions import create_plan
    from .cli_new import new_path, reanchor, say_new, sheet_target
    from .surfaces import new_target

    if past and template:
        raise UsageError("cli.usage.template_and_from")
    template = past or template
    if not template:
        raise UsageError("cli.usage.no_template")
    release_date = _parse_date(release, "--release")
    assert release_date is not None
    now = _today(today)
    if macro and lite:
        raise UsageError("cli.usage.macro_and_lite")
    if lite_requirement and not lite:
        raise UsageError("cli.usage.lite_requirement")
    if gsheet or gsheet_new or share:
        if macro or lite:
            raise UsageError("cli.usage.file_not_sheet")
        target = sheet_target(template, output, gsheet, gsheet_new, share, credentials)
    else:
        path, from_workbook = new_path(template, output, release_date, macro, force)
        if from_workbook:
            reanchor(Path(template), path, release_date, macro, lite, lite_requirement)
            return
        target = new_target(str(path), macro=macro, lite=lite, lite_requirement=lite_requirement)
    try:
        done = create_plan(target, template, release_date, now, lang=lang, country=country,
                           region=region, title=title, artist=artist)
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    say_new(done, release_date, now, lang)


@cli.command(name="export")
@click.argument("plan", metavar="PLAN")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of the terminal.")
@_credentials_option
def export_cmd(plan: str, fmt: str, output: str | None, credentials: str | None) -> None:
    """Print the computed plan: one record per task, ISO dates.

    \b
    Example:
        retrosheet export "Nuit blanche.xlsx" --format csv -o plan.csv
    """
    from .effective import effective
    from .export import to_csv, to_json

    try:
        eff = effective(_open_plan(plan, credentials))
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    _write_text(to_json(eff.plan, eff.dates) if fmt == "json" else to_csv(eff.plan, eff.dates),
                output, [plan])


def _print_findings(findings: list[Finding]) -> None:
    for f in findings:
        click.echo(str(f))


@cli.command(name="recompute")
@click.argument("plan", metavar="PLAN")
@click.option("--dry-run", is_flag=True, help="Print the changes cell by cell; write nothing.")
@_credentials_option
@_today_option
def recompute_cmd(plan: str, dry_run: bool, credentials: str | None,
                  today: str | None) -> None:
    """Recompute dates, add missing follow-ups, refresh contacts' follow-up dates.

    Changes only the cells retrosheet owns (Début/Échéance, new follow-up rows, the
    contacts' Relance dates); every other sheet, cell, format and object is kept.

    \b
    Example:
        retrosheet recompute "Nuit blanche.xlsx" --dry-run
    """
    from . import say
    from .actions import recompute_store
    from .checks import check_plan
    from .surfaces import open_store, writing

    try:
        # The file is read and written back under retrosheet's lock (a dry run writes none).
        with contextlib.nullcontext() if dry_run else writing(plan):
            edited = recompute_store(open_store(plan, credentials), dry_run=dry_run)
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    lang = edited.loaded.plan.settings.lang
    name = edited.name
    if dry_run:
        for ch in edited.changes:
            click.echo(say.change(ch.update, ch.old, ch.new, lang))
    added = [task.id for task in edited.result.added]
    n = len(edited.changes)
    app = None
    if n == 0 and not dry_run:
        from .xlsx.safe import open_in

        app = None if _is_sheet(plan) else open_in(Path(plan))
    if app is None:
        click.echo(say.recompute_summary(name, n, added, lang, dry_run=dry_run))
    else:  # the file on disk is up to date; what the spreadsheet holds is not seen
        click.echo(t("cli.recompute.open_in", lang, name=name, app=app))
    if edited.respelled:  # a spreadsheet's save respelled them: not a change
        click.echo(t("cli.recompute.respelled", lang, n=edited.respelled))
    for skipped in edited.skipped:
        click.echo(skipped.message(lang), err=True)
    # Leftover follow-up rows are check's `orphan_followup` findings, at their cell.
    _print_findings(check_plan(edited.result.effective or edited.result.plan, _today(today)))


@cli.command(name="check")
@click.argument("plan", metavar="PLAN")
@_credentials_option
@_today_option
def check_cmd(plan: str, credentials: str | None, today: str | None) -> None:
    """Report what is redundant, incoherent or late in a plan; exit 1 on errors.

    \b
    Example:
        retrosheet check "Nuit blanche.xlsx"
    """
    from .actions import load_store, planned
    from .checks import check_plan, has_errors
    from .surfaces import open_store

    try:
        store = open_store(plan, credentials)
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    try:
        # The plan as recompute would leave it (hand-typed dates marked, the follow-ups
        # it would add added): what the checks look at.
        loaded, result = planned(store)
    except PlanError as exc:
        # Structural problems (cycles, duplicate IDs) are findings: list them all.
        try:
            findings = check_plan(load_store(store).plan, _today(today))
        except RetrosheetError:
            raise _fail(exc) from exc
        if not has_errors(findings):
            raise _fail(exc) from exc
        _print_findings(findings)
        sys.exit(1)
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    findings = check_plan(result.effective or result.plan, _today(today))
    lang = loaded.plan.settings.lang
    _print_findings(findings)
    if not findings:
        click.echo(t("cli.check.clean", lang))
    if has_errors(findings):
        sys.exit(1)


_STYLES: dict[str, tuple[str | None, bool | None]] = {  # role → colour, bold
    "title": (None, True), "late": ("red", None), "due": ("yellow", None), "ok": ("green", None)}


@cli.command(name="report")
@click.argument("plans", metavar="PLAN…", nargs=-1, required=True)
@click.option("--as-of", "as_of", metavar="DATE", help="Report as of DATE (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html", "json"]),
              default="text", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of the terminal.")
@click.option("--owner", metavar="NAME", help="Only this owner's tasks.")
@click.option("--write-sheet", is_flag=True,
              help="Also write the Report sheet and append to History in the plan.")
@click.option("--mail", is_flag=True,
              help="E-mail each owner their part (SMTP from RETROSHEET_SMTP_* variables).")
@click.option("--dry-run", is_flag=True, help="With --mail: write .eml files, send nothing.")
@click.option("--eml-dir", metavar="DIR", default="retrosheet-mails", show_default=True,
              help="With --mail --dry-run: where the .eml files go.")
@_credentials_option
@_today_option
def report_cmd(plans: tuple[str, ...], as_of: str | None, fmt: str, output: str | None,
               owner: str | None, write_sheet: bool, mail: bool, dry_run: bool, eml_dir: str,
               credentials: str | None, today: str | None) -> None:
    """The weekly report: late, due, who does what, follow-ups to send, what worked.

    Several PLANs (files, folders of plans, Google Sheets) give one label report: every
    release side by side, and what no single plan shows.

    \b
    Example:
        retrosheet report "Nuit blanche.xlsx" --as-of 2027-04-19 --format html -o semaine.html
        retrosheet report plans/ --owner Léa
    """
    from .actions import history_of, load_store, write_report
    from .effective import effective
    from .owners import owner_tasks
    from .report import build_report
    from .surfaces import open_store, writing

    day = _parse_date(as_of, "--as-of") or _today(today)
    if len(plans) > 1 or Path(plans[0]).is_dir():
        if write_sheet or mail:
            raise UsageError("cli.usage.one_plan")
        from .cli_label import label_report

        label_report(list(plans), day, fmt, output, owner, credentials)
        return
    plan = plans[0]
    try:
        # --write-sheet: the file is read and written back under retrosheet's lock.
        with writing(plan) if write_sheet else contextlib.nullcontext():
            store = open_store(plan, credentials)  # a Google Sheet: one request
            p = load_store(store).plan
            if owner is not None:
                owner_tasks(p, owner)  # a typo is refused with the closest names, as in ics
            eff = effective(p)
            past = history_of(store, p.settings.lang)  # each indicator's week-on-week change
            rep = build_report(eff, day, owner=owner, history=past)
            if write_sheet:  # a Google Sheet: one more request
                write_report(store, build_report(eff, day, history=past) if owner else rep)
        if mail:
            from .mail import SmtpConfig, plan_mailing, send, write_eml

            lang = p.settings.lang
            # Check the SMTP settings before building anything to send.
            config = None if dry_run else SmtpConfig.from_env(os.environ)
            sender = config.sender if config else os.environ.get("RETROSHEET_SMTP_FROM")
            mailing = plan_mailing(eff, day, (sender or "").strip() or None,
                                   now=dt.datetime.now(dt.UTC), history=past)
            if mailing.skipped:
                click.echo(t("cli.mail.no_email", lang, names=", ".join(mailing.skipped)),
                           err=True)
            if config is None:
                paths = write_eml(mailing.messages, Path(eml_dir))
                click.echo(t("cli.mail.written", lang, n=len(paths), folder=eml_dir), err=True)
            else:
                sent = send(mailing.messages, config)
                click.echo(t("cli.mail.sent", lang, n=sent), err=True)
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    del p, eff  # a 100,000-task plan is not needed to write its report: memory back
    _write_text(_render(rep, fmt, output), output, [plan])


def _render(rep: Report | LabelReport, fmt: str, output: str | None) -> str | Iterable[str]:
    """A report in `fmt`: on a terminal, in colours and wrapped to its width."""
    from .rendering import render_report

    if not (output in (None, "-") and sys.stdout.isatty()):
        return render_report(rep, fmt)

    def style(text: str, role: str) -> str:
        fg, bold = _STYLES.get(role, (None, None))
        return click.style(text, fg=fg, bold=bold)

    return render_report(rep, fmt, style, shutil.get_terminal_size().columns)


@cli.command(name="ics")
@click.argument("plan", metavar="PLAN")
@click.option("--owner", metavar="NAME", help="Only this owner's deadlines.")
@click.option("-o", "--output", metavar="FILE", required=True, help="The .ics file to write.")
@_credentials_option
def ics_cmd(plan: str, owner: str | None, output: str, credentials: str | None) -> None:
    """Export deadlines and follow-ups as a calendar (.ics) with reminders.

    \b
    Example:
        retrosheet ics "Nuit blanche.xlsx" --owner Léa -o lea.ics
    """
    from .effective import effective
    from .ics import plan_to_ics

    try:
        eff = effective(_open_plan(plan, credentials))
        data = plan_to_ics(eff.plan, eff.dates, owner=owner, now=dt.datetime.now(dt.UTC))
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    _write_file(data, output, [plan])


@cli.command(name="libreoffice-extension")
@click.option("-o", "--output", metavar="PATH", default="retrosheet.oxt", show_default=True,
              type=click.Path(dir_okay=False), help="The extension (.oxt) to write.")
def libreoffice_extension_cmd(output: str) -> None:
    """Write the LibreOffice extension: Recalculer/Rapport buttons in Calc.

    \b
    Example:
        retrosheet libreoffice-extension -o retrosheet.oxt
    Then double-click retrosheet.oxt (or: unopkg add retrosheet.oxt); see
    docs/libreoffice.md.
    """
    from .libreoffice.oxt import build_oxt

    try:
        built = build_oxt(Path(output))
    except RetrosheetError as exc:
        raise _fail(exc) from exc
    lang = user_lang()
    click.echo(t("cli.oxt.built", lang, path=built.path,
                 size=formats.number(built.size / 1e6, lang, 1), files=built.files,
                 packages=", ".join(built.packages)))


def _open_plan(spec: str, credentials: str | None = None) -> Plan:
    """The plan PLAN names, as typed (read through its store)."""
    from .actions import load_store
    from .surfaces import open_store

    return load_store(open_store(spec, credentials)).plan


def main() -> None:
    from .xlsx.safe import Interrupted

    # One command, one short process: the cycle collector would walk every object of a
    # 100,000-task plan again and again as it grows (a third of `report`'s CPU) to find
    # cycles that are not there; reference counting frees the rest as before.
    gc.disable()
    try:
        cli.main(standalone_mode=True)
    except Interrupted as exc:  # a write stopped by a signal: its temporary file is gone
        sys.exit(128 + exc.signum)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)
    except OSError as exc:  # a file the library did not name itself: still one line
        lang, text = user_lang(), str(exc.strerror or exc)
        said = formats.labelled(str(exc.filename), text, lang) if exc.filename else text
        click.echo(t("cli.error", lang, message=said), err=True)
        sys.exit(EXIT_BAD_INPUT)


if __name__ == "__main__":  # pragma: no cover
    main()
