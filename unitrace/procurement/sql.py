"""Long lists of serials or ids as one query parameter.

``serial IN ('A1', 'A2', ... 2,000 literals)`` costs more to send, parse and plan than
to run; a bulk receipt of 100,000 serials spent seconds on exactly that. As one array
(PostgreSQL) or one JSON text (SQLite) the whole list is a single parameter, and
``field__in=as_rows(values)`` stays an ordinary ORM filter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection
from django.db.models.expressions import RawSQL

SMALL = 50  # below this a plain IN list is as good
LIST_CHUNK = 100_000  # values per query, to bound the size of one statement


def as_rows(values: Sequence, db_type: str = "text") -> RawSQL | list:
    """``values`` as a one-parameter subquery (``db_type``: "text" or "bigint")."""
    values = list(values)
    if len(values) <= SMALL:
        return values
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{db_type}[])", [values])  # noqa: S611 - fixed type
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])
