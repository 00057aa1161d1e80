"""Re-seed roles: grants the transfer, stocktake and spare-part permissions."""

from django.db import migrations


def seed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_transfers_stocktakes_parts"),
        ("accounts", "0003_distributor_role"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
