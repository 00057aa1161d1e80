"""The two calendars every company starts with: office hours on China's working days
(public holidays off, 调休 days worked) and around the clock."""

import datetime

from django.db import migrations

OFFICE = "workdays"
ROUND_THE_CLOCK = "24x7"


def create(apps, schema_editor):
    BusinessCalendar = apps.get_model("calendars", "BusinessCalendar")
    WorkingWindow = apps.get_model("calendars", "WorkingWindow")
    office, created = BusinessCalendar.objects.get_or_create(
        code=OFFICE,
        defaults={
            "name_zh": "工作日 9:00–18:00（法定节假日休息，调休上班）",
            "name_en": "Working days 9:00–18:00 (public holidays off, adjusted working days on)",
            "time_zone": "Asia/Shanghai",
            "always_open": False,
            "observe_holidays": True,
            "adjusted_weekday": 0,
        },
    )
    if created:
        WorkingWindow.objects.bulk_create(
            WorkingWindow(calendar=office, weekday=weekday, start=start, end=end)
            for weekday in range(5)
            for start, end in (
                (datetime.time(9), datetime.time(12)),
                (datetime.time(13), datetime.time(18)),
            )
        )
    BusinessCalendar.objects.get_or_create(
        code=ROUND_THE_CLOCK,
        defaults={
            "name_zh": "7×24 小时",
            "name_en": "24×7",
            "time_zone": "Asia/Shanghai",
            "always_open": True,
            "observe_holidays": False,
        },
    )


def remove(apps, schema_editor):
    BusinessCalendar = apps.get_model("calendars", "BusinessCalendar")
    BusinessCalendar.objects.filter(code__in=[OFFICE, ROUND_THE_CLOCK]).delete()


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
