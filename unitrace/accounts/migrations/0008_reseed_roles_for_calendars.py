"""Re-seed the roles once the business-calendar tables exist, so the roles that watch
service times may read the calendars and "every permission" roles hold theirs."""

from django.db import migrations


def reseed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_reseed_roles_for_work_orders"),
        ("calendars", "0002_default_calendars"),
    ]

    operations = [migrations.RunPython(reseed, migrations.RunPython.noop)]
