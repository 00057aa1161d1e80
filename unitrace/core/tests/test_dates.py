"""One date parser with explicit rules; each caller's rules are pinned here."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from unitrace.core.dates import in_range, parse_day, parse_iso_day, parse_moment

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    "text", ["2024-03-05", "2024/03/05", "2024.03.05", "20240305", " 2024-03-05 "]
)
def test_day_formats(text) -> None:
    assert parse_day(text, today=TODAY) == date(2024, 3, 5)
    assert parse_day(text, today=TODAY, loose=True) == date(2024, 3, 5)


def test_strict_and_loose_rules() -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_day("2024-3-5", today=TODAY)
    assert parse_day("2024-3-5", today=TODAY, loose=True) == date(2024, 3, 5)
    with pytest.raises(ValueError, match="is not a date"):
        parse_day("2024-02-30", today=TODAY)
    with pytest.raises(ValueError, match="is not a real date"):
        parse_day("2024-02-30", today=TODAY, loose=True)
    with pytest.raises(ValueError, match="is not a date"):
        parse_day("March", today=TODAY, loose=True)


def test_future_and_too_old() -> None:
    with pytest.raises(ValueError, match="in the future"):
        parse_day("2026-03-02", today=TODAY)
    assert parse_day("1024-01-01", today=TODAY) == date(1024, 1, 1)
    with pytest.raises(ValueError, match="too far in the past"):
        parse_day("1024-01-01", today=TODAY, not_before_year=1990)


def test_iso_day() -> None:
    assert parse_iso_day("2026-02-28") == date(2026, 2, 28)
    assert parse_iso_day("2026-02-30") is None
    assert parse_iso_day("tomorrow") is None


def test_moments_without_offset_are_local_time() -> None:
    value = parse_moment("2026-02-28T10:00")
    assert timezone.is_aware(value)
    assert value == timezone.make_aware(datetime(2026, 2, 28, 10, 0))
    assert parse_moment("2026-02-28T10:00+00:00").utcoffset().total_seconds() == 0


def test_impossible_or_bare_days() -> None:
    assert parse_moment("2026-02-30T10:00") is None
    assert parse_moment("2026-02-30", whole_day=True) is None
    midnight = timezone.make_aware(datetime(2026, 2, 28))
    assert parse_moment("2026-02-28") == parse_moment("2026-02-28", whole_day=True) == midnight
    assert parse_moment("2026-2-8") is None
    end = parse_moment("2026-2-8", whole_day=True)
    assert end == timezone.make_aware(datetime.combine(date(2026, 2, 8), time.max))


def test_moments_and_days_lie_between_2000_and_a_year_ahead() -> None:
    assert parse_moment("0001-01-01T00:00:00") is None  # overflowed when moved to UTC
    assert parse_moment("9999-12-31T23:59:59", whole_day=True) is None
    assert parse_moment("9999-12-31", whole_day=True) is None
    assert parse_moment("1999-12-31T23:59:59") is None
    assert parse_moment("2000-01-01T00:00:00") == timezone.make_aware(datetime(2000, 1, 1))
    ahead = timezone.localtime() + timedelta(days=300)
    assert parse_moment(ahead.strftime("%Y-%m-%dT%H:%M:%S")) is not None
    assert parse_moment((ahead + timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%S")) is None
    assert parse_iso_day("0001-01-01") is None and parse_iso_day("1999-12-31") is None
    assert parse_iso_day("2000-01-01") == date(2000, 1, 1)
    assert in_range(date(2026, 3, 1)) and not in_range(date(9999, 1, 1))


def test_a_moment_with_an_offset_postgresql_cannot_hold_is_no_moment():
    from unitrace.core.dates import parse_moment

    assert parse_moment("2026-01-01T00:00:00-16:58") is None
    assert parse_moment("2026-01-01T00:00:00+15:59") is not None


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月5日",
        "2024年03月05日",
        "2024 年 3 月 5 日",
        "2024年3月5号",
        "2024年3月5",
        "２０２４年３月５日",
        "２０２４－０３－０５",
        "２０２４/０３/０５",
        "\u30002024-03-05\u3000",  # ideographic spaces around it
    ],
)
def test_chinese_and_full_width_days(text) -> None:
    # strict (ASN) and loose (unit import) callers both read them
    assert parse_day(text, today=TODAY) == date(2024, 3, 5)
    assert parse_day(text, today=TODAY, loose=True) == date(2024, 3, 5)


def test_chinese_days_keep_the_rules() -> None:
    with pytest.raises(ValueError, match="is not a real date") as refused:
        parse_day("2024年2月30日", today=TODAY, loose=True)
    assert "2024年2月30日" in str(refused.value)  # the message quotes what was typed
    with pytest.raises(ValueError, match="in the future"):
        parse_day("2026年3月2日", today=TODAY)
    with pytest.raises(ValueError, match="is not a date"):
        parse_day("2024年3月", today=TODAY, loose=True)
    with pytest.raises(ValueError, match="is not a date"):
        parse_day("二〇二四年三月五日", today=TODAY, loose=True)
