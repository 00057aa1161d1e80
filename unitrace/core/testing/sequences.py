"""Id sequences that do not remember earlier tests (PostgreSQL).

A rolled-back transaction gives its rows back but not the ids it drew: PostgreSQL's
sequences keep counting, so the ids of rows a test seeds depend on which tests ran
before it. A test whose generated input picks ids (the API fuzz run) starts every
sequence right after its table's highest id first; then the same seed always gets the
same ids. SQLite's counters are part of the transaction and need nothing.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections


def reset_sequences(using: str = "default") -> int:
    """Set every model's id sequence to continue after its table's highest id (or to
    start at 1 in an empty table); the number of statements run."""
    connection = connections[using]
    models = apps.get_models(include_auto_created=True)
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return len(statements)
