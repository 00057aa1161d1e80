"""A trigram index on customers' names, for the agent console's "name contains" search.

PostgreSQL only (the ``pg_trgm`` extension, trusted since PostgreSQL 13, so the
database's owner may create it): SQLite has no such index, and there the search stays
with the beginning of a name (``parties.search.contains_supported``). Partial on
customers, the only parties the search looks for. ``fastupdate = off``: with the
default, new names wait in the index's pending list, which every search reads whole
(30 ms after 300,000 inserts) until a vacuum merges it; a customer is saved rarely and
searched all day, so the insert pays instead. The index is not declared on the
model because no SQLite equivalent exists; ``makemigrations`` does not see it.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS party_customer_name_trgm ON parties_party "
    "USING gin (name gin_trgm_ops) WITH (fastupdate = off) WHERE kind = 'customer'",
]
DROP = ["DROP INDEX IF EXISTS party_customer_name_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0005_work_order_pages"),
        ("parties", "0005_resolve_party_addresses"),
    ]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
