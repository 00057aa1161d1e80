"""Business time on a calendar: due times, elapsed time, pauses. Pure: no database.

A calendar is loaded once into a frozen :class:`CalendarSpec` (``calendars.services.
load_spec``, or :func:`make_spec` in code and tests). Its first question builds a table
of the calendar's working intervals for the years around the moment asked, as absolute
instants (UTC microseconds), adjacent intervals merged — a 24×7 calendar is one interval
with no gap at midnight — together with the business time accumulated before each
interval. That turns the calendar into a monotone function ``F`` from an instant to
"business microseconds since the start of the table":

* ``business_between(a, b)`` is ``F(b) - F(a)``;
* ``add_business(a, d)`` is the first instant ``t`` with ``F(t) = F(a) + d``;

each one or two binary searches, microseconds whatever the span, and exact in integer
microseconds, so ``business_between(a, add_business(a, d)) == d``. The table grows by
years when a question needs more (a duration of months near the end of a year) and is
shared by equal specs, so the escalation job evaluating a million orders on a few
calendars builds a few tables once.

Each local day's windows become instants through ``zoneinfo``: a window is wall-clock
time, and its length is the real time between its ends, so a window across a daylight-
saving change is an hour longer or shorter (Asia/Shanghai has none; Europe/Berlin does).
Which windows a day has is :func:`windows_on`: a calendar exception of that date first,
then 24×7, then, when the calendar observes China's holidays, no window on a holiday and
the windows of the calendar's ``adjusted_weekday`` on a 调休 working day, else the
windows of the weekday.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils.translation import gettext_lazy as _

from unitrace.calendars import holidays_cn
from unitrace.core.errors import DomainError, RowError

DAY_SECONDS = 86400
DEFAULT_TIME_ZONE = "Asia/Shanghai"
# Years a table may cover: those the holiday package knows.
FIRST_YEAR = holidays_cn.FIRST_YEAR
LAST_YEAR = holidays_cn.LAST_YEAR
# How many years of table a search for working time may grow to before it gives up
# (a calendar with no window at all, or a duration of decades).
MAX_TABLE_YEARS = 30

Window = tuple[int, int]  # seconds from local midnight: 0 <= start < end <= 86400
FULL_DAY: tuple[Window, ...] = ((0, DAY_SECONDS),)
TimeLike = time | str

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_ZERO = timedelta(0)


class CalendarError(DomainError):
    """A question the calendar cannot answer: bad input, or no working time to find."""

    code = "calendar_refused"
    default_message = _("The business calendar cannot answer this.")


# --- time zones and windows ---------------------------------------------------------


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_of(name: str) -> ZoneInfo:
    """The IANA time zone ``name``, or CalendarError (field ``time_zone``)."""
    known = _known_zones()
    try:
        if known and name not in known:
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise CalendarError(
            _("%(zone)s is not an IANA time zone (such as Asia/Shanghai or Europe/Berlin).")
            % {"zone": name},
            code="bad_time_zone",
            field="time_zone",
        )


_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def to_seconds(value: TimeLike, *, end: bool = False) -> int:
    """Seconds from local midnight of a window's start or ``end``.

    A window's end of midnight means the end of the day: ``time(0)`` or ``"24:00"`` as
    an end is 86400, so a window can run to midnight and the next day's window from
    00:00 continues it without a gap.
    """
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if not match:
            raise CalendarError(
                _("%(value)s is not a time of day (HH:MM).") % {"value": value},
                code="bad_time",
                field="end" if end else "start",
            )
        h, m, s = int(match[1]), int(match[2]), int(match[3] or 0)
        if end and (h, m, s) == (24, 0, 0):
            return DAY_SECONDS
        if h > 23 or m > 59 or s > 59:
            raise CalendarError(
                _("%(value)s is not a time of day (HH:MM).") % {"value": value},
                code="bad_time",
                field="end" if end else "start",
            )
        seconds = h * 3600 + m * 60 + s
    else:
        seconds = value.hour * 3600 + value.minute * 60 + value.second
    if end and seconds == 0:
        return DAY_SECONDS
    return seconds


def clock(seconds: int) -> str:
    """``HH:MM`` of seconds from midnight (``24:00`` for the end of the day)."""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" if not s else f"{h:02d}:{m:02d}:{s:02d}"


def normalize_windows(windows: Iterable[Window]) -> tuple[Window, ...]:
    """One day's windows sorted, each start before its end, none overlapping.

    Windows that touch (12:00 end, 12:00 start) are allowed: they are one stretch of
    working time. Refusals are CalendarError naming the field (``start``/``end``).
    """
    ordered = sorted((int(s), int(e)) for s, e in windows)
    previous: Window | None = None
    for start, end in ordered:
        if not 0 <= start < DAY_SECONDS or not 0 < end <= DAY_SECONDS or start >= end:
            raise CalendarError(
                _("A working window must start before it ends (%(start)s–%(end)s).")
                % {"start": clock(start), "end": clock(end)},
                code="window_order",
                field="end",
            )
        if previous is not None and start < previous[1]:
            raise CalendarError(
                _("Working windows %(a)s and %(b)s overlap.")
                % {
                    "a": f"{clock(previous[0])}–{clock(previous[1])}",
                    "b": f"{clock(start)}–{clock(end)}",
                },
                code="window_overlap",
                field="start",
            )
        previous = (start, end)
    return tuple(ordered)


# --- the spec -----------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarSpec:
    """Everything business time needs to know about one calendar, frozen and hashable.

    ``week`` has seven entries, Monday first, each the day's windows (seconds from local
    midnight). ``exceptions`` are (date, windows) pairs that replace whatever the day
    would have had: no windows for a closed day, the day's own windows for an open one.
    ``adjusted_weekday`` is the weekday whose windows a 调休 working day works.
    """

    time_zone: str = DEFAULT_TIME_ZONE
    week: tuple[tuple[Window, ...], ...] = ((),) * 7
    always_open: bool = False
    observe_holidays: bool = False
    adjusted_weekday: int = 0
    exceptions: tuple[tuple[date, tuple[Window, ...]], ...] = ()
    _timeline: _Timeline | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        zone_of(self.time_zone)
        if len(self.week) != 7:
            raise CalendarError(_("A week has seven days."), code="bad_week", field="week")
        if not 0 <= self.adjusted_weekday <= 6:
            raise CalendarError(
                _("Choose a weekday."), code="bad_weekday", field="adjusted_weekday"
            )
        for windows in self.week:
            if normalize_windows(windows) != tuple(windows):
                raise CalendarError(_("Windows must be sorted."), code="window_order")
        for _day, windows in self.exceptions:
            if normalize_windows(windows) != tuple(windows):
                raise CalendarError(_("Windows must be sorted."), code="window_order")
        object.__setattr__(self, "_timeline", _shared_timeline(self))


def make_spec(
    *,
    time_zone: str = DEFAULT_TIME_ZONE,
    week: Mapping[int, Iterable[tuple[TimeLike, TimeLike]]] | None = None,
    always_open: bool = False,
    observe_holidays: bool = False,
    adjusted_weekday: int = 0,
    exceptions: Mapping[date, Iterable[tuple[TimeLike, TimeLike]] | None] | None = None,
) -> CalendarSpec:
    """A spec from readable windows: ``week={0: [("09:00", "12:00"), ...]}``.

    An exception's windows of ``None`` means "open with a working day's hours" (the
    windows of ``adjusted_weekday``), an empty list "closed".
    """

    def seconds(pairs: Iterable[tuple[TimeLike, TimeLike]]) -> tuple[Window, ...]:
        return normalize_windows((to_seconds(s), to_seconds(e, end=True)) for s, e in pairs)

    days = tuple(seconds((week or {}).get(weekday, ())) for weekday in range(7))
    special = tuple(
        sorted(
            (day, days[adjusted_weekday] if pairs is None else seconds(pairs))
            for day, pairs in (exceptions or {}).items()
        )
    )
    return CalendarSpec(
        time_zone=time_zone,
        week=days,
        always_open=always_open,
        observe_holidays=observe_holidays,
        adjusted_weekday=adjusted_weekday,
        exceptions=special,
    )


def windows_on(spec: CalendarSpec, day: date) -> tuple[Window, ...]:
    """The working windows of one local date (see the module docstring for the order)."""
    return spec._timeline.windows_on(day)


# --- the table ----------------------------------------------------------------------


class _Table:
    """Working intervals of years ``first_year``..``last_year`` as UTC microseconds.

    ``cum[i]`` is the business time before interval ``i``, ``cum_end[i]`` after it.
    Values of ``F`` are relative to the table's start, so one question reads one table.
    """

    __slots__ = ("cum", "cum_end", "ends", "first_year", "hi", "last_year", "lo", "starts", "total")

    def __init__(self, first_year, last_year, lo, hi, starts, ends):
        self.first_year, self.last_year, self.lo, self.hi = first_year, last_year, lo, hi
        self.starts, self.ends = starts, ends
        cum, cum_end, running = [], [], 0
        for start, end in zip(starts, ends, strict=True):
            cum.append(running)
            running += end - start
            cum_end.append(running)
        self.cum, self.cum_end, self.total = cum, cum_end, running


class _Timeline:
    """The growing table of one spec; rebuilt under a lock, read without one."""

    def __init__(self, spec: CalendarSpec):
        self.spec = spec
        self.zone = zone_of(spec.time_zone)
        self.exceptions = dict(spec.exceptions)
        self.table: _Table | None = None
        self.lock = threading.Lock()

    def windows_on(self, day: date) -> tuple[Window, ...]:
        spec = self.spec
        special = self.exceptions.get(day)
        if special is not None:
            return special
        if spec.always_open:
            return FULL_DAY
        if spec.observe_holidays:
            kind = holidays_cn.day_kind(day)
            if kind is holidays_cn.DayKind.HOLIDAY:
                return ()
            if kind is holidays_cn.DayKind.ADJUSTED_WORKDAY:
                return spec.week[spec.adjusted_weekday]
        return spec.week[day.weekday()]

    def _local_year(self, us: int) -> int:
        return (_EPOCH + timedelta(microseconds=us)).astimezone(self.zone).year

    def _midnight(self, year: int) -> int:
        return (datetime(year, 1, 1, tzinfo=self.zone) - _EPOCH) // _US

    def cover(self, lo: int, hi: int) -> _Table:
        """A table whose span holds the instants ``lo`` and ``hi`` (a year to spare)."""
        table = self.table
        if table is not None and table.lo <= lo and hi < table.hi:
            return table
        first = self._local_year(lo) - 1
        last = self._local_year(hi) + 1
        if table is not None:
            first, last = min(first, table.first_year), max(last, table.last_year)
        return self._build(first, last)

    def grow(self, table: _Table) -> _Table:
        """The table with one more year at the end, for a due time beyond it."""
        current = self.table if self.table is not None else table
        if current.last_year - current.first_year + 1 >= MAX_TABLE_YEARS:
            raise CalendarError(
                _("The calendar has no working time to reach this due time."),
                code="no_working_time",
                field="duration",
            )
        return self._build(current.first_year, current.last_year + 1)

    def _build(self, first: int, last: int) -> _Table:
        first, last = max(first, FIRST_YEAR), min(last, LAST_YEAR)
        if first > last:
            raise CalendarError(out_of_range_message(), code="out_of_range")
        with self.lock:
            table = self.table
            if table is not None and table.first_year <= first and last <= table.last_year:
                return table
            starts: list[int] = []
            ends: list[int] = []
            zone = self.zone
            day, stop, one = date(first, 1, 1), date(last + 1, 1, 1), timedelta(days=1)
            while day < stop:
                windows = self.windows_on(day)
                if windows:
                    midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
                    for start_s, end_s in windows:
                        # wall-clock addition, then the real instant of that wall time
                        a = (midnight + timedelta(seconds=start_s) - _EPOCH) // _US
                        b = (midnight + timedelta(seconds=end_s) - _EPOCH) // _US
                        if b <= a:
                            continue  # a window inside a skipped hour of a DST change
                        if ends and a <= ends[-1]:
                            ends[-1] = max(ends[-1], b)  # contiguous: no gap at midnight
                        else:
                            starts.append(a)
                            ends.append(b)
                day += one
            table = _Table(
                first, last, self._midnight(first), self._midnight(last + 1), starts, ends
            )
            self.table = table
            return table


_TIMELINES: dict[CalendarSpec, _Timeline] = {}
_TIMELINES_LOCK = threading.Lock()
_TIMELINES_MAX = 256


def _shared_timeline(spec: CalendarSpec) -> _Timeline:
    """Equal specs (one calendar loaded again) share one table."""
    with _TIMELINES_LOCK:
        timeline = _TIMELINES.get(spec)
        if timeline is None:
            if len(_TIMELINES) >= _TIMELINES_MAX:
                _TIMELINES.pop(next(iter(_TIMELINES)))  # the oldest
            timeline = _TIMELINES[spec] = _Timeline(spec)
        return timeline


def out_of_range_message():
    return _("Business time is computed between %(first)s and %(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


# --- the business clock F and its inverse ---------------------------------------------


def _f(table: _Table, t: int) -> int:
    """Business microseconds from the table's start to instant ``t``."""
    i = bisect_right(table.starts, t) - 1
    if i < 0:
        return 0
    end = table.ends[i]
    return table.cum[i] + (t if t < end else end) - table.starts[i]


def _g(table: _Table, value: int) -> int:
    """The first instant at which ``F`` reaches ``value`` (0 < value <= total)."""
    i = bisect_left(table.cum_end, value)
    return table.starts[i] + value - table.cum[i]


def _us(moment: datetime, field_name: str) -> int:
    # the hot path of every question: subtracting from the aware epoch refuses a naive
    # moment (or anything else) with TypeError; the fields avoid a timedelta division
    try:
        delta = moment - _EPOCH
    except TypeError:
        raise CalendarError(
            _("A moment with its time zone is needed."), code="naive_moment", field=field_name
        )
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise CalendarError(out_of_range_message(), code="out_of_range", field=field_name)
    return (delta.days * DAY_SECONDS + delta.seconds) * 1_000_000 + delta.microseconds


def _moment(spec: CalendarSpec, us: int) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(spec._timeline.zone)


def _duration_us(duration: timedelta, field_name: str = "duration") -> int:
    if not isinstance(duration, timedelta) or duration < _ZERO:
        raise CalendarError(
            _("A duration cannot be negative."), code="negative_duration", field=field_name
        )
    return (duration.days * DAY_SECONDS + duration.seconds) * 1_000_000 + duration.microseconds


def _covering(spec: CalendarSpec, lo: int, hi: int) -> _Table:
    timeline = spec._timeline
    table = timeline.table
    if table is None or not (table.lo <= lo and hi < table.hi):
        table = timeline.cover(lo, hi)
        if not (table.lo <= lo and hi < table.hi):
            raise CalendarError(out_of_range_message(), code="out_of_range")
    return table


def _advance(spec: CalendarSpec, table: _Table, a: int, d: int) -> int:
    """The instant ``d`` business microseconds after instant ``a`` (``d`` > 0)."""
    while True:
        value = _f(table, a) + d
        if value <= table.total:
            return _g(table, value)
        table = spec._timeline.grow(table)


# --- the questions ------------------------------------------------------------------


def to_us(moment: datetime) -> int:
    """An aware moment as UTC microseconds since 1970: the unit of the fast paths."""
    return _us(moment, "moment")


def from_us(spec: CalendarSpec, us: int) -> datetime:
    """UTC microseconds as a moment in the calendar's time zone."""
    return _moment(spec, us)


def add_business_us(spec: CalendarSpec, start_us: int, duration_us: int) -> int:
    """:func:`add_business` on microseconds, for a job that keeps its moments as integers
    (no datetime built per order); ``duration_us`` must not be negative."""
    if duration_us <= 0:
        return start_us
    return _advance(spec, _covering(spec, start_us, start_us), start_us, duration_us)


def business_between_us(spec: CalendarSpec, a_us: int, b_us: int) -> int:
    """:func:`business_between` on microseconds."""
    table = _covering(spec, min(a_us, b_us), max(a_us, b_us))
    return _f(table, b_us) - _f(table, a_us)


def add_business(spec: CalendarSpec, start: datetime, duration: timedelta) -> datetime:
    """The due time: ``duration`` of business time after ``start``, in the calendar's zone.

    A due time that falls on the end of a window is that end (12:00, not 13:00); a zero
    duration is ``start`` itself, working time or not.
    """
    a = _us(start, "start")
    d = _duration_us(duration)
    if d == 0:
        return _moment(spec, a)
    return _moment(spec, _advance(spec, _covering(spec, a, a), a, d))


def business_between(spec: CalendarSpec, a: datetime, b: datetime) -> timedelta:
    """Business time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
    ua, ub = _us(a, "start"), _us(b, "end")
    table = _covering(spec, min(ua, ub), max(ua, ub))
    return timedelta(microseconds=_f(table, ub) - _f(table, ua))


def is_open(spec: CalendarSpec, moment: datetime) -> bool:
    """Is ``moment`` inside a working window (start included, end excluded)?"""
    t = _us(moment, "moment")
    table = _covering(spec, t, t)
    i = bisect_right(table.starts, t) - 1
    return i >= 0 and t < table.ends[i]


Pause = tuple[datetime, datetime | None]


def _pauses(pauses: Sequence[Pause], start: int) -> list[tuple[int, int | None]]:
    """Pauses as sorted (paused, resumed) microseconds; refused when out of order.

    A pause must begin at or after the clock's start and resume at or after it began;
    pauses must not overlap (one may resume exactly when the next begins), so a pause
    that never resumed can only be the last.
    """
    if not pauses:
        return []
    rows: list[tuple[int, int | None, int]] = []
    for number, (paused_at, resumed_at) in enumerate(pauses, start=1):
        p = _us(paused_at, "pauses")
        r = None if resumed_at is None else _us(resumed_at, "pauses")
        if p < start:
            raise _pause_error(number, "pause_before_start", _("paused before the clock started"))
        if r is not None and r < p:
            raise _pause_error(number, "resume_before_pause", _("resumed before it was paused"))
        rows.append((p, r, number))
    if len(rows) > 1:
        rows.sort(key=itemgetter(0))
    for (_p, r, number), (p_next, _r, number_next) in pairwise(rows):
        if r is None or p_next < r:
            raise _pause_error(
                number_next,
                "pause_overlap",
                _("overlaps pause %(other)s") % {"other": number},
            )
    return [(p, r) for p, r, _n in rows]


def _pause_error(number: int, code: str, why) -> CalendarError:
    return CalendarError(
        _("Pause %(number)s is refused: %(why)s.") % {"number": number, "why": why},
        code=code,
        field="pauses",
        rows=[RowError(number, field="pauses", code=code, message=why)],
    )


def _span(start: int, pauses: list[tuple[int, int | None]], *more: int) -> tuple[int, int]:
    """The earliest and latest instant a question reads: pauses never begin before the
    start (``_pauses`` refuses them) and are sorted, so only the last one can be latest."""
    hi = max(more) if more else start
    if pauses:
        p, r = pauses[-1]
        hi = max(hi, p if r is None else r)
    return start, max(hi, start)


def elapsed_with_pauses(
    spec: CalendarSpec, start: datetime, pauses: Sequence[Pause], now: datetime
) -> timedelta:
    """Business time from ``start`` to ``now``, less the business time spent paused.

    ``pauses`` are (paused at, resumed at or None) pairs; a pause not yet resumed runs to
    ``now``. Pauses (or parts of them) after ``now`` do not count yet; before ``start``
    is refused. Zero when ``now`` is not after ``start``.
    """
    s = _us(start, "start")
    n = _us(now, "now")
    stops = _pauses(pauses, s)
    if n <= s:
        return _ZERO
    table = _covering(spec, *_span(s, stops, n))
    elapsed = _f(table, n) - _f(table, s)
    for p, r in stops:
        hi = n if r is None or r > n else r
        if hi > p:
            elapsed -= _f(table, hi) - _f(table, p)
    return timedelta(microseconds=elapsed)


def due_with_pauses(
    spec: CalendarSpec, start: datetime, target: timedelta, pauses: Sequence[Pause]
) -> datetime | None:
    """The due time of a clock with ``target`` business time, moved on by its pauses.

    None while a pause that is not resumed holds the clock before the target is reached
    (the due time is not known until it resumes); a target reached before a pause began
    stays where it was.
    """
    s = _us(start, "start")
    remaining = _duration_us(target, "target")
    stops = _pauses(pauses, s)
    if remaining == 0:
        return _moment(spec, s)
    table = _covering(spec, *_span(s, stops))
    cursor = s
    for p, r in stops:
        run = _f(table, p) - _f(table, cursor)
        if run >= remaining:
            return _moment(spec, _g(table, _f(table, cursor) + remaining))
        remaining -= run
        if r is None:
            return None
        cursor = r
    return _moment(spec, _advance(spec, table, cursor, remaining))
