"""Re-seed the roles once the after-sales tables exist (saved views, intake's idempotency
keys and phone codes, the SLA tables), so supervisors keep the SLA policies and their
regions, the roles that read work orders read their clocks and escalations, and
"every permission" roles hold the new ones."""

from django.db import migrations


def reseed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_reseed_roles_for_calendars"),
        ("service", "0009_sla_default_policies"),
    ]

    operations = [migrations.RunPython(reseed, migrations.RunPython.noop)]
