"""China's public holidays and adjusted working days (调休), from the ``holidays`` package.

Every year the State Council publishes which days are off around each festival and
which weekend days are worked instead (调休上班). The ``holidays`` package keeps both:
its CN calendar lists the days off (the statutory holidays and the weekdays given off in
exchange) and, as ``weekend_workdays``, the Saturdays and Sundays that are working days.
Its own ``is_working_day`` combines them; the tests check it day by day against the
independent ``chinese-calendar`` package for every year both know.

A year whose notice is not in the installed package yet (the notice comes out in
November for the next year) is still computed, from the statutory rules: festival days
and weekend holidays moved to the next weekday, but no 调休 working days. A company
enters those as calendar exceptions until the package is upgraded;
:func:`schedule_published` tells which years are known.

Each year is read once and kept (a year is two small frozensets of dates).
"""

from __future__ import annotations

import enum
from datetime import date, timedelta
from functools import cache

import holidays
from holidays.countries.china import China, ChinaStaticHolidays

# The years the CN calendar of ``holidays`` covers at all (``China.start_year`` ..
# ``China.end_year``); outside them it knows no holiday.
FIRST_YEAR = China.start_year
LAST_YEAR = China.end_year


class DayKind(enum.Enum):
    """What the national schedule makes of one date."""

    NORMAL = "normal"  # an ordinary weekday or weekend day: the calendar's own hours
    HOLIDAY = "holiday"  # a public holiday or a weekday given off in exchange (放假)
    ADJUSTED_WORKDAY = "adjusted_workday"  # a weekend day worked instead (调休上班)


@cache
def _published(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend days worked) of one year as the package lists them."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return frozenset(), frozenset()
    cn = holidays.country_holidays("CN", years=year)
    days_off = frozenset(d for d in cn if d.year == year)
    worked = frozenset(d for d in cn.weekend_workdays if d.year == year)
    return days_off, worked


@cache
def _year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend days worked) of one year, the weekends of each break included.

    The package lists the holidays and the weekdays given off, not the Saturday and
    Sunday inside a break (国庆 2025: 1–8 October off, the 4th and 5th being a weekend);
    the notice counts them in the break, and so does chinese-calendar. It matters to a
    calendar that works on Saturdays: it is closed for the whole break. A weekend day
    (not worked) belongs to a break when the run of resting days around it holds a day
    off; the neighbouring years are looked at, for a break across New Year.
    """
    off_all: set[date] = set()
    worked_all: set[date] = set()
    for y in (year - 1, year, year + 1):
        off, worked = _published(y)
        off_all |= off
        worked_all |= worked

    def resting(day: date) -> bool:
        return day in off_all or (day.weekday() >= 5 and day not in worked_all)

    def in_break(day: date) -> bool:
        for step in (timedelta(days=-1), timedelta(days=1)):
            other = day + step
            while resting(other):
                if other in off_all:
                    return True
                other += step
        return False

    off, worked = _published(year)
    breaks = set(off)
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() >= 5 and day not in worked and day not in off and in_break(day):
            breaks.add(day)
        day += timedelta(days=1)
    return frozenset(breaks), worked


def days_off(year: int) -> frozenset[date]:
    """Every day of ``year``'s holiday breaks: the public holidays, the weekdays given off
    in exchange and the weekend days inside a break."""
    return _year(year)[0]


def adjusted_workdays(year: int) -> frozenset[date]:
    """The Saturdays and Sundays of ``year`` that are working days (调休上班)."""
    return _year(year)[1]


def day_kind(day: date) -> DayKind:
    """Holiday, adjusted working day, or an ordinary day (the calendar decides those)."""
    off, worked = _year(day.year)
    if day in worked:
        return DayKind.ADJUSTED_WORKDAY
    if day in off:
        return DayKind.HOLIDAY
    return DayKind.NORMAL


def is_working_day(day: date) -> bool:
    """True on a national working day: Monday to Friday unless a holiday or a day given
    off, and the Saturdays and Sundays of 调休 (the ``holidays`` package's definition)."""
    kind = day_kind(day)
    if kind is DayKind.NORMAL:
        return day.weekday() < 5
    return kind is DayKind.ADJUSTED_WORKDAY


def schedule_published(year: int) -> bool:
    """Does the installed package carry the State Council's notice for ``year``?

    The package lists each published year's exchanged days in
    ``ChinaStaticHolidays.special_public_holidays``; a later year is only estimated (no
    调休 working days), so a calendar for it should be checked once the notice is out.
    """
    published = getattr(ChinaStaticHolidays, "special_public_holidays", {})
    return bool(published) and min(published) <= year <= max(published)
