"""One catalogue of every word a user sees, keyed by id; one package per language.

Each language is one package of this package (`fr/`, `en/`) whose `WORDS` maps id to text,
joined from one module an area (values, errors, check, report, cli) by `areas()`. A third
language is one more folder (or a single module): it is found by its name (two or three
lowercase letters) and must have every id of the French catalogue with the same
`{placeholders}`, or it is refused naming what is missing.
Per-language formats (dates, numbers, money) are ids too (`fmt.*`), used by `formats.py`.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from collections.abc import Mapping
from typing import Final

REFERENCE: Final = "fr"  # the language every other must cover, id for id
_NAME = re.compile(r"[a-z]{2,3}")

_catalogues: dict[str, Mapping[str, str]] = {}
_generation = [0]  # bumped on each registration, so caches of labels can follow


class CatalogueError(ValueError):
    """A catalogue misses ids, has unknown ones, or changes a text's placeholders."""


def fields(text: str) -> frozenset[str]:
    """The `{placeholders}` a text uses."""
    return frozenset(f.split(".")[0].split("[")[0]
                     for _, f, _, _ in string.Formatter().parse(text) if f)


def problems(words: Mapping[str, str], reference: Mapping[str, str]) -> list[str]:
    """What keeps `words` from standing in for `reference`: missing, extra, other fields."""
    out = [f"missing {k!r}" for k in reference if k not in words]
    out += [f"unknown {k!r}" for k in words if k not in reference]
    # `{s}` is a plural mark a language may not need where another does (French adjectives
    # agree, English ones do not): it is filled from `n` either way.
    out += [f"{k!r} uses {sorted(fields(words[k]))} instead of {sorted(fields(v))}"
            for k, v in reference.items()
            if k in words and not k.startswith("fmt.")
            and fields(words[k]) - {"s"} != fields(v) - {"s"}]
    return out


def register(lang: str, words: Mapping[str, str]) -> None:
    """Add (or replace) a language; refused unless it covers every id of the reference."""
    if not _NAME.fullmatch(lang):
        raise CatalogueError(f"language code {lang!r} is not 2-3 lowercase letters")
    if lang != REFERENCE:
        wrong = problems(words, catalogue(REFERENCE))
        if wrong:
            more = f" (+{len(wrong) - 10} more)" if len(wrong) > 10 else ""
            raise CatalogueError(f"catalogue {lang!r}: " + "; ".join(wrong[:10]) + more)
    _catalogues[lang] = dict(words)
    _generation[0] += 1


def areas(*parts: Mapping[str, str]) -> dict[str, str]:
    """A language's catalogue from its area modules; an id in two areas is refused (in one
    dict literal the second would silently win)."""
    words: dict[str, str] = {}
    for part in parts:
        twice = words.keys() & part.keys()
        if twice:
            raise CatalogueError(f"ids in two areas: {', '.join(sorted(twice))}")
        words.update(part)
    return words


def _discover() -> None:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if _NAME.fullmatch(m.name))
    for name in [REFERENCE] + [n for n in names if n != REFERENCE]:
        module = importlib.import_module(f"{__name__}.{name}")
        register(name, module.WORDS)


def catalogue(lang: str) -> Mapping[str, str]:
    try:
        return _catalogues[lang]
    except KeyError:
        raise CatalogueError(
            f"language {lang!r} is not one of {', '.join(langs())}") from None


def langs() -> tuple[str, ...]:
    """The languages there are, French first."""
    return tuple(_catalogues)


def generation() -> int:
    return _generation[0]


def plural_s(n: int, lang: str) -> str:
    """The plural mark for a count, by the language's rule (French: 0 and 1 are singular)."""
    rule = catalogue(lang)["fmt.plural"]
    singular = n <= 1 if rule == "n>1" else n == 1
    return "" if singular else catalogue(lang)["fmt.plural_mark"]


def t(key: str, lang: str, /, **params: object) -> str:
    """The text of `key` in `lang`, its `{placeholders}` filled; `{s}` follows `n`."""
    text = catalogue(lang)[key]
    if not params:
        return text
    if "s" not in params and isinstance(params.get("n"), int):
        params["s"] = plural_s(int(params["n"]), lang)  # type: ignore[call-overload]
    return text.format(**params)


def every(key: str) -> tuple[str, ...]:
    """`key`'s text in every language (what a reader accepts)."""
    return tuple(dict.fromkeys(c[key] for c in _catalogues.values()))


_discover()
