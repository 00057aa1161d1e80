"""Units with a history, made the way production makes them.

A unit's state changes only through the ledger (ADR 0001), so a factory never writes a
status, warehouse or date field: it registers the unit with ``register_units`` and then
plays its history, one business step at a time, through the ledger's constructors (and
``genealogy`` for fitted components). The unit that comes back is read fresh from the
database, exactly as a page or the API would see it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import factory

from unitrace.serials import genealogy, ledger
from unitrace.serials.ledger import EventData
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.statuses import EventType

from .catalog import SKUFactory

Step = Callable[[Unit], object]


def received(warehouse, **kw) -> Step:
    """Goods receipt into ``warehouse`` (``bin=``, ``when=``, ``ref_type=``, ``ref_id=``)."""
    return lambda unit: ledger.receive(unit, warehouse, **kw)


def shipped(party=None, **kw) -> Step:
    return lambda unit: ledger.ship(unit, party, **kw)


def delivered(party, **kw) -> Step:
    """Delivered to a customer or distributor: the unit is sold (its holder is ``party``)."""
    return lambda unit: ledger.deliver(unit, party, **kw)


def sold_through(customer, **kw) -> Step:
    """A distributor's unit sold on to ``customer``."""
    return lambda unit: ledger.sell_through(unit, customer, **kw)


def activated(**kw) -> Step:
    return lambda unit: ledger.activate(unit, **kw)


def installed(**kw) -> Step:
    return lambda unit: ledger.install(unit, **kw)


def fitted_with(component: Unit, **kw) -> Step:
    """``component`` fitted inside the unit (``fitted`` and ``component_installed``)."""
    return lambda unit: genealogy.install_component(unit, component, **kw)


def event(type: str, **fields) -> Step:
    """Any other event of the transition table, e.g. ``event("quarantined", notes=...)``."""
    return lambda unit: ledger.record(unit, EventData(type, **fields))


class UnitFactory(factory.django.DjangoModelFactory):
    """``UnitFactory(serial="S1", sku=sku, registered=t0, history=[received(wh, when=t1)])``.

    ``registered`` is when the unit was registered (now if None); ``history`` the steps
    that follow, in order, each through the ledger.
    """

    class Meta:
        model = Unit

    sku = factory.SubFactory(SKUFactory)
    serial = factory.Sequence(lambda n: f"U{n:06d}")
    supplier_serial = ""
    batch = None
    production_date = None
    registered: datetime | None = None
    history: Sequence[Step] = ()

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        sku,
        serial: str,
        supplier_serial: str = "",
        batch=None,
        production_date=None,
        registered: datetime | None = None,
        history: Sequence[Step] = (),
    ) -> Unit:
        batch_id = batch.pk if batch is not None else None
        register_units(
            sku, [NewUnit(serial, supplier_serial, batch_id, production_date)], when=registered
        )
        return play(model_class.objects.get(sku=sku, serial=serial), *history)


def play(unit: Unit, *history: Step) -> Unit:
    """``unit`` after the steps of ``history``, in order; read fresh from the database.

    For a unit that needs other units first (a component registered after it and
    fitted inside it, say).
    """
    for step in history:
        step(unit)
    return Unit.objects.select_related("sku").get(pk=unit.pk)


def registered_units(
    sku, serials: Sequence[str], *, batch=None, when: datetime | None = None
) -> list[Unit]:
    """Units of ``serials`` registered in one go (as a generated or imported list is)."""
    batch_id = batch.pk if batch is not None else None
    register_units(sku, [NewUnit(s, "", batch_id) for s in serials], when=when)
    return _in_order(Unit.objects.filter(sku=sku, serial__in=serials), serials)


def units_in_stock(
    sku,
    serials: Sequence[str],
    warehouse,
    *,
    bin=None,
    registered: datetime | None = None,
    received: datetime | None = None,
) -> list[Unit]:
    """Units registered, then received into ``warehouse`` (and ``bin``) in one ledger call,
    as a goods receipt does; in the order of ``serials``."""
    units = registered_units(sku, serials, when=registered)
    ledger.record_many(
        [u.pk for u in units],
        EventData(EventType.RECEIVED, warehouse=warehouse, bin=bin, when=received),
    )
    return _in_order(Unit.objects.filter(pk__in=[u.pk for u in units]), serials)


def _in_order(units, serials: Sequence[str]) -> list[Unit]:
    by_serial = {u.serial: u for u in units.select_related("warehouse", "bin", "sku")}
    return [by_serial[s] for s in serials]
