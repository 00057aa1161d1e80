"""Dates and moments written into text a person reads: refusals, notes, answers.

Python's ``strftime`` and ``isoformat`` write one fixed form whatever the language;
a message read on an English page then said 2026-01-15 beside 01/15/2026 in the
tables. These go through Django's localized formats (``SHORT_DATE_FORMAT`` and
``SHORT_DATETIME_FORMAT`` of the active language, ``unitrace.core.formats``), and
move an aware moment to local time first. Text a machine reads (CSV, JSON, file
names, API fields) keeps ISO and does not use these.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format, time_format


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def shown_date(value: date | datetime | None, empty: str = "—") -> str:
    """The day of ``value`` (the local day of a moment) in the language's short form."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = _local(value).date()
    return date_format(value, "SHORT_DATE_FORMAT")


def shown_moment(value: datetime | None, empty: str = "—", *, seconds: bool = False) -> str:
    """A moment in local time in the language's short form; ``seconds`` where order matters."""
    if value is None:
        return empty
    value = _local(value)
    if seconds:
        return f"{date_format(value, 'SHORT_DATE_FORMAT')} {time_format(value, 'H:i:s')}"
    return date_format(value, "SHORT_DATETIME_FORMAT")
