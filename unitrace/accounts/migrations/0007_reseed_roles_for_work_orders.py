"""Re-seed the roles once the work-order tables exist: agents, dispatchers, engineers and
the new service supervisors receive their work-order permissions on a migrated database."""

from django.db import migrations


def reseed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_reseed_roles_for_company_settings"),
        ("service", "0003_work_orders"),
    ]

    operations = [migrations.RunPython(reseed, migrations.RunPython.noop)]
