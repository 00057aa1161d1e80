"""Re-seed roles once Django's own apps (sessions, admin) have their tables too.

The earlier seeds can run before ``django.contrib.sessions`` is migrated, and then
the administrator role's "*" misses those permissions; accounts/tests/test_roles.py
checks that every role holds exactly what accounts/roles.py grants.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("accounts", "0003_distributor_role"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("sessions", "0001_initial"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
