"""Dates, numbers and money as each language writes them (`14/05/2027`, `1 500 €`;
`2027-05-14`, `€1,500`), from the `fmt.*` ids of the catalogue: one place, every surface."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from . import catalogue, t

NONE = "—"  # a value that is not there, in every language


def date(d: dt.date, lang: str) -> str:
    return d.strftime(catalogue(lang)["fmt.date"])


def date_short(d: dt.date, lang: str) -> str:
    """Day and month only (a week's bounds, a Gantt's ticks)."""
    return d.strftime(catalogue(lang)["fmt.date_short"])


def date_long(d: dt.date, lang: str) -> str:
    """`14 mai 2027`, `14 May 2027`: a date in a sentence or an e-mail subject."""
    return t("fmt.date_long", lang, day=d.day, month=month(d.month, lang), year=d.year)


def month(m: int, lang: str) -> str:
    return catalogue(lang)[f"fmt.month{m}"]


def weekday(d: dt.date | int, lang: str) -> str:
    """The day's name; an int is Monday=0 as `date.weekday()` gives it."""
    return catalogue(lang)[f"fmt.weekday{d if isinstance(d, int) else d.weekday()}"]


def number(x: float | None, lang: str, digits: int = 0) -> str:
    """`1 500,5` or `1,500.5`; None is `—`."""
    if x is None:
        return NONE
    words = catalogue(lang)
    text = f"{half_up(x, digits):,.{digits}f}"
    return text.translate({ord(","): "\0", ord("."): words["fmt.decimal"]}).replace(
        "\0", words["fmt.thousands"])


def decimal(text: str, lang: str) -> str:
    """A number already written with a point (`2.5`), with the language's decimal mark."""
    return text.replace(".", catalogue(lang)["fmt.decimal"])


def money(x: float | None, lang: str, digits: int = 0) -> str:
    if x is None:
        return NONE
    return t("fmt.money", lang, n=number(x, lang, digits))


def percent(x: float | None, lang: str) -> str:
    """A ratio (1.24) as a percentage (`124 %`)."""
    if x is None:
        return NONE
    return t("fmt.percent", lang, n=f"{half_up(x * 100, 0):.0f}")


def half_up(x: float, digits: int) -> Decimal:
    """`x` rounded as a spreadsheet rounds (12.5 → 13; Python's 12), so that a figure in
    the report is the one the Dashboard shows. The float is first cut to 12 significant
    digits: 0.285 * 100 is 28.499999999999996, which a spreadsheet shows as 29."""
    return Decimal(f"{x:.12g}").quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def colon(lang: str) -> str:
    """What stands between a label and its value: French sets a space before the colon."""
    return catalogue(lang)["fmt.colon"]


def labelled(label: str, value: str, lang: str) -> str:
    """`Budget : 1 500 €` / `Budget: €1,500`."""
    return f"{label}{colon(lang)} {value}"


def sheet_date_format(lang: str, short: bool = False) -> str:
    """The spreadsheet number format of a date column."""
    return catalogue(lang)["fmt.xl_date_short" if short else "fmt.xl_date"]


def sheet_money_format(lang: str) -> str:
    return catalogue(lang)["fmt.xl_money"]
