"""Serials are unique per SKU in any letter case (scanning reads PB1 and pb1 as one).

The unique index on (upper(serial), sku) replaces the one on (sku, serial), which it
implies. Before building it the migration looks for serials that already clash and,
if there are any, stops with the list so they can be corrected (an ``adjusted`` event,
or a rename by a data fix) before migrating again.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Upper

SHOWN = 50


def refuse_case_duplicates(apps, schema_editor):
    Unit = apps.get_model("serials", "Unit")
    clashes = (
        Unit.objects.using(schema_editor.connection.alias)
        .annotate(upper_serial=Upper("serial"))
        .values("sku_id", "sku__code", "upper_serial")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("sku__code", "upper_serial")
    )
    found = list(clashes[: SHOWN + 1])
    if not found:
        return
    lines = []
    for clash in found[:SHOWN]:
        serials = (
            Unit.objects.using(schema_editor.connection.alias)
            .annotate(upper_serial=Upper("serial"))
            .filter(sku_id=clash["sku_id"], upper_serial=clash["upper_serial"])
            .order_by("pk")
            .values_list("pk", "serial")
        )
        units = ", ".join(f"#{pk} {serial}" for pk, serial in serials)
        lines.append(f"  SKU {clash['sku__code']}: {units}")
    more = "\n  ... and more" if len(found) > SHOWN else ""
    raise RuntimeError(
        "Serials that differ only in letter case are registered under one SKU; scanning "
        "cannot tell them apart. Correct them, then migrate again:\n"
        + "\n".join(lines)
        + more
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_reseed_roles_after_contrib_apps"),
        ("parties", "0002_authorized_regions"),
        ("places", "0002_move_content_types"),
        ("serials", "0007_event_replaces"),
    ]

    operations = [
        migrations.RunPython(refuse_case_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Upper("serial"),
                models.F("sku"),
                name="unit_serial_unique_per_sku_ci",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="unit",
            name="unit_serial_unique_per_sku",
        ),
    ]
