"""Registering new units in bulk: the ledger's ``registered`` event for many serials.

A million units is a normal day for a manufacturer, so this is the one place that
bypasses the ORM's row-by-row inserts: on PostgreSQL unit ids are reserved from the
sequence and units and events stream in with COPY; on SQLite they go in with
``executemany`` inside one IMMEDIATE transaction. Uniqueness is still enforced by the
database's (sku, upper(serial)) constraint: two serials that differ only in letter case
are one serial.

With ``UNITRACE_SERIAL_GLOBAL_UNIQUE`` no constraint covers a serial under two SKUs, so
:func:`register_units` serializes registrations itself: on PostgreSQL it takes
``LOCK TABLE <units> IN SHARE ROW EXCLUSIVE MODE`` (which conflicts with itself and with
every insert, update and delete on units, until the transaction ends) and then checks
the serials against all SKUs; on SQLite the IMMEDIATE transaction already admits one
writer at a time. A serial found taken raises ``IntegrityError``, as the constraint would.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.context import current_actor
from unitrace.core.pgcopy import copy_lines, copy_rows, copy_text, needs_escaping
from unitrace.serials.chain import EVENT_FIELDS, first_event_sealer
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import EventType, Status


@dataclass(frozen=True)
class NewUnit:
    serial: str
    supplier_serial: str = ""
    batch_id: int | None = None
    production_date: date | None = None


def _reserve_ids(table: str, count: int) -> list[int]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _tokens(count: int) -> list[str]:
    """``count`` values of ``secrets.token_urlsafe(12)`` from one call to the OS RNG."""
    # 12 random bytes are exactly 16 base64 characters, so slices never share a byte.
    raw = base64.urlsafe_b64encode(secrets.token_bytes(12 * count)).decode("ascii")
    return [raw[i : i + 16] for i in range(0, 16 * count, 16)]


def _insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    if connection.vendor == "postgresql":
        copy_rows(table, columns, rows)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
            list(rows),
        )


def registered_serials(serials: Sequence[str], sku_id: int | None) -> dict[str, str]:
    """Which of ``serials`` are already registered, in any letter case (scanning treats
    ``PB1`` and ``pb1`` as one unit): serial as asked -> code of the SKU holding it.

    Only units of ``sku_id`` count, or units of any SKU when ``sku_id`` is None. One
    query whatever the number of serials: PostgreSQL joins the list (sent as one text
    parameter) with the units; SQLite walks a JSON array against the index on
    (upper(serial), sku) that also enforces the rule.
    """
    if not serials:
        return {}
    unit_table = Unit._meta.db_table
    sku_table = Unit._meta.get_field("sku").related_model._meta.db_table
    joined = "\n".join(serials)
    if connection.vendor == "postgresql" and joined.count("\n") == len(serials) - 1:
        source = "unnest(string_to_array(%s, chr(10))) AS wanted(serial) JOIN"
        params: list[object] = [joined]
    elif connection.vendor == "sqlite":
        # CROSS JOIN makes SQLite walk the list and probe the index, never the reverse.
        source = "(SELECT value AS serial FROM json_each(%s)) AS wanted CROSS JOIN"
        params = [json.dumps(list(serials))]
    else:
        taken: dict[str, str] = {}
        asked = {serial.upper(): serial for serial in serials}
        wanted = list(asked)
        for start in range(0, len(wanted), 2000):
            query = Unit.objects.annotate(upper_serial=Upper("serial")).filter(
                upper_serial__in=wanted[start : start + 2000]
            )
            if sku_id is not None:
                query = query.filter(sku_id=sku_id)
            for upper, sku_code in query.values_list("upper_serial", "sku__code"):
                taken[asked[upper]] = sku_code
        return taken
    sql = (
        f"SELECT wanted.serial, s.code FROM {source} "  # noqa: S608 - names from the models
        f"{unit_table} u ON upper(u.serial) = upper(wanted.serial) "
        f"JOIN {sku_table} s ON s.id = u.sku_id"
    )
    if sku_id is not None:
        sql += " WHERE u.sku_id = %s"
        params.append(sku_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def register_units(
    sku,
    items: Sequence[NewUnit],
    *,
    warehouse=None,
    when: datetime | None = None,
    ref_type: str = "",
    ref_id: str = "",
    notes: str = "",
    chunk: int = 50_000,
    progress=None,
) -> int:
    """Create units with their ``registered`` event, all in the caller's transaction.

    The caller has validated the serials (see ``importing`` and ``generation``); a
    duplicate that slipped in concurrently still fails on the unique constraint (with
    ``UNITRACE_SERIAL_GLOBAL_UNIQUE``: on the check made under a table lock, see the
    module docstring) with ``IntegrityError`` and rolls everything back.
    """
    if not items:
        return 0
    when = when or timezone.now()
    actor = current_actor()
    warehouse_id = warehouse.pk if warehouse is not None else None
    registered = Status.REGISTERED.value
    event = {
        "type": EventType.REGISTERED.value,
        "actor_id": actor.user_id,
        "actor_name": actor.username,
        "source": actor.source,
        "ip_address": actor.ip_address,
        "warehouse_id": warehouse_id,
        "region": "",
        "ref_type": ref_type,
        "ref_id": ref_id,
        "notes": notes,
        "details": "{}",
        "from_status": "",
        "to_status": registered,
    }
    postgres = connection.vendor == "postgresql"
    write = _register_chunk_postgres if postgres else _register_chunk_sqlite
    done = 0
    with transaction.atomic():
        if settings.UNITRACE_SERIAL_GLOBAL_UNIQUE:
            _claim_globally([item.serial for item in items])
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk]
            write(sku.pk, part, warehouse_id, when, event)
            done += len(part)
            if progress is not None:
                progress(done)
    return done


def _claim_globally(serials: list[str]) -> None:
    """Under the global-uniqueness setting: lock out other writers, then check all SKUs.

    The lock is held until the caller's transaction ends, so no parallel registration
    can add one of these serials under another SKU between this check and the commit.
    Under READ COMMITTED the check's query sees everything committed before the lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Unit._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
    taken = registered_serials(serials, None)
    if taken:
        serial, sku_code = next(iter(taken.items()))
        raise IntegrityError(
            _("serial %(serial)s is already registered (SKU %(sku)s)")
            % {"serial": serial, "sku": sku_code}
        )


# The unit columns that vary per row come first, the ones shared by the chunk last.
_UNIT_OWN = ["id", "serial", "supplier_serial", "batch_id", "production_date", "public_token"]
_UNIT_SHARED = ["sku_id", "status", "warehouse_id", "registered_at", "last_event_at", "event_count"]


def _event_sealer(when: datetime, event: dict):
    """Seals each unit's ``registered`` event, the first of its chain (``serials.chain``)."""
    known = {"occurred_at": when, "recorded_at": when, **event, "details": {}}
    return first_event_sealer([known.get(name) for name in EVENT_FIELDS])


def _register_chunk_postgres(
    sku_id: int, part: Sequence[NewUnit], warehouse_id, when: datetime, event: dict
) -> None:
    unit_ids = _reserve_ids(Unit._meta.db_table, len(part))
    tokens = _tokens(len(part))
    shared = "\t".join(
        map(copy_text, [sku_id, Status.REGISTERED.value, warehouse_id, when, when, 1])
    )
    # Serials are validated text; escape only when some value needs it (never, in practice).
    plain = not needs_escaping("".join(u.serial + u.supplier_serial for u in part))
    esc = str if plain else copy_text
    dates: dict[object, str] = {None: "\\N"}
    batches: dict[object, str] = {None: "\\N"}

    def unit_lines():
        for uid, item, token in zip(unit_ids, part, tokens, strict=True):
            made = item.production_date
            day = dates.get(made)
            if day is None:
                day = dates[made] = copy_text(made)
            batch = batches.get(item.batch_id)
            if batch is None:
                batch = batches[item.batch_id] = copy_text(item.batch_id)
            yield (
                f"{uid}\t{esc(item.serial)}\t{esc(item.supplier_serial)}\t{batch}\t{day}\t"
                f"{token}\t{shared}\n"
            )

    copy_lines(Unit._meta.db_table, _UNIT_OWN + _UNIT_SHARED, unit_lines())
    # Event ids come from the column's identity default, in COPY order.
    columns = ["unit_id", "occurred_at", "recorded_at", *event, "chain_hash"]
    same = "\t".join(map(copy_text, [when, when, *event.values()]))
    seal = _event_sealer(when, event)
    copy_lines(
        UnitEvent._meta.db_table,
        columns,
        (f"{uid}\t{same}\t{seal(uid)}\n" for uid in unit_ids),
    )


def _register_chunk_sqlite(
    sku_id: int, part: Sequence[NewUnit], warehouse_id, when: datetime, event: dict
) -> None:
    ops = connection.ops
    when_db = ops.adapt_datetimefield_value(when)
    unit_ids = _reserve_ids(Unit._meta.db_table, len(part))
    tokens = _tokens(len(part))
    shared = [sku_id, Status.REGISTERED.value, warehouse_id, when_db, when_db, 1]
    dates: dict[object, object] = {None: None}

    def day(value: object) -> object:
        if value not in dates:
            dates[value] = ops.adapt_datefield_value(value)
        return dates[value]

    _insert(
        Unit._meta.db_table,
        _UNIT_OWN + _UNIT_SHARED,
        [
            (
                uid,
                item.serial,
                item.supplier_serial,
                item.batch_id,
                day(item.production_date),
                token,
                *shared,
            )
            for uid, item, token in zip(unit_ids, part, tokens, strict=True)
        ],
    )
    event_ids = _reserve_ids(UnitEvent._meta.db_table, len(part))
    same = (when_db, when_db, *event.values())
    seal = _event_sealer(when, event)
    _insert(
        UnitEvent._meta.db_table,
        ["id", "unit_id", "occurred_at", "recorded_at", *event, "chain_hash"],
        [(eid, uid, *same, seal(uid)) for eid, uid in zip(event_ids, unit_ids, strict=True)],
    )
