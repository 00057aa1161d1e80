"""The ledger: legal lifecycles, refusals with reasons, append-only history, rebuild."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from tests import factories as f
from unitrace.core.context import Actor, acting_as
from unitrace.serials import ledger
from unitrace.serials.ledger import EventData, LedgerError
from unitrace.serials.models import AppendOnlyError, Unit, UnitEvent
from unitrace.serials.rebuild import check_units
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.statuses import EventType, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(sku, batch):
    return f.UnitFactory(
        sku=sku,
        serial="AC0001",
        supplier_serial="SUP-9",
        batch=batch,
        production_date=batch.production_date,
        registered=timezone.now() - timedelta(days=60),
    )


def test_registration_writes_unit_and_event(unit, batch):
    assert unit.status == Status.REGISTERED
    assert unit.batch_id == batch.pk
    assert unit.supplier_serial == "SUP-9"
    events = list(unit.events.all())
    assert [e.type for e in events] == [EventType.REGISTERED]
    assert unit.event_count == 1
    assert len(unit.public_token) >= 16


def test_full_life_updates_state_in_step(unit, warehouse, customer):
    start = timezone.now() - timedelta(days=30)
    with acting_as(Actor(user_id=None, username="clerk", ip_address="10.1.2.3", source="web")):
        ledger.receive(unit, warehouse, when=start + timedelta(days=1))
    assert (unit.status, unit.warehouse_id) == (Status.IN_STOCK, warehouse.pk)
    ledger.deliver(unit, customer, when=start + timedelta(days=2), ref_type="DN", ref_id="DN-1")
    assert unit.status == Status.SOLD and unit.holder_id == customer.pk
    assert unit.warehouse_id is None and unit.sold_at is not None
    ledger.activate(unit, when=start + timedelta(days=3), region="浙江省杭州市")
    assert unit.status == Status.ACTIVATED
    ledger.install(unit, when=start + timedelta(days=4))
    ledger.service_in(unit, when=start + timedelta(days=5))
    assert unit.status == Status.IN_SERVICE
    ledger.repair(unit, when=start + timedelta(days=6), notes="replaced fan")
    assert unit.status == Status.INSTALLED  # back to its field status
    ledger.scrap(unit, when=start + timedelta(days=7))
    stored = Unit.objects.get(pk=unit.pk)
    assert stored.status == Status.SCRAPPED
    assert stored.event_count == 8
    received = stored.events.get(type=EventType.RECEIVED)
    assert (received.actor_name, received.ip_address, received.source) == (
        "clerk",
        "10.1.2.3",
        "web",
    )
    delivered = stored.events.get(type=EventType.DELIVERED)
    assert (delivered.ref_type, delivered.ref_id, delivered.party_id) == ("DN", "DN-1", customer.pk)
    assert list(check_units()) == []


def test_scrapped_unit_cannot_be_shipped(unit):
    ledger.scrap(unit)
    with pytest.raises(LedgerError) as refused:
        ledger.ship(unit)
    assert "scrapped cannot be shipped" in str(refused.value)
    assert refused.value.code == "illegal_transition"
    assert Unit.objects.get(pk=unit.pk).event_count == 2


def test_second_activation_refused(unit, warehouse, customer):
    ledger.receive(unit, warehouse)
    ledger.deliver(unit, customer)
    ledger.activate(unit)
    ledger.install(unit)
    with pytest.raises(LedgerError, match="already activated on"):
        ledger.activate(unit)


def test_required_fields_and_order(unit, warehouse):
    with pytest.raises(LedgerError, match="warehouse is required"):
        ledger.record(unit, EventData(EventType.RECEIVED))
    ledger.receive(unit, warehouse)
    with pytest.raises(LedgerError, match="recorded in order"):
        ledger.move(unit, warehouse, when=timezone.now() - timedelta(days=1))
    with pytest.raises(LedgerError, match="in the future"):
        ledger.move(unit, warehouse, when=timezone.now() + timedelta(days=1))
    with pytest.raises(LedgerError, match="customer or distributor is required"):
        ledger.record(unit, EventData(EventType.DELIVERED))
    with pytest.raises(LedgerError, match="needs a reason"):
        ledger.adjust(unit, notes="  ")


def test_events_are_append_only_in_orm_and_database(unit):
    event = unit.events.get()
    event.notes = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE serials_unitevent SET notes = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM serials_unitevent WHERE id = %s", [event.pk])
    assert UnitEvent.objects.get(pk=event.pk).notes == ""


def test_record_many_is_all_or_nothing(sku, warehouse):
    register_units(sku, [NewUnit(f"M{i}") for i in range(5)])
    units = list(Unit.objects.order_by("pk"))
    ledger.scrap(units[2])
    ids = [u.pk for u in units]
    with pytest.raises(ledger.BulkLedgerError) as refused:
        ledger.record_many(ids, EventData(EventType.RECEIVED, warehouse=warehouse))
    assert [e.unit.serial for e in refused.value.errors] == ["M2"]
    assert not Unit.objects.filter(status=Status.IN_STOCK).exists()
    ok = [u.pk for u in units if u.serial != "M2"]
    assert ledger.record_many(ok, EventData(EventType.RECEIVED, warehouse=warehouse)) == 4
    assert Unit.objects.filter(status=Status.IN_STOCK, warehouse=warehouse).count() == 4
    assert list(check_units()) == []


def test_rebuild_reports_and_repairs_drift(unit, warehouse):
    ledger.receive(unit, warehouse)
    Unit.objects.filter(pk=unit.pk).update(status=Status.SOLD, warehouse=None)
    drift = {d.field: (d.stored, d.derived) for d in check_units()}
    assert drift["status"] == (Status.SOLD, Status.IN_STOCK)
    assert drift["warehouse_id"] == (None, warehouse.pk)
    list(check_units(fix=True))
    assert list(check_units()) == []
    assert Unit.objects.get(pk=unit.pk).status == Status.IN_STOCK


def test_rebuild_command_exit_status(unit, capsys):
    from django.core.management import call_command

    call_command("rebuild_units")
    assert "1 units checked, 0 drifted" in capsys.readouterr().out
    Unit.objects.filter(pk=unit.pk).update(event_count=99)
    with pytest.raises(SystemExit):
        call_command("rebuild_units")
    assert "event_count" in capsys.readouterr().out
