"""Anti-diversion (防窜货): a unit seen outside its distributor's authorized regions.

``check_diversion`` is called explicitly by whatever learns where a unit is now:
activation, the authenticity check, and service events that name a region
(``record_event``, used by the events API and meant for the service app's work
orders). It never blocks the caller's business; it records an alert for the channel team.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.authenticity.inputs import canonical_province, parse_region, region_key
from unitrace.authenticity.models import DiversionAlert
from unitrace.core.audit import log_change, snapshot
from unitrace.core.models import ChangeLog
from unitrace.parties.regions import Region, authorized
from unitrace.serials import ledger
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import EventType

Source = DiversionAlert.Source
# events that put a unit in an engineer's hands somewhere: the region is where it is
SERVICE_EVENTS = frozenset({EventType.SERVICED, EventType.SERVICE_IN, EventType.REPAIRED})


def _reference(reference: object) -> str:
    if reference is None:
        return ""
    if isinstance(reference, models.Model):
        return f"{reference._meta.model_name}:{reference.pk}"[:60]
    return str(reference)[:60]


def delivery_to(unit: Unit, distributor) -> UnitEvent | None:
    """The latest DELIVERED event that put ``unit`` into ``distributor``'s hands."""
    return (
        UnitEvent.objects.filter(unit=unit, type=EventType.DELIVERED, party=distributor)
        .order_by("-occurred_at", "-id")
        .first()
    )


def check_diversion(
    unit: Unit,
    region: Region,
    source: str,
    reference: object = None,
    *,
    when=None,
) -> DiversionAlert | None:
    """Record an alert if ``region`` lies outside the authorized regions of the unit's
    distributor; returns the alert (new, or the open one it repeats) or None.

    ``reference`` names what revealed the region (an event, a check, a work order
    number). A unit seen again in the same region by the same source while an alert
    is open does not open a second one; it counts another occurrence.
    """
    if source not in Source.values:
        raise ValueError(f"unknown diversion source {source!r}")
    if unit.distributor_id is None or not region.province:
        return None
    distributor = unit.distributor
    if authorized(distributor, region):
        return None
    when = when or timezone.now()
    key = region_key(region)
    province = canonical_province(region.province) or region.province
    open_alerts = DiversionAlert.objects.filter(
        unit=unit, region_key=key, source=source, status=DiversionAlert.Status.OPEN
    )
    with transaction.atomic():
        existing = open_alerts.select_for_update().first()
        if existing is None:
            delivery = delivery_to(unit, distributor)
            try:
                with transaction.atomic():  # savepoint: a parallel twin may win the insert
                    return DiversionAlert.objects.create(
                        unit=unit,
                        distributor=distributor,
                        delivery_event=delivery,
                        delivery_ref=delivery.ref_id if delivery else "",
                        delivered_at=delivery.occurred_at if delivery else None,
                        province=province[:20],
                        city=region.city[:30],
                        district=region.district[:30],
                        region_key=key,
                        source=source,
                        source_ref=_reference(reference),
                        detected_at=when,
                        last_seen_at=when,
                    )
            except IntegrityError:
                existing = open_alerts.select_for_update().get()
        # the row is locked: counting in Python is exact
        existing.occurrences += 1
        existing.last_seen_at = max(existing.last_seen_at, when)
        existing.save(update_fields=["occurrences", "last_seen_at"])
        return existing


def check_service_event(event: UnitEvent) -> DiversionAlert | None:
    """The diversion check a service event calls for: ``serviced``, ``service_in`` or
    ``repaired`` with a region (as typed, e.g. "广东省深圳市" or "广东/深圳") is a sighting
    of the unit there. Other events, and regions without a known province, pass."""
    if event.type not in SERVICE_EVENTS or not event.region:
        return None
    region = parse_region(event.region)
    if not region.province:
        return None
    return check_diversion(
        event.unit, region, Source.SERVICE, reference=event, when=event.occurred_at
    )


def record_event(unit: Unit | int, data: ledger.EventData) -> UnitEvent:
    """Record one event through the ledger and, in the same transaction, the channel
    check it calls for (``check_service_event``). Refusals are the ledger's."""
    with transaction.atomic():
        event = ledger.record(unit, data)
        check_service_event(event)
    return event


TRANSITIONS = {
    DiversionAlert.Status.OPEN: {
        DiversionAlert.Status.ACKNOWLEDGED,
        DiversionAlert.Status.DISMISSED,
    },
    DiversionAlert.Status.ACKNOWLEDGED: {DiversionAlert.Status.DISMISSED},
    DiversionAlert.Status.DISMISSED: set(),
}


def set_alert_status(alert_id: int, status: str, *, user=None, note: str = "") -> DiversionAlert:
    """Acknowledge (a real diversion, being dealt with) or dismiss (a false alarm).

    The note is appended, not replaced, so the alert keeps the whole conversation;
    the change goes into the change log with who and when.
    """
    with transaction.atomic():
        alert = DiversionAlert.objects.select_for_update().get(pk=alert_id)
        if status not in TRANSITIONS.get(alert.status, set()):
            raise ValidationError(
                _("An alert that is %(current)s cannot be marked %(new)s.")
                % {
                    "current": DiversionAlert.Status(alert.status).label,
                    "new": DiversionAlert.Status(status).label
                    if status in DiversionAlert.Status.values
                    else status,
                },
                code="status",
            )
        before = snapshot(alert)
        alert.status = status
        note = note.strip()
        if note:
            alert.note = f"{alert.note}\n{note}".strip() if alert.note else note
        alert.handled_by = user if user is not None and user.is_authenticated else None
        alert.handled_at = timezone.now()
        alert.save(update_fields=["status", "note", "handled_by", "handled_at"])
        log_change(alert, ChangeLog.Action.UPDATE, before)
    return alert
