"""Default SLA policies, one per priority plus a fallback, with the figures of the
appliance makers' checklist (urgent: respond within 1 h; normal: within 45 min).

Urgent jobs run on the 24×7 calendar; the others on office hours (9–12, 13–18 on China's
working days, so 8 business hours make a working day). Admins edit them afterwards.
"""

from django.db import migrations

HOUR = 60
DAY = 8 * HOUR  # one working day on the office calendar

# code, zh, en, priority, calendar, respond, arrive, resolve, pause for parts
POLICIES = [
    ("urgent", "紧急", "Urgent", "urgent", "24x7", 1 * HOUR, 4 * HOUR, 24 * HOUR, False),
    ("high", "高", "High", "high", "workdays", 45, 1 * DAY, 3 * DAY, True),
    ("normal", "普通", "Normal", "normal", "workdays", 45, 2 * DAY, 5 * DAY, True),
    ("low", "低", "Low", "low", "workdays", 4 * HOUR, 5 * DAY, 10 * DAY, True),
    ("default", "默认", "Default", "", "workdays", 45, 2 * DAY, 5 * DAY, True),
]


def create(apps, schema_editor):
    SLAPolicy = apps.get_model("service", "SLAPolicy")
    BusinessCalendar = apps.get_model("calendars", "BusinessCalendar")
    calendars = {c.code: c for c in BusinessCalendar.objects.all()}
    for code, zh, en, priority, calendar, respond, arrive, resolve, parts in POLICIES:
        if calendar not in calendars:
            continue
        SLAPolicy.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "priority": priority,
                "calendar": calendars[calendar],
                "respond_minutes": respond,
                "arrive_minutes": arrive,
                "resolve_minutes": resolve,
                "at_risk_percent": 80,
                "pause_for_parts": parts,
            },
        )


def remove(apps, schema_editor):
    SLAPolicy = apps.get_model("service", "SLAPolicy")
    SLAPolicy.objects.filter(code__in=[p[0] for p in POLICIES], clocks__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("service", "0008_sla_clocks"), ("calendars", "0002_default_calendars")]

    operations = [migrations.RunPython(create, remove)]
