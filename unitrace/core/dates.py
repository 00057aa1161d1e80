"""Dates and moments typed by people or read from their files, with the rules spelled out.

Two kinds of input:

* **a day** in a file (production date of an ASN row or an imported unit):
  :func:`parse_day`. ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY.MM.DD`` and ``YYYYMMDD``
  always, and the Chinese ``2026年1月15日`` (``日`` or ``号`` optional); full-width digits
  and separators (``２０２６－０１－１５``) are read as their ASCII forms (NFKC), as
  Excel on Chinese Windows and IME users type them; never in the future (the local
  today). A caller opts into more with its rules:
  ``loose`` also takes one-digit months and days (``2024-3-5``, as Excel writes them)
  and tells an impossible day (``2024-02-30``) apart from text that is no date;
  ``not_before_year`` refuses days before that year (typos such as ``1024``).
  Without ``loose`` the text must be an ISO date (``date.fromisoformat``).
* **a moment** in a query (``?at=``) or a form: :func:`parse_moment` or a bare ISO day
  (:func:`parse_iso_day`). A moment without an offset is local time
  (``TIME_ZONE``); a day or moment that is well-formed but impossible is no date, so
  callers answer with a clear 400 or form error instead of failing.

  Both lie within :func:`in_range`: from the start of :data:`EARLIEST_YEAR` (2000, local
  time; nothing was traced before) to :data:`AHEAD` (a year) from now. Anything outside
  is no date either: extreme years (``0001-01-01``) overflowed when moved to UTC.

Refusals are ``ValueError`` with a message for the person (``parse_day``) or ``None``
(the others) so each caller keeps its own wording and error class.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from django.utils import dateparse, timezone
from django.utils.translation import gettext as _

EARLIEST_YEAR = 2000
AHEAD = timedelta(days=366)


MAX_OFFSET = timedelta(hours=15, minutes=59)
# 2026年1月15日, 2026 年 1 月 15 号, 2026年01月15 (after NFKC: ASCII digits only)
_CHINESE_DAY = re.compile(r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?$")


def plain_day_text(text: str) -> str:
    """A day as typed, in the form ``parse_day`` reads: NFKC (full-width digits and
    separators become ASCII) and ``2026年1月15日`` as ``2026-01-15``.

    Padding the Chinese form keeps it an ISO date, so callers that accept only ISO days
    (an ASN's production dates) take it too; other text is returned stripped.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = _CHINESE_DAY.match(cleaned)
    if match:
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return cleaned


def in_range(value: date | datetime) -> bool:
    """True when a day or moment lies between 2000-01-01 and a year from now.

    A moment's UTC offset must also be one PostgreSQL can hold (at most ±15:59): ISO 8601
    text such as ``2026-12-01T00:00-16:58`` parses in Python but the database refuses it.
    """
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is not None and abs(offset) > MAX_OFFSET:
            return False
        earliest = timezone.make_aware(datetime(EARLIEST_YEAR, 1, 1))
        return earliest <= value <= timezone.now() + AHEAD
    return date(EARLIEST_YEAR, 1, 1) <= value <= timezone.localdate() + AHEAD


def parse_day(
    text: str,
    *,
    today: date | None = None,
    loose: bool = False,
    not_before_year: int | None = None,
) -> date:
    """A day from a file cell; ``ValueError`` (with the message to show) when refused."""
    cleaned = plain_day_text(text).replace("/", "-").replace(".", "-")
    if len(cleaned) == 8 and cleaned.isdigit():
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    if loose:
        parts = cleaned.split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise ValueError(_("'%(value)s' is not a date (use YYYY-MM-DD)") % {"value": text})
        try:
            value = date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            raise ValueError(_("'%(value)s' is not a real date") % {"value": text})
    else:
        try:
            value = date.fromisoformat(cleaned)
        except ValueError:
            raise ValueError(_("'%(value)s' is not a date (use YYYY-MM-DD)") % {"value": text})
    if value > (today or timezone.localdate()):
        raise ValueError(_("'%(value)s' is in the future") % {"value": text})
    if not_before_year is not None and value.year < not_before_year:
        raise ValueError(_("'%(value)s' is too far in the past") % {"value": text})
    return value


def parse_iso_day(text: str) -> date | None:
    """``YYYY-MM-DD``, else None (also for an impossible day such as 2026-02-30, or one
    outside :func:`in_range`)."""
    try:
        value = dateparse.parse_date(text)
    except ValueError:
        return None
    return value if value is not None and in_range(value) else None


def parse_moment(text: str, *, whole_day: bool = False) -> datetime | None:
    """An aware moment from ISO 8601 text, else None (also for impossible dates and for
    moments outside :func:`in_range`).

    Without an offset the moment is local time. An ISO day alone (``2026-02-28``) is
    its midnight, as ``datetime.fromisoformat`` reads it. With ``whole_day`` a day that
    is not ISO-padded (``2026-2-8``, which only Django's date pattern takes) is accepted
    too and means its last instant (the unit page's ``?at=``).
    """
    try:
        value = dateparse.parse_datetime(text)
        if value is None and whole_day:
            day = dateparse.parse_date(text)
            value = datetime.combine(day, time.max) if day else None
    except ValueError:  # well-formed but impossible, e.g. 2026-02-30T10:00
        value = None
    if value is None or not date(EARLIEST_YEAR - 1, 1, 1) <= value.date() <= date(9998, 1, 1):
        return None  # far outside the range: never moved between time zones
    value = timezone.make_aware(value) if timezone.is_naive(value) else value
    return value if in_range(value) else None
