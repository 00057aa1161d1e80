"""Reads that matter: which units a user may see, the facts of a unit's file, search."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from unitrace.parties.models import Party
from unitrace.serials.file_reads import event_rows, load_unit, party_dict
from unitrace.serials.genealogy import component_tree, where_used
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import EventType, Status

# What unit lists and the unit file show in every row. Each extra join makes PostgreSQL
# plan the unit query longer (7 joins took 2-6 ms of planning per request, 5 take under
# 1 ms); the batch's supplier and the distributor, which lists don't show and most units
# lack, are fetched by primary key only when the unit file needs them.
UNIT_RELATED = ("sku", "batch", "warehouse", "bin", "holder")


def scope_party(user):
    """The party a distributor or service-partner login is limited to (None = staff)."""
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.party if profile is not None else None


def scope_party_id(user) -> int | None:
    """The id of ``scope_party(user)``, without loading the party."""
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.party_id if profile is not None else None


def units_visible_to(user) -> QuerySet[Unit]:
    """The one place unit visibility is decided, for API and pages alike."""
    if not (user.is_authenticated and user.has_perm("serials.view_unit")):
        return Unit.objects.none()
    party_id = scope_party_id(user)
    queryset = Unit.objects.all()
    if party_id is not None:
        queryset = queryset.filter(Q(holder_id=party_id) | Q(distributor_id=party_id))
    return queryset


def search_units(user, text: str, limit: int = 20) -> list[Unit]:
    """Candidates for a partial serial: prefix matches first, then anywhere in it."""
    text = text.strip()
    if not text:
        return []
    base = units_visible_to(user).select_related("sku")
    found = list(base.filter(serial__startswith=text).order_by("serial")[:limit])
    if len(found) < limit and len(text) >= 3:
        more = base.filter(serial__contains=text).exclude(pk__in=[u.pk for u in found])
        found += list(more.order_by("serial")[: limit - len(found)])
    if len(found) < limit:
        more = base.filter(supplier_serial=text).exclude(pk__in=[u.pk for u in found])
        found += list(more[: limit - len(found)])
    return found


def customer_for(user, party_id: int) -> Party | None:
    """Customer ``party_id`` if ``user`` may open the page of its units, else None.

    Staff who see units and customer records open any customer's page. A login acting
    for a distributor or service partner sees no customer records, only units in its
    scope: it may open a customer's page only when the customer holds one of those
    units, so the page does not reveal whether other people are customers.
    """
    if not (user.is_authenticated and user.has_perm("serials.view_unit")):
        return None
    customer = Party.objects.filter(pk=party_id, kind=Party.Kind.CUSTOMER).first()
    if customer is None:
        return None
    if scope_party_id(user) is None:
        return customer if user.has_perm("parties.view_party") else None
    return customer if customer_units(user, customer).exists() else None


def customer_units(user, customer: Party) -> QuerySet[Unit]:
    """The units ``customer`` holds that ``user`` may see, newest sale first."""
    return (
        units_visible_to(user)
        .filter(holder=customer)
        .select_related("sku")
        .order_by(F("sold_at").desc(nulls_last=True), "-pk")
    )


def replacement_ids(unit_ids: list[int]) -> set[int]:
    """Which of ``unit_ids`` were delivered as a replacement (one query for a page):
    only those need the warranty's look-up of the unit they replaced."""
    return set(
        UnitEvent.objects.filter(unit_id__in=unit_ids, replaces__isnull=False).values_list(
            "unit_id", flat=True
        )
    )


def event_dict(event: UnitEvent, user) -> dict:
    """One ORM event in the unit file's shape (lists of events use ``event_rows``)."""
    return {
        "id": event.pk,
        "type": event.type,
        "label": EventType(event.type).label,
        "time": timezone.localtime(event.occurred_at).isoformat(),
        "recorded_at": timezone.localtime(event.recorded_at).isoformat(),
        "actor": event.actor_name,
        "source": event.source,
        "warehouse": event.warehouse.code if event.warehouse_id else None,
        "party": party_dict(event.party, user),
        "region": event.region,
        "reference": {"type": event.ref_type, "id": event.ref_id} if event.ref_id else None,
        "notes": event.notes,
        "details": event.details,
        "from_status": event.from_status,
        "to_status": event.to_status,
    }


def unit_events(unit: Unit) -> QuerySet[UnitEvent]:
    return unit.events.select_related("warehouse", "party").order_by("occurred_at", "id")


def unit_for_file(user, pk: int) -> Unit | None:
    """Unit ``pk`` if ``user`` may see it, loaded with everything its file shows."""
    if not (user.is_authenticated and user.has_perm("serials.view_unit")):
        return None
    return load_unit(pk, scope_party_id(user))


def unit_facts(unit: Unit, user, at: datetime | None = None) -> dict:
    """What serials knows about one unit: identity, place, parties, dates, events and
    genealogy. The unit file (``unitfile.selectors.unit_file``) adds the warranty and
    the label's URL between and after these keys, in the order the API answers.

    ``unit`` comes with its SKU, batch, place and parties loaded (``unit_for_file``).
    """
    sku, batch = unit.sku, unit.batch
    local = timezone.localtime
    events = event_rows(unit.pk, user)
    kinds = {e["type"] for e in events}
    # who supplied it: the batch's supplier, else the party of its first receipt from one
    received_from = (
        e["party"]
        for e in events
        if e["type"] == EventType.RECEIVED and e["party"] and e["party"]["kind"] == "supplier"
    )
    supplier = party_dict(batch.supplier, user) if batch and batch.supplier_id else None
    return {
        "id": unit.pk,
        "serial": unit.serial,
        "supplier_serial": unit.supplier_serial,
        "sku": {"id": sku.pk, "code": sku.code, "name": sku.name, "gtin": sku.gtin},
        "batch": {
            "id": batch.pk,
            "code": batch.code,
            "production_date": batch.production_date,
            "factory": batch.factory,
            "line": batch.line,
            "qc_status": batch.qc_status,
            "supplier": party_dict(batch.supplier, user),
        }
        if batch
        else None,
        "supplier": supplier or next(received_from, None),
        "status": unit.status,
        "status_label": Status(unit.status).label,
        "location": {
            "warehouse": {
                "id": unit.warehouse.pk,
                "code": unit.warehouse.code,
                "name": unit.warehouse.name,
            }
            if unit.warehouse_id
            else None,
            "bin": unit.bin.code if unit.bin_id else None,
        },
        "holder": party_dict(unit.holder, user),
        "distributor": party_dict(unit.distributor, user),
        "dates": {
            "production": unit.production_date,
            **{
                name: local(getattr(unit, f"{name}_at")).isoformat()
                if getattr(unit, f"{name}_at")
                else None
                for name in ("registered", "received", "shipped", "sold", "activated", "installed")
            },
        },
        "events": events,
        # Links are only made by genealogy.install_component, which records a
        # component_installed event on the parent and a fitted event on the component
        # in the same transaction: a unit whose history has neither has no tree and no
        # parents at any moment, and the queries for them can be skipped.
        "components": component_tree(unit, at).as_dict()["children"]
        if EventType.COMPONENT_INSTALLED in kinds
        else [],
        "where_used": where_used(unit, at) if EventType.FITTED in kinds else [],
    }
