"""Re-seed the roles once the company-settings table exists, so "every permission"
roles such as admin hold its permissions on a migrated database too."""

from django.db import migrations


def reseed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_reseed_roles_after_security_apps"),
        ("core", "0005_company_settings"),
    ]

    operations = [migrations.RunPython(reseed, migrations.RunPython.noop)]
