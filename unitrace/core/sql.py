"""Hand-written reads for the few hot paths where the ORM's per-query cost dominates.

Compiling a queryset costs the application 0.5-1.5 ms of CPU per query, more than
PostgreSQL needs to answer it. Endpoints asked thousands of times a minute (the unit
file, token authentication) send fixed SQL instead. On PostgreSQL the statements are
prepared once per connection (server-side binding), so the server does not re-plan
them per request either; ``UNITRACE_DB_PREPARE=0`` turns that off for a connection
pooler in transaction mode that cannot keep prepared statements. Queries still appear
in ``connection.queries`` (and so in the query-count tests and the debug log).

Results come back as plain tuples with the same Python types on both databases:
aware datetimes (UTC), dates, and decoded JSON.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import DEFERRED

# Django turns psycopg's automatic preparing off (prepare_threshold None), which also
# ignores an explicit prepare=True. A threshold no query reaches keeps Django's own
# queries unprepared (they use client-side binding anyway) and lets ours be prepared.
_NEVER_BY_COUNT = 2**31


def _prepared_cursor():
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _NEVER_BY_COUNT
    return psycopg.Cursor(raw)


def fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Run one read (``%s`` placeholders) and return its rows."""
    start = time.perf_counter()
    if connection.vendor == "postgresql" and getattr(settings, "UNITRACE_DB_PREPARE", True):
        with connection.wrap_database_errors, _prepared_cursor() as cursor:
            cursor.execute(sql, params, prepare=True)
            rows = cursor.fetchall()
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return rows  # the Django cursor has logged the query already
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"{sql} -- {list(params)!r}", "time": f"{time.perf_counter() - start:.3f}"}
        )
    return rows


def fetch_one(sql: str, params: Sequence[Any] = ()) -> tuple | None:
    rows = fetch(sql, params)
    return rows[0] if rows else None


def aware(value: datetime | str | None) -> datetime | None:
    """A timestamp column as an aware datetime (SQLite hands back naive UTC or text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def day(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def json_value(value: Any) -> Any:
    """A JSON column: PostgreSQL decodes it already, SQLite returns the text."""
    if isinstance(value, str | bytes):
        return json.loads(value)
    return value


_CONVERTERS = {"DateTimeField": aware, "DateField": day, "JSONField": json_value}


def columns(model, names: Sequence[str], alias: str) -> str:
    """``alias.col, ...`` for ``names`` (attribute names) of ``model``."""
    meta = model._meta
    return ", ".join(f"{alias}.{meta.get_field(n).column}" for n in names)


def instance(model, names: Sequence[str], values: Sequence[Any]):
    """A model instance from selected columns; fields not selected load on access.

    Returns None when the primary key is NULL (the row of an unmatched LEFT JOIN).
    """
    data = dict(zip(names, values, strict=True))
    if data.get("id") is None:
        return None
    meta = model._meta
    for name, value in data.items():
        if value is not None:
            convert = _CONVERTERS.get(meta.get_field(name).get_internal_type())
            if convert is not None:
                data[name] = convert(value)
    by_attname = {meta.get_field(n).attname: v for n, v in data.items()}
    fields = meta.concrete_fields
    values = [by_attname.get(f.attname, DEFERRED) for f in fields]
    return model.from_db("default", [f.attname for f in fields], values)
