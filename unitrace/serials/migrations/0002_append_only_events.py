"""Make the event ledger append-only in the database itself, not only in the ORM.

On PostgreSQL a trigger refuses UPDATE and DELETE on unit events; on SQLite the same
is done with two triggers. Tamper-evidence that survives a raw SQL session.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION serials_unitevent_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'unit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER serials_unitevent_no_update BEFORE UPDATE OR DELETE ON serials_unitevent
  FOR EACH ROW EXECUTE FUNCTION serials_unitevent_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS serials_unitevent_no_update ON serials_unitevent;
DROP FUNCTION IF EXISTS serials_unitevent_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER serials_unitevent_no_update BEFORE UPDATE ON serials_unitevent
       BEGIN SELECT RAISE(ABORT, 'unit events are append-only'); END;""",
    """CREATE TRIGGER serials_unitevent_no_delete BEFORE DELETE ON serials_unitevent
       BEGIN SELECT RAISE(ABORT, 'unit events are append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS serials_unitevent_no_update;",
    "DROP TRIGGER IF EXISTS serials_unitevent_no_delete;",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("serials", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
