"""Usage errors in the user's language: ours, and click's own (an unknown option or
command, a missing argument, a value not among the choices, an option without its value,
extra arguments), worded from the catalogue. Apart from cli.py so that it stays a list of
commands. click's --help pages and its "Usage:" line stay in English (docs/words.md)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from .say import user_lang
from .words import langs, t


class Languages(click.Choice[str]):
    """--lang: the catalogue's languages when the command runs (one registered after this
    module was imported too, as the tests' stub third language)."""

    def __init__(self) -> None:
        super().__init__(langs())

    @property
    def choices(self) -> tuple[str, ...]:  # click ≥ 8.2 types it a tuple
        return tuple(langs())

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        pass  # click sets it once; the catalogue decides


class Usage(click.UsageError):
    """A usage error said in `lang`: click's usage line, then `Erreur : …` / `Error: …`."""

    def __init__(self, message: str, lang: str, ctx: click.Context | None = None) -> None:
        super().__init__(message, ctx)
        self.lang = lang

    def show(self, file: Any = None) -> None:
        ctx = self.ctx
        if ctx is not None:
            option = ctx.help_option_names[0]
            hint = (t("cli.try_help", self.lang, command=f"{ctx.command_path} {option}") + "\n"
                    if ctx.command.get_help_option(ctx) is not None else "")
            click.echo(f"{ctx.get_usage()}\n{hint}", file=file, err=file is None,
                       color=ctx.color)
        click.echo(t("cli.error", self.lang, message=self.format_message()), file=file,
                   err=file is None)


_NEEDS_VALUE = re.compile(r"requires (?:an argument|\d+ arguments)\.$")
_EXTRA = re.compile(r"^Got unexpected extra arguments? \((.*)\)$")


def _bare(hint: str | Sequence[str] | None) -> str:
    """click's `'--lang'` or `'-o' / '--output'` as this tool writes options: --lang."""
    text = hint if isinstance(hint, str) else " / ".join(hint or ())
    return text.replace("'", "")


def _close(names: Sequence[str] | None, lang: str) -> str:
    return t("cli.click.did_you_mean", lang, names=", ".join(names)) if names else ""


def worded(exc: click.UsageError, lang: str) -> str:
    """What click says, in `lang`: the common errors from the catalogue, any other as
    click words it."""
    if isinstance(exc, click.NoSuchOption):
        return t("cli.click.no_such_option", lang, name=exc.option_name,
                 hint=_close(exc.possibilities, lang))
    if isinstance(exc, click.exceptions.NoSuchCommand):
        return t("cli.click.no_such_command", lang, name=exc.command_name,
                 hint=_close(exc.possibilities, lang))
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        name = _bare(exc.param_hint or exc.param.get_error_hint(exc.ctx))
        kind = exc.param_type or exc.param.param_type_name
        return t("cli.click.missing_argument" if kind == "argument"
                 else "cli.click.missing_option", lang, name=name)
    if isinstance(exc, click.BadParameter) and exc.param is not None \
            and isinstance(exc.param.type, click.Choice):
        name = _bare(exc.param_hint or exc.param.get_error_hint(exc.ctx))
        choices = ", ".join(str(c) for c in exc.param.type.choices)
        return t("cli.bad_value", lang, option=name,
                 problem=t("cli.click.choose", lang, choices=choices))
    if isinstance(exc, click.BadOptionUsage) and _NEEDS_VALUE.search(exc.message):
        return t("cli.click.needs_value", lang, name=exc.option_name)
    extra = _EXTRA.match(exc.message)
    if type(exc) is click.UsageError and extra:
        return t("cli.click.extra_arguments", lang, args=extra.group(1))
    return exc.format_message()


@contextmanager
def in_words() -> Iterator[None]:
    """click's usage errors raised inside, said in the user's language (exit code 2)."""
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise  # shows the help page
    except Usage:
        raise
    except click.UsageError as exc:
        lang = user_lang()
        raise Usage(worded(exc, lang), lang, exc.ctx) from None


class Commands(click.Group):
    """The command group: click's usage errors, its own and its commands', in words."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        with in_words():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with in_words():
            return super().invoke(ctx)
