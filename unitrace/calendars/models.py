"""Business-hours calendars: when a service clock runs.

A calendar has a time zone, working windows per weekday (several a day: a lunch break is
the gap between two), and optionally China's public holidays with their adjusted working
days (调休). Exceptions override single dates: a company shutdown, an extra working day.
A 24×7 calendar ignores windows and holidays. ``business_time`` does the arithmetic on a
frozen copy (``services.load_spec``); nothing here is read inside its loops.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from unitrace.calendars.business_time import (
    DEFAULT_TIME_ZONE,
    CalendarError,
    clock,
    to_seconds,
    zone_of,
)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def validate_time_zone(value: str) -> None:
    """An IANA name zoneinfo knows (Asia/Shanghai), not an offset or an abbreviation."""
    try:
        zone_of(value)
    except CalendarError as exc:
        raise ValidationError(str(exc), code="bad_time_zone")


class BusinessCalendar(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("An IANA time zone, such as Asia/Shanghai."),
    )
    always_open = models.BooleanField(
        _("open 24×7"),
        default=False,
        help_text=_("Open around the clock every day, holidays included; windows are ignored."),
    )
    observe_holidays = models.BooleanField(
        _("observe Chinese public holidays"),
        default=True,
        help_text=_(
            "Closed on public holidays and the days given off; open on the adjusted "
            "working days (调休), with the hours of the weekday chosen below."
        ),
    )
    adjusted_weekday = models.PositiveSmallIntegerField(
        _("adjusted working days work the hours of"),
        choices=Weekday.choices,
        default=Weekday.MONDAY,
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the page's language: English when asked for and given."""
        language = (get_language() or "").lower()
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def clean(self) -> None:
        super().clean()
        if self.always_open and self.observe_holidays:
            raise ValidationError(
                {
                    "observe_holidays": _(
                        "A 24×7 calendar is open on holidays too: clear “open 24×7” or this box."
                    )
                },
                code="always_open_holidays",
            )


class TimeWindow(models.Model):
    """A stretch of working time in one day; an end of 00:00 means midnight (24:00)."""

    start = models.TimeField(_("start"))
    end = models.TimeField(
        _("end"), help_text=_("00:00 or 24:00 means midnight at the end of the day.")
    )

    class Meta:
        abstract = True
        ordering = ["start"]

    @property
    def seconds(self) -> tuple[int, int]:
        """(start, end) in seconds from midnight, the end of the day being 86400."""
        return to_seconds(self.start), to_seconds(self.end, end=True)

    @property
    def span(self) -> str:
        start, end = self.seconds
        return f"{clock(start)}–{clock(end)}"

    def clean(self) -> None:
        super().clean()
        if self.start is None or self.end is None:
            return
        start, end = self.seconds
        if start >= end:
            raise ValidationError(
                {"end": _("The end must be after the start (00:00 as an end means 24:00).")},
                code="window_order",
            )


class WorkingWindow(TimeWindow):
    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("calendar"),
        on_delete=models.CASCADE,
        related_name="windows",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)

    class Meta:
        verbose_name = _("working window")
        verbose_name_plural = _("working windows")
        ordering = ["calendar", "weekday", "start"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.span}"


class CalendarException(models.Model):
    class Kind(models.TextChoices):
        CLOSED = "closed", pgettext_lazy("calendar day", "closed")
        OPEN = "open", pgettext_lazy("calendar day", "open")

    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("calendar"),
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"], name="calendar_exception_unique_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class ExceptionWindow(TimeWindow):
    """The hours of an open exception; an open exception without any works the hours of
    the calendar's ``adjusted_weekday``."""

    exception = models.ForeignKey(
        CalendarException,
        verbose_name=_("exception"),
        on_delete=models.CASCADE,
        related_name="windows",
    )

    class Meta:
        verbose_name = _("exception window")
        verbose_name_plural = _("exception windows")
        ordering = ["exception", "start"]

    def __str__(self) -> str:
        return self.span
