"""Two admins replacing one calendar's week at once: one week wins whole, never a mix
(the calendar's row lock serializes them; without it both deletes see nothing of the
other's rows and the calendar ends with both weeks, overlapping)."""

from __future__ import annotations

import pytest

from unitrace.calendars import services
from unitrace.calendars.models import BusinessCalendar
from unitrace.core.testing.threads import race

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

WEEKS = [
    [(d, "09:00", "12:00") for d in range(5)] + [(d, "13:00", "18:00") for d in range(5)],
    [(d, "08:00", "11:30") for d in range(6)] + [(d, "12:30", "17:00") for d in range(6)],
]


def test_concurrent_replacements_leave_one_whole_week():
    calendar = BusinessCalendar.objects.create(code="race", name_zh="竞争")
    for _round in range(5):
        _results, errors = race(
            2,
            lambda i: services.replace_windows(
                BusinessCalendar.objects.get(pk=calendar.pk), WEEKS[i]
            ),
        )
        assert errors == []
        rows = sorted(
            (w.weekday, w.start.strftime("%H:%M"), w.end.strftime("%H:%M"))
            for w in calendar.windows.all()
        )
        assert rows in [sorted(week) for week in WEEKS]
