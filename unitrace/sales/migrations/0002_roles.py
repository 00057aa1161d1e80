"""Re-seed roles: grants the sales permissions created by 0001."""

from django.db import migrations


def seed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial"), ("accounts", "0003_distributor_role")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
