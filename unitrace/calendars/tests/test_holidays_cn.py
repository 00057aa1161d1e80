"""China's holidays and 调休 from the ``holidays`` package, checked day by day against
the independent ``chinese-calendar`` package."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import holidays
import pytest

from unitrace.calendars import holidays_cn
from unitrace.calendars.holidays_cn import DayKind


def days_of(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_day_agrees_with_chinese_calendar(year):
    disagree = [
        day
        for day in days_of(year)
        if holidays_cn.is_working_day(day) != chinese_calendar.is_workday(day)
    ]
    assert disagree == []


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_every_day_agrees_with_the_packages_own_is_working_day(year):
    cn = holidays.country_holidays("CN", years=year)
    assert [d for d in days_of(year) if holidays_cn.is_working_day(d) != cn.is_working_day(d)] == []


def test_the_2025_national_day_week():
    assert holidays_cn.day_kind(date(2025, 9, 28)) is DayKind.ADJUSTED_WORKDAY  # Sunday
    assert holidays_cn.day_kind(date(2025, 10, 11)) is DayKind.ADJUSTED_WORKDAY  # Saturday
    off = [date(2025, 10, d) for d in range(1, 9)]
    assert all(holidays_cn.day_kind(d) is DayKind.HOLIDAY for d in off)
    assert not any(holidays_cn.is_working_day(d) for d in off)
    assert holidays_cn.is_working_day(date(2025, 10, 9))
    assert holidays_cn.day_kind(date(2025, 10, 12)) is DayKind.NORMAL  # an ordinary Sunday
    assert not holidays_cn.is_working_day(date(2025, 10, 12))


def test_the_2026_spring_festival():
    assert holidays_cn.adjusted_workdays(2026) >= {date(2026, 2, 14), date(2026, 2, 28)}
    assert all(holidays_cn.day_kind(date(2026, 2, d)) is DayKind.HOLIDAY for d in range(15, 24))
    assert holidays_cn.is_working_day(date(2026, 2, 24))


def test_the_years_of_a_published_schedule():
    assert holidays_cn.schedule_published(2025)
    assert holidays_cn.schedule_published(2026)
    assert not holidays_cn.schedule_published(2099)


def test_a_year_without_a_notice_has_holidays_but_no_adjusted_working_days():
    """Known difference, not a disagreement: for a year the State Council has not
    published yet the package estimates the festival days and has no 调休 days (and
    chinese-calendar refuses the year altogether)."""
    year = 2099
    assert holidays_cn.days_off(year)
    assert holidays_cn.adjusted_workdays(year) == frozenset()
    assert holidays_cn.day_kind(date(year, 10, 1)) is DayKind.HOLIDAY
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(year, 10, 1))


# The one known difference: the 2024 notice gives 10 June off for the Dragon Boat
# Festival "与周末连休" (joined to the weekend); chinese-calendar leaves that weekend
# unnamed, we count it in the break. Neither package calls those days working days.
KNOWN_BREAK_DIFFERENCES = {2024: {date(2024, 6, 8), date(2024, 6, 9)}}


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_holiday_breaks_are_chinese_calendars_named_holidays(year):
    """A day is part of a break (weekends inside it included) exactly when
    chinese-calendar names a holiday for it and it is not worked, but for the known
    differences listed above."""
    ours = {d for d in days_of(year) if holidays_cn.day_kind(d) is DayKind.HOLIDAY}
    theirs = {
        d
        for d in days_of(year)
        if chinese_calendar.get_holiday_detail(d)[1] is not None
        and not chinese_calendar.is_workday(d)
    }
    assert ours ^ theirs == KNOWN_BREAK_DIFFERENCES.get(year, set())
