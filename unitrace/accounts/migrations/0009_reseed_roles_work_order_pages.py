"""Re-seed the roles once the saved work-order views exist, so "every permission"
roles hold theirs."""

from django.db import migrations


def reseed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_reseed_roles_for_calendars"),
        ("service", "0005_work_order_pages"),
    ]

    operations = [migrations.RunPython(reseed, migrations.RunPython.noop)]
