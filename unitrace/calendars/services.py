"""Calendars in and out of the database: validating windows, loading a frozen spec.

``load_spec`` (one calendar) and ``load_specs`` (many, in three queries) are what the
work orders' clocks and the escalation job call once per run; ``business_time`` then
answers from the spec without touching the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import time
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from unitrace.calendars import business_time
from unitrace.calendars.business_time import CalendarError, CalendarSpec, Window
from unitrace.calendars.models import (
    BusinessCalendar,
    CalendarException,
    ExceptionWindow,
    Weekday,
    WorkingWindow,
)
from unitrace.core.errors import RowError


def check_windows(windows: Iterable[tuple[int, Window]]) -> list[tuple[int, str, str]]:
    """Problems of a week's windows given as (weekday, (start s, end s)) in input order:
    (position, field, message) for each window that ends before it starts or overlaps
    an earlier one of the same weekday. Windows that touch are one stretch, not a clash."""
    problems: list[tuple[int, str, str]] = []
    by_day: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for position, (weekday, (start, end)) in enumerate(windows):
        if start >= end:
            problems.append(
                (
                    position,
                    "end",
                    _("The end must be after the start (00:00 as an end means 24:00)."),
                )
            )
            continue
        by_day[weekday].append((start, end, position))
    for weekday, rows in by_day.items():
        rows.sort()
        for (s0, e0, _p0), (s1, e1, p1) in pairwise(rows):
            if s1 < e0:
                problems.append(
                    (
                        p1,
                        "start",
                        _("%(day)s %(b)s overlaps the window %(a)s.")
                        % {
                            "day": Weekday(weekday).label,
                            "a": f"{business_time.clock(s0)}–{business_time.clock(e0)}",
                            "b": f"{business_time.clock(s1)}–{business_time.clock(e1)}",
                        },
                    )
                )
    return sorted(problems)


def replace_windows(calendar: BusinessCalendar, windows: Iterable[tuple[int, object, object]]):
    """Set a calendar's week to ``windows`` ((weekday, start, end) with times or "HH:MM"),
    all or nothing, under the calendar's row lock; refused rows name their position."""
    given = list(windows)
    seconds = []
    for weekday, start, end in given:
        if weekday not in Weekday.values:
            raise ValidationError({"weekday": _("Choose a weekday.")}, code="bad_weekday")
        seconds.append(
            (weekday, (business_time.to_seconds(start), business_time.to_seconds(end, end=True)))
        )
    problems = check_windows(seconds)
    if problems:
        raise CalendarError(
            problems[0][2],
            code="bad_windows",
            field="windows",
            rows=[
                RowError(pos + 1, field=fld, code="bad_window", message=msg)
                for pos, fld, msg in problems
            ],
        )
    with transaction.atomic():
        BusinessCalendar.objects.select_for_update().filter(pk=calendar.pk).first()
        calendar.windows.all().delete()
        WorkingWindow.objects.bulk_create(
            WorkingWindow(
                calendar=calendar,
                weekday=weekday,
                start=_time_of(start),
                end=_time_of(end),
            )
            for weekday, (start, end) in seconds
        )


def _time_of(seconds: int) -> time:
    """A TimeField value; the end of the day (86400) is stored as 00:00."""
    seconds %= business_time.DAY_SECONDS
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return time(h, m, s)


def _spec(
    calendar: BusinessCalendar,
    windows: Iterable[WorkingWindow],
    exceptions: Iterable[tuple[CalendarException, list[ExceptionWindow]]],
) -> CalendarSpec:
    week: list[list[Window]] = [[] for _day in range(7)]
    for window in windows:
        week[window.weekday].append(window.seconds)
    days = tuple(business_time.normalize_windows(day) for day in week)
    special = []
    for exception, own in exceptions:
        if exception.kind == CalendarException.Kind.CLOSED:
            hours: tuple[Window, ...] = ()
        elif own:
            hours = business_time.normalize_windows(w.seconds for w in own)
        else:
            hours = days[calendar.adjusted_weekday]
        special.append((exception.date, hours))
    return CalendarSpec(
        time_zone=calendar.time_zone,
        week=days,
        always_open=calendar.always_open,
        observe_holidays=calendar.observe_holidays and not calendar.always_open,
        adjusted_weekday=calendar.adjusted_weekday,
        exceptions=tuple(sorted(special)),
    )


def load_specs(calendars: Iterable[BusinessCalendar] | None = None) -> dict[int, CalendarSpec]:
    """Frozen specs of ``calendars`` (default: the active ones) by id, in three queries."""
    if calendars is None:
        calendars = BusinessCalendar.objects.filter(active=True)
    calendars = list(calendars)
    ids = [c.pk for c in calendars]
    windows: dict[int, list[WorkingWindow]] = defaultdict(list)
    for window in WorkingWindow.objects.filter(calendar_id__in=ids):
        windows[window.calendar_id].append(window)
    exceptions: dict[int, list[CalendarException]] = defaultdict(list)
    for exception in CalendarException.objects.filter(calendar_id__in=ids):
        exceptions[exception.calendar_id].append(exception)
    own: dict[int, list[ExceptionWindow]] = defaultdict(list)
    for window in ExceptionWindow.objects.filter(exception__calendar_id__in=ids):
        own[window.exception_id].append(window)
    return {
        c.pk: _spec(c, windows[c.pk], [(e, own[e.pk]) for e in exceptions[c.pk]]) for c in calendars
    }


def load_spec(calendar: BusinessCalendar | int | str) -> CalendarSpec:
    """The frozen spec of one calendar, given as an instance, an id or a code."""
    if not isinstance(calendar, BusinessCalendar):
        lookup = {"code": calendar} if isinstance(calendar, str) else {"pk": calendar}
        found = BusinessCalendar.objects.filter(**lookup).first()
        if found is None:
            error = CalendarError(
                _("There is no business calendar %(calendar)s.") % {"calendar": calendar},
                code="unknown_calendar",
                field="calendar",
            )
            error.status = 404
            raise error
        calendar = found
    return load_specs([calendar])[calendar.pk]
