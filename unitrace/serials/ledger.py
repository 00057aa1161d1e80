"""The serials ledger: the one path through which a unit's state changes.

Every business document (registration, receipt, delivery, repair, recall...) calls one
constructor here per event kind. Each constructor locks the unit row, asks the
transition table whether the event may happen, appends the event and updates the
unit's derived state in the same transaction. ``apply_event`` is the single definition
of how an event changes state; ``rebuild_unit`` replays it to detect drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from unitrace.core.context import current_actor
from unitrace.core.display import shown_date, shown_moment
from unitrace.core.errors import DomainError, RowError
from unitrace.core.pgcopy import copy_rows
from unitrace.serials.chain import seal_event, seal_many
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import TRANSITIONS, EventType, Status, refusal

STATE_FIELDS = [
    "status",
    "warehouse",
    "bin",
    "holder",
    "distributor",
    "parent",
    "registered_at",
    "received_at",
    "shipped_at",
    "sold_at",
    "activated_at",
    "installed_at",
    "last_event_at",
    "event_count",
]


class LedgerError(DomainError, ValueError):
    """A refused event, with the reason a person can act on.

    Answered with 400 like every refusal (as it always has been), although most are state
    conflicts: clients branch on ``code`` (``illegal_transition``, ``out_of_order``, ...).
    """

    code = "refused"

    def __init__(self, message: str, *, unit: Unit | None = None, code: str = "refused"):
        super().__init__(message, code=code)
        self.unit = unit

    def __str__(self) -> str:
        if self.unit is not None:
            return f"{self.unit.serial}: {self.message}"
        return self.message


@dataclass
class EventData:
    """What a caller says about an event; everything optional but the type."""

    type: str
    when: datetime | None = None
    warehouse: Any = None
    bin: Any = None
    party: Any = None
    region: str = ""
    ref_type: str = ""
    ref_id: str = ""
    notes: str = ""
    details: dict[str, Any] | None = None
    parent: Any = None
    replaces: Any = None  # the unit this one replaces (an exchange's replacement)


REQUIRES_WAREHOUSE = {
    EventType.RECEIVED,
    EventType.MOVED,
    EventType.TRANSFER_IN,
    EventType.FOUND,
}
REQUIRES_PARTY = {EventType.DELIVERED, EventType.SOLD_THROUGH}
# a correction or a loss says why: the ledger is read by auditors
REQUIRES_REASON = {
    EventType.MISSING: gettext_noop("a missing unit needs a reason"),
    EventType.ADJUSTED: gettext_noop("a correction needs a reason"),
}


def field_status(unit: Unit) -> str:
    if unit.installed_at:
        return Status.INSTALLED
    if unit.activated_at:
        return Status.ACTIVATED
    return Status.SOLD


def apply_event(unit: Unit, event: UnitEvent) -> None:
    """How one event changes a unit's derived state (used live and by rebuild)."""
    kind = event.type
    when = event.occurred_at
    _allowed, target = TRANSITIONS[kind]
    if kind == EventType.REGISTERED:
        unit.registered_at = when
        unit.warehouse_id = event.warehouse_id
    elif kind in {EventType.RECEIVED, EventType.TRANSFER_IN, EventType.RETURNED}:
        unit.warehouse_id = event.warehouse_id
        unit.bin_id = event.details.get("bin_id")
        if kind == EventType.RECEIVED:
            unit.received_at = unit.received_at or when
        if kind in {EventType.RECEIVED, EventType.RETURNED}:
            unit.holder_id = None
    elif kind == EventType.SOLD_THROUGH:
        unit.holder_id = event.party_id
        unit.sold_at = when
    elif kind in {EventType.FOUND, EventType.QUARANTINED} and event.warehouse_id:
        unit.warehouse_id = event.warehouse_id
        unit.bin_id = event.details.get("bin_id")
    elif kind == EventType.MISSING:
        unit.bin_id = None
    elif kind == EventType.MOVED:
        unit.warehouse_id = event.warehouse_id
        unit.bin_id = event.details.get("bin_id")
    elif kind == EventType.SHIPPED:
        unit.warehouse_id = None
        unit.bin_id = None
        unit.shipped_at = when
        if event.party_id:
            unit.holder_id = event.party_id
    elif kind == EventType.DELIVERED:
        unit.warehouse_id = None
        unit.bin_id = None
        unit.holder_id = event.party_id
        unit.shipped_at = unit.shipped_at or when
        unit.sold_at = when
        if event.details.get("party_kind") == "distributor":
            unit.distributor_id = event.party_id
    elif kind == EventType.ACTIVATED:
        unit.activated_at = when
    elif kind == EventType.INSTALLED:
        unit.installed_at = when
    elif kind == EventType.FITTED:
        unit.parent_id = event.details.get("parent_id")
        unit.warehouse_id = None
        unit.bin_id = None
    elif kind == EventType.UNFITTED:
        unit.parent_id = None
        unit.warehouse_id = event.warehouse_id
    elif kind == EventType.SCRAPPED:
        unit.warehouse_id = None
        unit.bin_id = None
    elif kind == EventType.SERVICE_IN and event.warehouse_id:
        unit.warehouse_id = event.warehouse_id
    elif kind == EventType.REPAIRED and unit.status == Status.IN_SERVICE:
        unit.warehouse_id = None

    if target == "field":
        unit.status = field_status(unit)
    elif target is not None:
        unit.status = target
    unit.last_event_at = when
    unit.event_count = (unit.event_count or 0) + 1


def _check(unit: Unit, data: EventData, when: datetime) -> None:
    if data.type == EventType.ACTIVATED and unit.activated_at:
        raise LedgerError(
            _("already activated on %(date)s") % {"date": shown_date(unit.activated_at)},
            unit=unit,
            code="already_activated",
        )
    reason = refusal(data.type, unit.status)
    if reason:
        raise LedgerError(reason, unit=unit, code="illegal_transition")
    if data.type in REQUIRES_WAREHOUSE and data.warehouse is None:
        raise LedgerError(_("a warehouse is required"), unit=unit, code="warehouse_required")
    if data.type in REQUIRES_PARTY and data.party is None:
        raise LedgerError(
            _("a customer or distributor is required"), unit=unit, code="party_required"
        )
    if data.type in REQUIRES_REASON and not (data.notes or "").strip():
        raise LedgerError(_(REQUIRES_REASON[data.type]), unit=unit, code="reason_required")
    if data.type == EventType.TRANSFER_OUT and not (data.details or {}).get("to_warehouse_id"):
        raise LedgerError(
            _("a destination warehouse is required"), unit=unit, code="destination_required"
        )
    if unit.last_event_at and when < unit.last_event_at:
        raise LedgerError(
            _("events must be recorded in order: the last event is at %(time)s")
            % {"time": shown_moment(unit.last_event_at, seconds=True)},
            unit=unit,
            code="out_of_order",
        )
    if when > timezone.now() + timedelta(minutes=5):
        raise LedgerError(_("the event time is in the future"), unit=unit, code="future")


def _new_event(unit: Unit, data: EventData, when: datetime) -> UnitEvent:
    actor = current_actor()
    details = dict(data.details or {})
    if data.bin is not None:
        details["bin_id"] = data.bin.pk
    if data.party is not None:
        details.setdefault("party_kind", data.party.kind)
    if data.parent is not None:
        details["parent_id"] = data.parent.pk
        details.setdefault("parent_serial", data.parent.serial)
    return UnitEvent(
        unit=unit,
        type=data.type,
        occurred_at=when,
        actor_id=actor.user_id,
        actor_name=actor.username,
        source=actor.source,
        ip_address=actor.ip_address,
        warehouse=data.warehouse,
        party=data.party,
        region=data.region,
        replaces=data.replaces,
        ref_type=data.ref_type,
        ref_id=data.ref_id,
        notes=data.notes,
        details=details,
        from_status=unit.status,
    )


def record(unit: Unit | int, data: EventData) -> UnitEvent:
    """Append one event to one unit, under a row lock, or refuse with the reason."""
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    with transaction.atomic():
        locked = Unit.objects.select_for_update().select_related("sku").get(pk=unit_id)
        when = data.when or timezone.now()
        _check(locked, data, when)
        event = _new_event(locked, data, when)
        apply_event(locked, event)
        event.to_status = locked.status
        seal_event(last_hashes([unit_id]).get(unit_id, ""), event)
        locked.save(update_fields=STATE_FIELDS)
        event.save(force_insert=True)
    if isinstance(unit, Unit):
        for name in STATE_FIELDS:
            attname = Unit._meta.get_field(name).attname
            setattr(unit, attname, getattr(locked, attname))
    return event


def record_many(unit_ids: list[int], data: EventData, *, chunk: int = 2000) -> int:
    """The same event for many units, all or nothing; every refusal is listed.

    Units that end in the same state are written with one UPDATE per group (a bulk
    CASE/WHEN update over every state column costs more than the events themselves).
    """
    when = data.when or timezone.now()
    errors: list[LedgerError] = []
    count = 0
    attnames = [Unit._meta.get_field(name).attname for name in STATE_FIELDS]
    with transaction.atomic():
        for start in range(0, len(unit_ids), chunk):
            ids = unit_ids[start : start + chunk]
            units = list(Unit.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
            if len(units) != len(set(ids)):
                found_ids = {u.pk for u in units}
                errors.extend(
                    LedgerError(_("unit #%(id)s does not exist") % {"id": i}, code="unknown")
                    for i in dict.fromkeys(ids)
                    if i not in found_ids
                )
            events = []
            groups: dict[tuple, list[int]] = {}
            recorded = timezone.now()  # one moment for the step (shared by every event)
            for unit in units:
                try:
                    _check(unit, data, when)
                except LedgerError as exc:
                    errors.append(exc)
                    continue
                event = _new_event(unit, data, when)
                before_count = unit.event_count
                apply_event(unit, event)
                event.to_status = unit.status
                event.recorded_at = recorded
                events.append(event)
                key = tuple(getattr(unit, a) for a in attnames if a != "event_count")
                groups.setdefault((key, unit.event_count - before_count), []).append(unit.pk)
            if errors:
                continue
            seal_many(events, last_hashes([e.unit_id for e in events]))
            names = [a for a in attnames if a != "event_count"]
            for (values, increment), pks in groups.items():
                Unit.objects.filter(pk__in=pks).update(
                    event_count=F("event_count") + increment,
                    **dict(zip(names, values, strict=True)),
                )
            _insert_events(events, chunk)
            count += len(events)
        if errors:
            raise BulkLedgerError(errors)
    return count


def last_hashes(unit_ids: list[int]) -> dict[int, str]:
    """The chain hash of each unit's last event, read under the units' row locks.

    A statement of its own, after the lock: under READ COMMITTED it sees the event the
    previous lock holder committed (a subquery in the locking SELECT would not).
    """
    if not unit_ids:
        return {}
    if len(unit_ids) == 1:
        last = (
            UnitEvent.objects.filter(unit_id=unit_ids[0])
            .order_by("-id")
            .values_list("chain_hash", flat=True)
            .first()
        )
        return {} if last is None else {unit_ids[0]: last}
    if connection.vendor == "postgresql":
        # one probe of event_unit_time_idx per unit, the ids sent as one array; a unit's
        # events are appended in (occurred_at, id) order (the ledger refuses an event
        # dated before the unit's last), so its last there is its last by id. Ordering by
        # id alone lets the planner walk the primary key instead (seconds per chunk).
        table = UnitEvent._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT w.id, (SELECT e.chain_hash FROM {table} e WHERE e.unit_id = w.id "  # noqa: S608
                "ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) "
                "FROM unnest(%s::bigint[]) AS w(id)",
                [list(unit_ids)],
            )
            return {pk: last for pk, last in cursor.fetchall() if last is not None}
    newest = (
        UnitEvent.objects.filter(unit_id__in=unit_ids)
        .values("unit_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    return dict(UnitEvent.objects.filter(id__in=newest).values_list("unit_id", "chain_hash"))


# Every column of an event but its id (the identity default numbers the rows).
_EVENT_COLUMNS = [f for f in UnitEvent._meta.concrete_fields if not f.primary_key]


def _insert_events(events: list[UnitEvent], chunk: int) -> None:
    """Append many events: COPY on PostgreSQL (the ORM's INSERT costs more than the rest
    of ``record_many``), ``bulk_create`` elsewhere. Event ids are not read back."""
    if connection.vendor != "postgresql":
        UnitEvent.objects.bulk_create(events, batch_size=chunk)
        return
    copy_rows(
        UnitEvent._meta.db_table,
        [f.column for f in _EVENT_COLUMNS],
        ([getattr(e, f.attname) for f in _EVENT_COLUMNS] for e in events),
    )


class BulkLedgerError(LedgerError):
    """Every refusal of an all-or-nothing bulk step, one row per refused unit."""

    def __init__(self, errors: list[LedgerError]):
        self.errors = errors
        super().__init__(
            _("%(count)d units refused; nothing was recorded") % {"count": len(errors)},
            code="bulk_refused",
        )
        self.rows = ledger_rows(errors)


def ledger_rows(errors: list[LedgerError]) -> list[RowError]:
    """Refusals as rows: the unit's serial is the value (no list position)."""
    return [
        RowError(
            None,
            field="serial",
            code=e.code,
            message=e.message,
            value=e.unit.serial if e.unit else "",
        )
        for e in errors
    ]


# One constructor per event kind: the names other apps call.
def receive(unit, warehouse, *, bin=None, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.RECEIVED, warehouse=warehouse, bin=bin, **kw))


def move(unit, warehouse, *, bin=None, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.MOVED, warehouse=warehouse, bin=bin, **kw))


def transfer_out(unit, to_warehouse, **kw) -> UnitEvent:
    details = {"to_warehouse_id": to_warehouse.pk, **(kw.pop("details", None) or {})}
    return record(unit, EventData(EventType.TRANSFER_OUT, details=details, **kw))


def transfer_in(unit, warehouse, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.TRANSFER_IN, warehouse=warehouse, **kw))


def quarantine(unit, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.QUARANTINED, **kw))


def block(unit, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.BLOCKED, **kw))


def release(unit, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.RELEASED, **kw))


def ship(unit, party=None, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.SHIPPED, party=party, **kw))


def deliver(unit, party, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.DELIVERED, party=party, **kw))


def activate(unit, *, region: str = "", **kw) -> UnitEvent:
    return record(unit, EventData(EventType.ACTIVATED, region=region, **kw))


def install(unit, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.INSTALLED, **kw))


def service(unit, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.SERVICED, **kw))


def service_in(unit, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.SERVICE_IN, **kw))


def repair(unit, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.REPAIRED, **kw))


def return_unit(unit, warehouse=None, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.RETURNED, warehouse=warehouse, **kw))


def recall(unit, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.RECALLED, **kw))


def scrap(unit, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.SCRAPPED, **kw))


def sell_through(unit, customer, **kw) -> UnitEvent:
    """A distributor's sale of a unit it holds to an end customer."""
    return record(unit, EventData(EventType.SOLD_THROUGH, party=customer, **kw))


def report_missing(unit, *, notes: str, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.MISSING, notes=notes, **kw))


def found(unit, warehouse, *, bin=None, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.FOUND, warehouse=warehouse, bin=bin, **kw))


def adjust(unit, *, notes: str, **kw) -> UnitEvent:
    return record(unit, EventData(EventType.ADJUSTED, notes=notes, **kw))
