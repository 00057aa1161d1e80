"""Admin: calendars, their weekly windows and their exceptions, edited with a change log."""

from django.contrib import admin

from unitrace.calendars.forms import WindowForm, WindowFormSet
from unitrace.calendars.models import (
    BusinessCalendar,
    CalendarException,
    ExceptionWindow,
    WorkingWindow,
)
from unitrace.core.admin import LoggedAdmin


class WorkingWindowInline(admin.TabularInline):
    model = WorkingWindow
    form = WindowForm
    formset = WindowFormSet
    extra = 0


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    fields = ["date", "kind", "note"]
    extra = 0
    show_change_link = True  # an open day's own windows are edited on its page


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(LoggedAdmin):
    list_display = [
        "name_zh",
        "name_en",
        "code",
        "time_zone",
        "always_open",
        "observe_holidays",
        "active",
    ]
    list_filter = ["always_open", "observe_holidays", "active"]
    search_fields = ["code", "name_zh", "name_en"]
    inlines = [WorkingWindowInline, CalendarExceptionInline]


class ExceptionWindowInline(admin.TabularInline):
    model = ExceptionWindow
    form = WindowForm
    formset = WindowFormSet
    extra = 0


@admin.register(CalendarException)
class CalendarExceptionAdmin(LoggedAdmin):
    list_display = ["date", "calendar", "kind", "note"]
    list_filter = ["kind", "calendar"]
    date_hierarchy = "date"
    inlines = [ExceptionWindowInline]
