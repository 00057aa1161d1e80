"""Existing parties' 省/市/区 and addresses resolved into division codes and centroids."""

from django.db import migrations


def resolve_all(apps, schema_editor):
    from unitrace.parties.addresses import backfill_locations

    backfill_locations(apps.get_model("parties", "Party"))


class Migration(migrations.Migration):
    dependencies = [("parties", "0004_party_location")]

    operations = [migrations.RunPython(resolve_all, migrations.RunPython.noop, elidable=True)]
