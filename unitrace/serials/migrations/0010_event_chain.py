"""Every unit event carries a hash chained to the unit's previous event (``serials.chain``).

Events written before are sealed here, per unit in id order: the one other time existing
events are written to (see 0007) — the append-only trigger is lifted for this statement
only and restored in the same transaction; no recorded fact changes. On SQLite adding
the column rebuilds the table, which loses its triggers: they are put back at the end
(and, going backwards, after the column is dropped again).
"""

import django.utils.timezone
from django.db import migrations, models

from unitrace.core.chain import seal
from unitrace.serials.chain import EVENT_FIELDS, payload

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS serials_unitevent_no_update",
    "DROP TRIGGER IF EXISTS serials_unitevent_no_delete",
    """CREATE TRIGGER serials_unitevent_no_update BEFORE UPDATE ON serials_unitevent
       BEGIN SELECT RAISE(ABORT, 'unit events are append-only'); END;""",
    """CREATE TRIGGER serials_unitevent_no_delete BEFORE DELETE ON serials_unitevent
       BEGIN SELECT RAISE(ABORT, 'unit events are append-only'); END;""",
]


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def seal_events(apps, schema_editor):
    db = schema_editor.connection.alias
    unit_event = apps.get_model("serials", "UnitEvent")
    pairs = []
    unit_id, prev = None, ""
    rows = unit_event.objects.using(db).order_by("unit_id", "id")
    for values in rows.values_list("id", *EVENT_FIELDS).iterator(chunk_size=5000):
        if values[1] != unit_id:
            unit_id, prev = values[1], ""
        prev = seal(prev, payload(values[1:]))
        pairs.append((prev, values[0]))
    vendor = schema_editor.connection.vendor
    if pairs:
        if vendor == "postgresql":
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            schema_editor.execute(
                "ALTER TABLE serials_unitevent DISABLE TRIGGER serials_unitevent_no_update"
            )
        elif vendor == "sqlite":
            schema_editor.execute("DROP TRIGGER IF EXISTS serials_unitevent_no_update")
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany("UPDATE serials_unitevent SET chain_hash = %s WHERE id = %s", pairs)
        if vendor == "postgresql":
            schema_editor.execute(
                "ALTER TABLE serials_unitevent ENABLE TRIGGER serials_unitevent_no_update"
            )
            schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
    restore_sqlite_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("serials", "0009_part_swapped_event"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AddField(
            model_name="unitevent",
            name="chain_hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="chain hash"
            ),
        ),
        migrations.AlterField(
            model_name="unitevent",
            name="recorded_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="recorded at"
            ),
        ),
        migrations.RunPython(seal_events, migrations.RunPython.noop),
    ]
