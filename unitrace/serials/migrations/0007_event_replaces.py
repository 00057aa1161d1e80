"""A replacement's event names the unit it replaces by id (``UnitEvent.replaces``).

Until now an exchange wrote the old unit's serial into the replacement's ``delivered``
event (``details["exchange_for"]``, which stays for display). The warranty follows a
chain of replacements, so the reference becomes a real foreign key, filled here for the
events written before: the serial is looked up within the replacement's SKU (an exchange
is always for the same SKU). This is the one time existing events are written to: the
append-only trigger is lifted for this statement only and restored in the same
transaction; no recorded fact changes, the reference only gains its id.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_TRIGGER = """CREATE TRIGGER serials_unitevent_no_update BEFORE UPDATE ON serials_unitevent
       BEGIN SELECT RAISE(ABORT, 'unit events are append-only'); END;"""
SQLITE_DELETE_TRIGGER = """CREATE TRIGGER serials_unitevent_no_delete BEFORE DELETE ON serials_unitevent
       BEGIN SELECT RAISE(ABORT, 'unit events are append-only'); END;"""


def restore_sqlite_triggers(apps, schema_editor):
    """Unapplying drops the column; SQLite does that by rebuilding the table, which loses
    its triggers, so they are put back (this runs last when going backwards)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS serials_unitevent_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS serials_unitevent_no_delete")
        schema_editor.execute(SQLITE_TRIGGER)
        schema_editor.execute(SQLITE_DELETE_TRIGGER)


def _replaced_pairs(apps, db) -> list[tuple[int, int]]:
    """(event id, replaced unit id) for every replacement event still lacking the id."""
    unit_event = apps.get_model("serials", "UnitEvent")
    unit = apps.get_model("serials", "Unit")
    events = (
        unit_event.objects.using(db)
        .filter(type="delivered", replaces__isnull=True, details__has_key="exchange_for")
        .values_list("pk", "unit__sku_id", "details")
    )
    pairs = []
    for event_id, sku_id, details in events.iterator():
        serial = details.get("exchange_for")
        old = (
            unit.objects.using(db)
            .filter(sku_id=sku_id, serial=serial)
            .values_list("pk", flat=True)
            .first()
        )
        if old is not None:
            pairs.append((event_id, old))
    return pairs


def fill_replaces(apps, schema_editor):
    db = schema_editor.connection.alias
    pairs = _replaced_pairs(apps, db)
    if not pairs:
        return
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # deferred FK checks still pending in this transaction would block the ALTER
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(
            "ALTER TABLE serials_unitevent DISABLE TRIGGER serials_unitevent_no_update"
        )
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS serials_unitevent_no_update")
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE serials_unitevent SET replaces_id = %s WHERE id = %s",
            [(old, event_id) for event_id, old in pairs],
        )
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE serials_unitevent ENABLE TRIGGER serials_unitevent_no_update"
        )
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("serials", "0006_places_in_state")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AddField(
            model_name="unitevent",
            name="replaces",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="serials.unit",
                verbose_name="replaces",
            ),
        ),
        migrations.AddIndex(
            model_name="unitevent",
            index=models.Index(
                condition=models.Q(("replaces__isnull", False)),
                fields=["replaces"],
                name="event_replaces_idx",
            ),
        ),
        migrations.RunPython(fill_replaces, migrations.RunPython.noop),
    ]
