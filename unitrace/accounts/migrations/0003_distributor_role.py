"""Re-seed roles: adds the distributor / service-partner role."""

from django.db import migrations


def seed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_seed_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
