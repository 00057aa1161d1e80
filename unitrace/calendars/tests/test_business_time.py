"""Business time on fixed moments (no real clock): due times over holidays and 调休, the
lunch gap, 24×7 across midnight, exceptions, pauses, other time zones."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from unitrace.calendars.business_time import (
    CalendarError,
    add_business,
    add_business_us,
    business_between,
    business_between_us,
    due_with_pauses,
    elapsed_with_pauses,
    from_us,
    is_open,
    make_spec,
    to_us,
    windows_on,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
H = timedelta(hours=1)
OFFICE_DAY = [("09:00", "12:00"), ("13:00", "18:00")]


def every(days, windows) -> dict:
    return {day: list(windows) for day in days}


def at(*args, tz=SH) -> datetime:
    return datetime(*args, tzinfo=tz)


@pytest.fixture(scope="module")
def office():
    """The default calendar: Mon–Fri 9–12 and 13–18, China's holidays and 调休."""
    return make_spec(week=every(range(5), OFFICE_DAY), observe_holidays=True)


@pytest.fixture(scope="module")
def always():
    return make_spec(always_open=True)


# --- the Friday 17:30 cases ----------------------------------------------------------


def test_an_urgent_order_before_the_2025_national_day_lands_on_the_adjusted_sunday(office):
    # Friday 26 September 17:30: half an hour left that day, Saturday off, Sunday the
    # 28th is a 调休 working day
    assert add_business(office, at(2025, 9, 26, 17, 30), H) == at(2025, 9, 28, 9, 30)


def test_the_last_evening_before_the_holiday_week_waits_for_the_ninth(office):
    # Tuesday 30 September 17:30: 1–8 October are off, Thursday the 9th is the next day
    due = add_business(office, at(2025, 9, 30, 17, 30), H)
    assert due == at(2025, 10, 9, 9, 30)
    assert business_between(office, at(2025, 9, 30, 17, 30), due) == H


def test_the_friday_after_the_holiday_runs_into_the_adjusted_saturday(office):
    assert add_business(office, at(2025, 10, 10, 17, 30), H) == at(2025, 10, 11, 9, 30)


def test_the_2026_spring_festival(office):
    friday = at(2026, 2, 13, 17, 30)  # Saturday the 14th is worked, 15–23 February off
    assert add_business(office, friday, H) == at(2026, 2, 14, 9, 30)
    # half an hour on Friday, eight on the adjusted Saturday, then Tuesday the 24th
    assert add_business(office, friday, 9 * H) == at(2026, 2, 24, 9, 30)
    assert business_between(office, friday, at(2026, 2, 24, 9, 30)) == 9 * H


def test_without_holidays_the_same_friday_is_an_ordinary_weekend():
    plain = make_spec(week=every(range(5), OFFICE_DAY))
    assert add_business(plain, at(2025, 9, 26, 17, 30), H) == at(2025, 9, 29, 9, 30)
    assert add_business(plain, at(2025, 9, 30, 17, 30), H) == at(2025, 10, 1, 9, 30)


def test_a_week_of_holiday_counts_nothing(office):
    assert business_between(office, at(2025, 10, 1), at(2025, 10, 9)) == timedelta(0)
    assert windows_on(office, date(2025, 10, 4)) == ()
    assert windows_on(office, date(2025, 9, 28)) == ((9 * 3600, 12 * 3600), (13 * 3600, 18 * 3600))


# --- within a day ----------------------------------------------------------------------


def test_the_lunch_gap_is_skipped(office):
    assert add_business(office, at(2025, 11, 3, 11, 30), H) == at(2025, 11, 3, 13, 30)
    assert business_between(office, at(2025, 11, 3, 11), at(2025, 11, 3, 14)) == 2 * H
    assert business_between(office, at(2025, 11, 3, 12, 10), at(2025, 11, 3, 12, 50)) == timedelta(
        0
    )


def test_a_due_time_on_the_end_of_a_window_is_that_end(office):
    assert add_business(office, at(2025, 11, 3, 11), H) == at(2025, 11, 3, 12)
    assert add_business(office, at(2025, 11, 3, 17), H) == at(2025, 11, 3, 18)


def test_a_start_outside_the_windows_begins_at_the_next_one(office):
    assert add_business(office, at(2025, 11, 3, 6), H) == at(2025, 11, 3, 10)
    assert add_business(office, at(2025, 11, 3, 12, 30), H) == at(2025, 11, 3, 14)
    assert add_business(office, at(2025, 11, 3, 20), H) == at(2025, 11, 4, 10)


def test_a_zero_duration_is_the_start_itself(office):
    assert add_business(office, at(2025, 11, 3, 20), timedelta(0)) == at(2025, 11, 3, 20)


def test_several_windows_a_day():
    shifts = make_spec(
        week=every(range(7), [("06:00", "10:00"), ("11:00", "15:00"), ("16:00", "20:00")])
    )
    start = at(2025, 11, 3, 9)
    assert add_business(shifts, start, 6 * H) == at(2025, 11, 3, 17)
    assert business_between(shifts, at(2025, 11, 3), at(2025, 11, 4)) == 12 * H
    assert is_open(shifts, at(2025, 11, 3, 11)) and not is_open(shifts, at(2025, 11, 3, 10))


def test_the_result_is_in_the_calendars_zone(office):
    due = add_business(office, datetime(2025, 11, 3, 1, 0, tzinfo=UTC), H)  # 09:00 Shanghai
    assert due.tzinfo.key == "Asia/Shanghai" and due == at(2025, 11, 3, 10)


# --- 24×7 ---------------------------------------------------------------------------------


def test_24x7_runs_over_midnight_without_a_gap(always):
    assert add_business(always, at(2025, 11, 3, 23, 30), H) == at(2025, 11, 4, 0, 30)
    assert business_between(always, at(2025, 11, 3, 23), at(2025, 11, 4, 1)) == 2 * H


def test_24x7_runs_through_a_holiday_and_new_year(always):
    assert business_between(always, at(2025, 9, 30, 18), at(2025, 10, 9, 18)) == 9 * 24 * H
    assert add_business(always, at(2025, 12, 31, 23), 2 * H) == at(2026, 1, 1, 1)


def test_windows_to_midnight_join_the_next_days_windows():
    """An evening window to 24:00 and the next morning's from 00:00 are one stretch."""
    nights = make_spec(week=every(range(7), [("00:00", "06:00"), ("18:00", "24:00")]))
    assert add_business(nights, at(2025, 11, 3, 23, 30), H) == at(2025, 11, 4, 0, 30)
    assert is_open(nights, at(2025, 11, 4, 0, 0))


# --- exceptions -----------------------------------------------------------------------


def test_exceptions_close_a_day_and_open_another():
    spec = make_spec(
        week=every(range(5), OFFICE_DAY),
        observe_holidays=True,
        exceptions={
            date(2025, 11, 3): [],  # a company shutdown on a Monday
            date(2025, 11, 8): [("10:00", "14:00")],  # a Saturday with its own hours
            date(2025, 10, 3): None,  # worked in the holiday, a working day's hours
        },
    )
    friday = at(2025, 10, 31, 17, 30)
    assert add_business(spec, friday, H) == at(2025, 11, 4, 9, 30)
    assert add_business(spec, at(2025, 11, 7, 17, 30), H) == at(2025, 11, 8, 10, 30)
    assert business_between(spec, at(2025, 10, 1), at(2025, 10, 9)) == 8 * H
    assert windows_on(spec, date(2025, 10, 3)) == windows_on(spec, date(2025, 10, 9))


# --- the property ----------------------------------------------------------------------


def test_between_undoes_add_for_many_random_starts(office):
    rng = random.Random(20251001)
    base = at(2024, 1, 1)
    for _ in range(2000):
        start = base + timedelta(
            seconds=rng.randrange(3 * 365 * 86400), microseconds=rng.randrange(10**6)
        )
        duration = timedelta(
            seconds=rng.randrange(1, 120 * 86400), microseconds=rng.randrange(10**6)
        )
        due = add_business(office, start, duration)
        assert due > start
        assert business_between(office, start, due) == duration
        # the due time is the first moment the duration is reached
        assert business_between(office, start, due - timedelta(microseconds=1)) < duration


def test_the_integer_paths_agree_with_the_datetime_ones(office):
    start = at(2025, 9, 26, 17, 30)
    due_us = add_business_us(office, to_us(start), 3_600_000_000)
    assert from_us(office, due_us) == add_business(office, start, H)
    assert business_between_us(office, to_us(start), due_us) == 3_600_000_000


def test_a_duration_of_months_crosses_years(office):
    start = at(2025, 11, 3, 9)
    due = add_business(office, start, 8 * H * 200)  # about 200 working days
    assert due.year == 2026
    assert business_between(office, start, due) == 8 * H * 200


# --- time zones with daylight saving ---------------------------------------------------------


def test_europe_berlin_across_the_change_to_summer_time():
    nights = make_spec(time_zone="Europe/Berlin", week=every(range(7), [("00:00", "24:00")]))
    # 30 March 2025: clocks go from 02:00 to 03:00, the day has 23 hours
    assert (
        business_between(nights, at(2025, 3, 30, tz=BERLIN), at(2025, 3, 31, tz=BERLIN)) == 23 * H
    )
    assert add_business(nights, at(2025, 3, 30, 1, 30, tz=BERLIN), H) == at(
        2025, 3, 30, 3, 30, tz=BERLIN
    )
    # 26 October 2025: back from 03:00 to 02:00, 25 hours
    assert (
        business_between(nights, at(2025, 10, 26, tz=BERLIN), at(2025, 10, 27, tz=BERLIN)) == 25 * H
    )


def test_europe_berlin_office_hours_keep_their_wall_clock():
    spec = make_spec(time_zone="Europe/Berlin", week=every(range(5), [("09:00", "17:00")]))
    friday = at(2025, 3, 28, 16, 30, tz=BERLIN)  # winter time, Monday is summer time
    due = add_business(spec, friday, H)
    assert due == at(2025, 3, 31, 9, 30, tz=BERLIN)
    assert due.utcoffset() == 2 * H


# --- pauses ---------------------------------------------------------------------------------


def test_a_pause_stops_the_clock_and_moves_the_due_time(office):
    start = at(2025, 11, 3, 9)
    pauses = [(at(2025, 11, 3, 10), at(2025, 11, 3, 14))]  # waiting for the customer
    assert elapsed_with_pauses(office, start, pauses, at(2025, 11, 3, 15)) == 2 * H
    assert due_with_pauses(office, start, 2 * H, pauses) == at(2025, 11, 3, 15)
    assert due_with_pauses(office, start, 2 * H, []) == add_business(office, start, 2 * H)


def test_a_pause_in_non_working_time_changes_nothing(office):
    start = at(2025, 11, 3, 17)
    pauses = [(at(2025, 11, 3, 19), at(2025, 11, 4, 8))]
    assert due_with_pauses(office, start, 2 * H, pauses) == at(2025, 11, 4, 10)
    assert elapsed_with_pauses(office, start, pauses, at(2025, 11, 4, 10)) == 2 * H


def test_a_pause_never_resumed_holds_the_clock(office):
    start = at(2025, 11, 3, 9)
    pauses = [(at(2025, 11, 3, 10), None)]
    assert elapsed_with_pauses(office, start, pauses, at(2025, 11, 5, 17)) == H
    assert due_with_pauses(office, start, 2 * H, pauses) is None
    # a target reached before the pause stays where it was
    assert due_with_pauses(office, start, timedelta(minutes=30), pauses) == at(2025, 11, 3, 9, 30)


def test_a_pause_resumed_after_now_counts_only_up_to_now(office):
    start = at(2025, 11, 3, 9)
    pauses = [(at(2025, 11, 3, 10), at(2025, 11, 4, 10))]
    assert elapsed_with_pauses(office, start, pauses, at(2025, 11, 3, 15)) == H


def test_several_pauses_and_a_resume(office):
    start = at(2025, 9, 26, 17)  # before the National Day week
    pauses = [
        (at(2025, 9, 26, 17, 15), at(2025, 9, 28, 9, 30)),
        (at(2025, 9, 28, 10), at(2025, 9, 28, 10)),  # paused and resumed at once
        (at(2025, 9, 28, 11), at(2025, 9, 29, 9)),
    ]
    # 15 min Friday, 9:30–11 Sunday (1:30), from 9:00 Monday: 2 h target → 09:15
    assert due_with_pauses(office, start, 2 * H, pauses) == at(2025, 9, 29, 9, 15)
    assert elapsed_with_pauses(office, start, pauses, at(2025, 9, 29, 9, 15)) == 2 * H


def test_overlapping_pauses_are_refused(office):
    start = at(2025, 11, 3, 9)
    pauses = [
        (at(2025, 11, 3, 10), at(2025, 11, 3, 12)),
        (at(2025, 11, 3, 11), at(2025, 11, 3, 13)),
    ]
    with pytest.raises(CalendarError) as refused:
        elapsed_with_pauses(office, start, pauses, at(2025, 11, 3, 15))
    assert refused.value.code == "pause_overlap" and refused.value.field == "pauses"
    assert [r.row for r in refused.value.rows] == [2]
    with pytest.raises(CalendarError):
        due_with_pauses(office, start, H, [(at(2025, 11, 3, 10), None), pauses[1]])


def test_pauses_out_of_order_are_refused(office):
    start = at(2025, 11, 3, 9)
    with pytest.raises(CalendarError) as refused:
        elapsed_with_pauses(office, start, [(at(2025, 11, 3, 11), at(2025, 11, 3, 10))], start)
    assert refused.value.code == "resume_before_pause"
    with pytest.raises(CalendarError) as refused:
        due_with_pauses(office, start, H, [(at(2025, 11, 3, 8), at(2025, 11, 3, 10))])
    assert refused.value.code == "pause_before_start"


# --- bad input ------------------------------------------------------------------------------


def test_naive_moments_and_negative_durations_are_refused(office):
    with pytest.raises(CalendarError) as refused:
        add_business(office, datetime(2025, 11, 3, 9), H)
    assert (refused.value.code, refused.value.field) == ("naive_moment", "start")
    with pytest.raises(CalendarError) as refused:
        add_business(office, at(2025, 11, 3, 9), -H)
    assert (refused.value.code, refused.value.field) == ("negative_duration", "duration")
    with pytest.raises(CalendarError) as refused:
        add_business(office, at(9999, 1, 1), H)
    assert refused.value.code == "out_of_range"


def test_a_calendar_without_working_time_says_so():
    closed = make_spec()
    with pytest.raises(CalendarError) as refused:
        add_business(closed, at(2025, 11, 3, 9), H)
    assert refused.value.code == "no_working_time"
    assert business_between(closed, at(2025, 11, 3), at(2025, 12, 3)) == timedelta(0)


def test_bad_windows_and_time_zones_name_their_field():
    with pytest.raises(CalendarError) as refused:
        make_spec(week={0: [("09:00", "12:00"), ("11:00", "13:00")]})
    assert (refused.value.code, refused.value.field) == ("window_overlap", "start")
    with pytest.raises(CalendarError) as refused:
        make_spec(week={0: [("12:00", "09:00")]})
    assert (refused.value.code, refused.value.field) == ("window_order", "end")
    with pytest.raises(CalendarError) as refused:
        make_spec(week={0: [("25:00", "26:00")]})
    assert refused.value.code == "bad_time"
    for zone in ["Mars/Olympus", "+08:00", "CST", "../etc/passwd", ""]:
        with pytest.raises(CalendarError) as refused:
            make_spec(time_zone=zone)
        assert refused.value.field == "time_zone"
