"""Real parallelism on PostgreSQL: row locks and constraints decide, not luck."""

from datetime import timedelta

import pytest
from django.utils import timezone

from unitrace.core.testing.threads import race
from unitrace.serials import genealogy, ledger
from unitrace.serials.generation import generate_units
from unitrace.serials.importing import ImportRefused, import_serial_list
from unitrace.serials.ledger import LedgerError
from unitrace.serials.models import ComponentLink, SerialCounter, Unit
from unitrace.serials.registration import NewUnit, register_units

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_generators_never_collide(sku):
    results, errors = race(4, lambda i: generate_units(sku, 1500))
    assert errors == []
    serials = list(Unit.objects.values_list("serial", flat=True))
    assert len(serials) == len(set(serials)) == 6000
    assert SerialCounter.objects.get(sku=sku).last_value == 6000
    assert sorted(r.count for r in results) == [1500] * 4


def test_same_serial_registered_in_parallel_exactly_one_wins(sku):
    results, errors = race(6, lambda i: import_serial_list(["DUP-1"], default_sku=sku))
    assert len(results) == 1 and results[0].created == 1
    assert len(errors) == 5 and all(isinstance(e, ImportRefused) for e in errors)
    assert all("already registered" in e.result.errors[0].message for e in errors)
    assert Unit.objects.filter(serial="DUP-1").count() == 1


def test_two_deliveries_of_one_unit_exactly_one_succeeds(sku, warehouse, customer, distributor):
    register_units(sku, [NewUnit("D1")], when=timezone.now() - timedelta(days=2))
    unit = Unit.objects.get(serial="D1")
    ledger.receive(unit, warehouse, when=timezone.now() - timedelta(days=1))
    buyers = [customer, distributor]
    results, errors = race(2, lambda i: ledger.deliver(unit.pk, buyers[i]))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], LedgerError) and "sold cannot be" in str(errors[0])
    unit.refresh_from_db()
    assert unit.event_count == 3 and unit.holder_id == results[0].party_id


def test_one_component_into_two_parents_exactly_one_succeeds(sku, component_skus):
    board_sku, _chip = component_skus
    register_units(sku, [NewUnit("P1"), NewUnit("P2")], when=timezone.now() - timedelta(1))
    register_units(board_sku, [NewUnit("B1")], when=timezone.now() - timedelta(1))
    parents = list(Unit.objects.filter(serial__in=["P1", "P2"]).order_by("serial"))
    board = Unit.objects.get(serial="B1")
    results, errors = race(2, lambda i: genealogy.install_component(parents[i], board))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], LedgerError)
    assert ComponentLink.objects.filter(component=board, removed_at__isnull=True).count() == 1
