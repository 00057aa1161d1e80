"""Replaying events to re-derive units' state, and reporting where it drifted."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from unitrace.serials.ledger import STATE_FIELDS, apply_event
from unitrace.serials.models import Unit, UnitEvent


@dataclass
class Drift:
    unit_id: int
    serial: str
    field: str
    stored: object
    derived: object


def _attnames() -> list[str]:
    return [Unit._meta.get_field(name).attname for name in STATE_FIELDS]


def derive(unit: Unit, events: list[UnitEvent]) -> Unit:
    """A fresh copy of ``unit`` with state computed from ``events`` only."""
    fresh = Unit(pk=unit.pk, sku_id=unit.sku_id, serial=unit.serial, status="")
    for name in _attnames():
        if name != "status":
            setattr(fresh, name, None)
    fresh.event_count = 0
    for event in events:
        apply_event(fresh, event)
    return fresh


def check_units(queryset=None, *, fix: bool = False, chunk: int = 2000) -> Iterator[Drift]:
    """Yield every difference between stored and derived state (and repair it if asked)."""
    queryset = queryset if queryset is not None else Unit.objects.all()
    names = _attnames()
    last_id = 0
    while True:
        units = list(queryset.filter(pk__gt=last_id).order_by("pk")[:chunk])
        if not units:
            return
        last_id = units[-1].pk
        by_unit: dict[int, list[UnitEvent]] = {u.pk: [] for u in units}
        for event in UnitEvent.objects.filter(unit_id__in=by_unit).order_by(
            "unit_id", "occurred_at", "id"
        ):
            by_unit[event.unit_id].append(event)
        to_fix = []
        for unit in units:
            derived = derive(unit, by_unit[unit.pk])
            drifted = False
            for name in names:
                stored, computed = getattr(unit, name), getattr(derived, name)
                if stored != computed:
                    drifted = True
                    yield Drift(unit.pk, unit.serial, name, stored, computed)
            if drifted and fix:
                for name in names:
                    setattr(unit, name, getattr(derived, name))
                to_fix.append(unit)
        if to_fix:
            with transaction.atomic():
                Unit.objects.bulk_update(to_fix, names)
