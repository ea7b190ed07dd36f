"""Working days: Monday–Friday minus public holidays minus the team's days off.

Holidays come from the `holidays` package, cached per country, region and year, as
workalendar does. Date arithmetic follows Excel's WORKDAY exactly so that the engine
and the spreadsheet's own formulas give the same dates.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable

import holidays

from .errors import PlanError, msg
from .labels import normalize
from .words import t

# Regions a French user types, mapped to the `holidays` subdivision codes.
_REGION_ALIASES = {
    "FR": {
        "57": "57", "fr 57": "57", "moselle": "57",
        "67": "6AE", "68": "6AE", "fr 67": "6AE", "fr 68": "6AE", "6ae": "6AE",
        "alsace": "6AE", "alsace moselle": "6AE", "bas rhin": "6AE", "haut rhin": "6AE",
    },
}


def subdivision(country: str, region: str) -> str | None:
    """The `holidays` subdivision for a region as typed (`Alsace-Moselle`, `FR-67`, `67`)."""
    try:
        cls = _country_class(country.strip().upper())
    except NotImplementedError:
        raise PlanError(msg("err.read.no_country", country=repr(country.strip()))) from None
    if not region.strip():
        return None
    country = country.strip().upper()
    known = cls.subdivisions
    key = normalize(region)
    alias = _REGION_ALIASES.get(country, {}).get(key)
    if alias:
        return alias
    prefix = normalize(country) + " "  # "FR-67"
    if key.startswith(prefix):
        key = key[len(prefix):]
    for code in known:
        if normalize(code) == key:
            return str(code)
    aliases = getattr(_country_class(country), "subdivisions_aliases", {})
    for name, code in aliases.items():
        if normalize(name) == key:
            return str(code)
    raise PlanError(msg("err.read.no_region", region=repr(region), country=country,
                        known=", ".join(str(c) for c in known)))


@functools.cache
def _country_class(country: str) -> type[holidays.HolidayBase]:
    return type(holidays.country_holidays(country))


@functools.cache
def public_holidays(country: str, subdiv: str | None, year: int, lang: str) -> dict[dt.date, str]:
    wanted = t("fmt.holidays_lang", lang)
    cls = _country_class(country)
    language = wanted if wanted in getattr(cls, "supported_languages", ()) else None
    cal = holidays.country_holidays(country, subdiv=subdiv, years=year, language=language)
    return dict(sorted(cal.items()))


class WorkCalendar:
    """Working days of one plan. Methods take and return `datetime.date`."""

    def __init__(
        self,
        country: str = "FR",
        region: str = "",
        days_off: Iterable[dt.date] = (),
    ) -> None:
        self.subdiv = subdivision(country, region)
        self.country = country.strip().upper()
        self.days_off = frozenset(days_off)
        self._first_year = 0
        self._last_year = -1
        self._days: list[int] = []  # ordinals of working days, sorted
        # (day, n) → WORKDAY(day, n): a plan asks the same few hundred days again and again.
        self._workday: dict[tuple[dt.date, int], dt.date] = {}
        self._round: dict[tuple[dt.date, int], dt.date] = {}

    def holidays(self, years: Iterable[int], lang: str = "fr") -> dict[dt.date, str]:
        out: dict[dt.date, str] = {}
        for y in years:
            out.update(public_holidays(self.country, self.subdiv, y, lang))
        return out

    def non_working(self, years: Iterable[int]) -> set[dt.date]:
        return set(self.holidays(years)) | set(self.days_off)

    def _cover(self, ordinal: int) -> None:
        year = dt.date.fromordinal(ordinal).year
        if self._first_year <= year <= self._last_year:
            return
        # Keep a margin of a year either side so WORKDAY steps never fall off the end.
        first = min(year - 1, self._first_year) if self._days else year - 1
        last = max(year + 1, self._last_year) if self._days else year + 1
        closed = {d.toordinal() for d in self.non_working(range(first, last + 1))}
        start = dt.date(first, 1, 1).toordinal()
        end = dt.date(last, 12, 31).toordinal()
        self._days = [
            o for o in range(start, end + 1) if (o - 1) % 7 < 5 and o not in closed
        ]  # ordinal 1 is a Monday
        self._first_year, self._last_year = first, last

    def is_working(self, day: dt.date) -> bool:
        o = day.toordinal()
        self._cover(o)
        i = bisect.bisect_left(self._days, o)
        return i < len(self._days) and self._days[i] == o

    def workday(self, day: dt.date, n: int) -> dt.date:
        """Excel's WORKDAY(day, n): the n-th working day after (n>0) or before (n<0) day."""
        if n == 0:
            return day
        known = self._workday.get((day, n))
        if known is None:
            known = self._workday[(day, n)] = self._step(day, n)
        return known

    def _step(self, day: dt.date, n: int) -> dt.date:
        o = day.toordinal()
        self._cover(o)
        if n > 0:
            i = bisect.bisect_right(self._days, o) + n - 1
        else:
            i = bisect.bisect_left(self._days, o) + n
        while not 0 <= i < len(self._days):
            self._cover(self._days[0] - 366 if i < 0 else self._days[-1] + 366)
            i = (bisect.bisect_right(self._days, o) + n - 1 if n > 0
                 else bisect.bisect_left(self._days, o) + n)
        return dt.date.fromordinal(self._days[i])

    def on_or_before(self, day: dt.date) -> dt.date:
        """The last working day not after `day` (Excel: WORKDAY(day + 1, -1))."""
        return self.workday(day + dt.timedelta(days=1), -1)

    def on_or_after(self, day: dt.date) -> dt.date:
        """The first working day not before `day` (Excel: WORKDAY(day - 1, 1))."""
        return self.workday(day - dt.timedelta(days=1), 1)

    def round_away(self, anchor: dt.date, offset: int) -> dt.date:
        """anchor + offset calendar days on a working day, moved away from the anchor:
        back before it (offset ≤ 0), forward after it, so what follows an event never
        lands before it (docs/dates.md)."""
        known = self._round.get((anchor, offset))
        if known is None:
            day = anchor + dt.timedelta(days=offset)
            known = self._round[(anchor, offset)] = (
                self.on_or_after(day) if offset > 0 else self.on_or_before(day))
        return known
