"""The one catalogue of words: every language covers every id, a third language is one file,
and no module keeps words of its own."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrosheet import words
from retrosheet.errors import PlanError, PlanErrors, msg
from retrosheet.labels import Axis, Status, planning_key, sheet_key
from retrosheet.words import CatalogueError, catalogue, fields, formats, problems, t

ROOT = Path(__file__).resolve().parents[1] / "retrosheet"


def stub(lang: str) -> dict[str, str]:
    """A third language made from the English file: every text marked ⟦…⟧, placeholders
    kept, formats English (a real translation file writes its own)."""
    en = catalogue("en")
    return {k: v if k.startswith("fmt.") else f"⟦{v}⟧" for k, v in en.items()}


@pytest.fixture
def third() -> Iterator[str]:
    words.register("xx", stub("xx"))
    try:
        yield "xx"
    finally:
        words._catalogues.pop("xx")
        words._generation[0] += 1


def test_french_and_english_have_the_same_ids_and_placeholders() -> None:
    assert problems(catalogue("en"), catalogue("fr")) == []
    assert words.langs()[:2] == ("fr", "en")


def test_a_third_language_is_one_catalogue(third: str) -> None:
    assert third in words.langs()
    assert t("status.done", third) == "⟦Done⟧"
    assert Status.DONE.label(third) == "⟦Done⟧"
    # What a user types in the third language is read back like French and English.
    assert Status.parse("⟦Done⟧") is Status.DONE
    assert Axis.parse("⟦Radio⟧") is Axis.RADIO
    assert planning_key("⟦Deadline⟧") == "deadline"
    assert sheet_key("⟦Settings⟧") == "settings"
    assert "⟦Done⟧" in Status.DONE.every()
    err = PlanError(msg("err.more", n=3), sheet="Planning", cell="A2")
    assert err.line(third) == "Planning!A2: ⟦+3 more problems⟧"


def test_an_incomplete_catalogue_is_refused_naming_what_is_missing() -> None:
    words_ = stub("xy")
    del words_["status.done"]
    words_["err.task"] = "⟦tâche⟧"  # lost its {task}
    words_["nope.extra"] = "x"
    with pytest.raises(CatalogueError) as exc:
        words.register("xy", words_)
    text = str(exc.value)
    assert "missing 'status.done'" in text
    assert "unknown 'nope.extra'" in text
    assert "'err.task' uses [] instead of ['task']" in text
    assert "xy" not in words.langs()


def test_language_codes_are_checked() -> None:
    with pytest.raises(CatalogueError, match="'Fr' is not 2-3 lowercase letters"):
        words.register("Fr", stub("fr"))


def test_fields() -> None:
    assert fields("{n} tâche{s} de {who.name}") == {"n", "s", "who"}


def test_plural_follows_each_language() -> None:
    assert [t("err.more", "fr", n=n) for n in (1, 2)] == [
        "+1 autre problème", "+2 autres problèmes"]
    assert [t("err.more", "en", n=n) for n in (1, 2)] == [
        "+1 more problem", "+2 more problems"]
    assert words.plural_s(0, "fr") == "" and words.plural_s(0, "en") == "s"


@pytest.mark.parametrize(("lang", "want"), [
    ("fr", ("14/05/2027", "14/05", "14 mai 2027", "1\u202f500\u202f€", "1\u202f234,5",
            "124\u202f%", "vendredi")),
    ("en", ("2027-05-14", "05-14", "14 May 2027", "€1,500", "1,234.5", "124%", "Friday")),
])
def test_formats(lang: str, want: tuple[str, ...]) -> None:
    d = dt.date(2027, 5, 14)
    got = (formats.date(d, lang), formats.date_short(d, lang), formats.date_long(d, lang),
           formats.money(1500, lang), formats.number(1234.5, lang, 1),
           formats.percent(1.24, lang), formats.weekday(d, lang))
    assert got == want
    assert formats.money(None, lang) == "—"


@pytest.mark.parametrize(("ratio", "want"), [(0.125, "13"), (0.375, "38"), (0.285, "29"),
                                            (0.124, "12"), (1.005, "101")])
def test_a_percentage_is_rounded_as_the_dashboard_rounds_it(ratio: float, want: str) -> None:
    # 1 playlist add of 8 is 13 % on the Dashboard (the spreadsheet rounds half up): the
    # report said 12 % (Python rounds half to even), 3 of 8 gave 38 % on both.
    assert formats.percent(ratio, "en") == f"{want}%"
    assert formats.number(2.5, "en") == "3" and formats.money(0.125, "en", 2) == "€0.13"


def test_errors_are_put_into_words_in_the_language_they_are_shown_in() -> None:
    one = PlanError(msg("err.more", n=2), task="T010")
    assert one.line("fr") == "tâche T010 : +2 autres problèmes"
    assert one.line("en") == "task T010: +2 more problems"
    many = PlanErrors([PlanError(msg("err.more", n=1), sheet="S", cell=f"A{i}")
                       for i in range(PlanErrors.SHOWN + 2)], "en")
    assert many.line().splitlines()[-1] == "+2 more problems"
    assert many.line("fr").splitlines()[-1] == "+2 autres problèmes"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_error_line_and_a_finding_line_set_the_colon_alike(lang: str) -> None:
    """French writes `Planning!L3 (T020) : …` (a space before the colon, as the findings
    already did); English `Planning!L3 (T020): …`."""
    from retrosheet.checker import Finding
    from retrosheet.rules import Severity

    err = PlanError(msg("err.more", n=2), sheet="Planning", cell="L3", task="T020")
    finding = Finding(Severity.ERROR, "x", "m", task="T020", sheet="Planning", cell="L3",
                      lang=lang)
    colon = " :" if lang == "fr" else ":"
    assert err.line(lang) == f"Planning!L3 (T020){colon} {t('err.more', lang, n=2)}"
    assert str(finding) == f"Planning!L3 (T020) {Severity.ERROR.label(lang)}{colon} m"
    assert PlanError(msg("err.more", n=2), sheet="Planning").line(lang).startswith(
        f"Planning{colon} ")


def test_french_texts_set_a_space_before_colons_semicolons_and_marks() -> None:
    tight = re.compile(r"[^\s\u00a0\u202f][:;?!](?=\s|$)")
    wrong = {k: v for k, v in catalogue("fr").items()
             if tight.search(re.sub(r"https?://\S+", "", re.sub(r"\{[^}]*\}", "x", v)))}
    assert wrong == {}


# -- every id a module names is in the catalogue; no module keeps words of its own ----------

_KEY_CALL = re.compile(r"""\b(?:t|msg|Msg|word)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def _sources() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if p.relative_to(ROOT).parts[0] != "words")


def test_every_literal_id_is_in_the_catalogue() -> None:
    known = catalogue("fr")
    missing = {(p.relative_to(ROOT).as_posix(), k) for p in _sources()
               for k in _KEY_CALL.findall(p.read_text(encoding="utf-8")) if k not in known}
    assert missing == set()


def test_the_indicators_section_names_its_ids_literally() -> None:
    """render_indicators.py called t() through wrappers (iw, w) that built the id: the test
    above could not see them. Every t() there now names its id, so a missing one fails."""
    import ast

    tree = ast.parse((ROOT / "render_indicators.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name) and n.func.id == "t"]
    assert len(calls) >= 10
    assert all(isinstance(c.args[0], ast.Constant) for c in calls)
    assert {c.args[0].value for c in calls if isinstance(c.args[0], ast.Constant)} <= set(
        catalogue("fr"))


# A word in a module instead of the catalogue: a test of the language, or a (fr, en) table.
_OWN_WORDS = re.compile(
    r"""lang\s*[!=]=\s*["'](?:fr|en)["']|["']fr["']\s+if\b|\bfr\s+if\s+lang\b"""
    r"""|(?:dict|Mapping)\[str,\s*tuple\[str,\s*str\]\]\s*=\s*\{""")

# Modules whose words still wait to move into the catalogue. This list only shrinks: a
# module that leaves it may not come back, and one still listed must still need it.
NOT_YET: frozenset[str] = frozenset()


def test_no_module_keeps_words_of_its_own() -> None:
    own = {p.relative_to(ROOT).as_posix() for p in _sources()
           if _OWN_WORDS.search(p.read_text(encoding="utf-8"))}
    assert own - NOT_YET == set(), "words outside the catalogue (retrosheet/words/)"
    assert NOT_YET - own == set(), "moved to the catalogue: take it off NOT_YET"


@pytest.mark.parametrize(("env", "want"), [
    ({"RETROSHEET_LANG": "en"}, "en"),
    ({"LC_ALL": "en_GB.UTF-8"}, "en"),
    ({"LANG": "fr_CA.UTF-8"}, "fr"),
    ({"LANG": "de_DE.UTF-8"}, "fr"),  # a language retrosheet does not speak: French
    ({"LANG": "C.UTF-8"}, "fr"),
    ({}, "fr"),
])
def test_the_users_language_when_no_plan_decides(
        monkeypatch: pytest.MonkeyPatch, env: dict[str, str], want: str) -> None:
    from retrosheet.cli import user_lang

    for var in ("RETROSHEET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert user_lang() == want
