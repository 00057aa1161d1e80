"""An index on ``serial COLLATE "C"`` for the agent console's partial-serial search.

The search asks for a range of serials in byte order and the first 20 of them
(``service.search._serials_from``); this index gives them in order, so the scan stops at
20 rows however many serials share the prefix. PostgreSQL only: on SQLite the column's
own collation is already byte order and the existing index on ``serial`` serves it. Not
declared on the model (SQLite has no "C" collation), so ``makemigrations`` does not see
it.
"""

from django.db import migrations

CREATE = ['CREATE INDEX IF NOT EXISTS unit_serial_c ON serials_unit ((serial COLLATE "C"))']
DROP = ["DROP INDEX IF EXISTS unit_serial_c"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("service", "0009_sla_default_policies")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
