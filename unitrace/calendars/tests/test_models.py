"""Calendars in the database: validation with field messages, the default calendars,
loading a spec, and the admin (overlapping windows refused, 24:00 accepted, logged)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from unitrace.calendars import services
from unitrace.calendars.business_time import CalendarError, add_business, windows_on
from unitrace.calendars.models import (
    BusinessCalendar,
    CalendarException,
    ExceptionWindow,
    WorkingWindow,
)
from unitrace.core.models import ChangeLog

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_calendars")]
SH = ZoneInfo("Asia/Shanghai")


def test_the_default_calendars_exist_and_answer(db):
    office = BusinessCalendar.objects.get(code="workdays")
    assert office.observe_holidays and not office.always_open
    assert office.windows.count() == 10
    spec = services.load_spec("workdays")
    due = add_business(spec, datetime(2025, 9, 26, 17, 30, tzinfo=SH), timedelta(hours=1))
    assert due == datetime(2025, 9, 28, 9, 30, tzinfo=SH)
    always = services.load_spec("24x7")
    assert always.always_open
    assert windows_on(always, date(2025, 10, 1)) == ((0, 86400),)


def test_str_is_the_name_in_the_pages_language(db):
    office = BusinessCalendar.objects.get(code="workdays")
    with translation.override("zh-hans"):
        assert str(office) == "工作日 9:00–18:00（法定节假日休息，调休上班）"
    with translation.override("en"):
        assert str(office).startswith("Working days 9:00–18:00")
    window = office.windows.get(weekday=0, start=time(9))
    with translation.override("zh-hans"):
        assert str(window) == "星期一 09:00–12:00"


def test_a_bad_time_zone_is_refused_on_its_field(db):
    calendar = BusinessCalendar(code="mars", name_zh="火星", time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as refused:
        calendar.full_clean()
    assert list(refused.value.message_dict) == ["time_zone"]
    assert "Mars/Olympus" in refused.value.message_dict["time_zone"][0]


def test_24x7_with_holidays_is_refused_on_the_holidays_box(db):
    calendar = BusinessCalendar(code="x", name_zh="x", always_open=True, observe_holidays=True)
    with pytest.raises(ValidationError) as refused:
        calendar.full_clean()
    assert list(refused.value.message_dict) == ["observe_holidays"]


def test_a_window_must_end_after_it_starts_but_may_end_at_midnight(db):
    calendar = BusinessCalendar.objects.get(code="workdays")
    backwards = WorkingWindow(calendar=calendar, weekday=5, start=time(12), end=time(9))
    with pytest.raises(ValidationError) as refused:
        backwards.full_clean()
    assert list(refused.value.message_dict) == ["end"]
    evening = WorkingWindow(calendar=calendar, weekday=5, start=time(18), end=time(0))
    evening.full_clean()
    assert evening.seconds == (18 * 3600, 86400)


def test_replace_windows_refuses_overlaps_with_their_row_and_writes_nothing(db):
    calendar = BusinessCalendar.objects.get(code="workdays")
    with pytest.raises(CalendarError) as refused:
        services.replace_windows(
            calendar, [(0, "09:00", "12:00"), (0, "11:30", "13:00"), (1, "09:00", "18:00")]
        )
    assert refused.value.field == "windows"
    assert [(r.row, r.field) for r in refused.value.rows] == [(2, "start")]
    assert calendar.windows.count() == 10
    services.replace_windows(calendar, [(0, "09:00", "12:00"), (0, "12:00", "24:00")])
    assert [w.seconds for w in calendar.windows.all()] == [(9 * 3600, 43200), (43200, 86400)]


def test_exceptions_reach_the_spec(db):
    calendar = BusinessCalendar.objects.get(code="workdays")
    CalendarException.objects.create(calendar=calendar, date=date(2025, 11, 3), kind="closed")
    extra = CalendarException.objects.create(calendar=calendar, date=date(2025, 11, 8), kind="open")
    ExceptionWindow.objects.create(exception=extra, start=time(10), end=time(14))
    CalendarException.objects.create(calendar=calendar, date=date(2025, 10, 3), kind="open")
    spec = services.load_spec(calendar)
    assert windows_on(spec, date(2025, 11, 3)) == ()
    assert windows_on(spec, date(2025, 11, 8)) == ((36000, 50400),)
    assert windows_on(spec, date(2025, 10, 3)) == windows_on(spec, date(2025, 11, 4))


def test_load_specs_reads_every_active_calendar_in_a_few_queries(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        specs = services.load_specs()
    assert len(specs) == 2


def test_an_unknown_calendar_is_a_clear_refusal(db):
    with pytest.raises(CalendarError) as refused:
        services.load_spec("nope")
    assert (refused.value.code, refused.value.status) == ("unknown_calendar", 404)


# --- the admin --------------------------------------------------------------------------


def _calendar_form(calendar, windows):
    data = {
        "code": calendar.code,
        "name_zh": calendar.name_zh,
        "name_en": calendar.name_en,
        "time_zone": calendar.time_zone,
        "adjusted_weekday": "0",
        "active": "on",
        "windows-TOTAL_FORMS": str(len(windows)),
        "windows-INITIAL_FORMS": "0",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
    }
    for i, (weekday, start, end) in enumerate(windows):
        data[f"windows-{i}-weekday"] = str(weekday)
        data[f"windows-{i}-start"] = start
        data[f"windows-{i}-end"] = end
    return data


def test_the_admin_refuses_overlapping_windows_on_the_row(admin_browser):
    calendar = BusinessCalendar(code="night", name_zh="夜班", name_en="Nights")
    data = _calendar_form(calendar, [(0, "09:00", "12:00"), (0, "11:00", "13:00")])
    with translation.override("en"):
        response = admin_browser.post("/admin/calendars/businesscalendar/add/", data)
    assert response.status_code == 200  # the form again, with the error
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[1].errors["start"] == [
        "Monday 11:00–13:00 overlaps the window 09:00–12:00."
    ]
    assert not BusinessCalendar.objects.filter(code="night").exists()


def test_the_admin_takes_24_00_and_logs_the_new_calendar(admin_browser):
    calendar = BusinessCalendar(code="night", name_zh="夜班", name_en="Nights")
    data = _calendar_form(calendar, [(0, "18:00", "24:00"), (1, "00:00", "06:00")])
    response = admin_browser.post("/admin/calendars/businesscalendar/add/", data)
    assert response.status_code == 302
    saved = BusinessCalendar.objects.get(code="night")
    assert sorted(w.seconds for w in saved.windows.all()) == [(0, 21600), (64800, 86400)]
    logged = ChangeLog.objects.filter(object_type__startswith="calendars.")
    assert {e.object_type for e in logged} == {
        "calendars.businesscalendar",
        "calendars.workingwindow",
    }
    page = admin_browser.get(f"/admin/calendars/businesscalendar/{saved.pk}/change/")
    assert 'value="24:00"' in page.content.decode()


def test_the_admin_pages_speak_chinese(admin_browser):
    office = BusinessCalendar.objects.get(code="workdays")
    with translation.override("zh-hans"):
        listing = admin_browser.get(
            "/admin/calendars/businesscalendar/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
        page = admin_browser.get(
            f"/admin/calendars/businesscalendar/{office.pk}/change/",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ).content.decode()
    assert "营业日历" in listing and "工作日 9:00–18:00" in listing
    for label in [
        "7×24 小时营业",
        "遵循中国法定节假日",
        "调休上班日采用的工作时段",
        "星期一",
        "工作时段",
    ]:
        assert label in page
    assert "Monday" not in page and "business calendar" not in page
