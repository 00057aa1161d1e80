"""Warehouse and Bin: their content types, permissions and change log follow them here.

The permissions keep their rows (and so every group and user holding them); only the
app label changes, from ``inventory.*`` to ``places.*``. Roles are re-seeded after.
"""

from django.db import migrations

from unitrace.core.model_moves import content_type_move

forward, backward = content_type_move("inventory", "places", ["warehouse", "bin"])


def seed(apps, schema_editor):
    from unitrace.accounts.services import sync_roles

    sync_roles(apps, strict=False)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
        ("inventory", "0004_places_leave_state"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("core", "0001_initial"),
        ("accounts", "0003_distributor_role"),
    ]
    operations = [
        migrations.RunPython(forward, backward),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
