"""The migration that gives old exchange events their ``replaces`` id.

Runs the migration's function on events written the old way (the replaced unit named
only by serial in ``details``) and checks the ledger stays append-only afterwards.
"""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from unitrace.serials import ledger
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db
migration = import_module("unitrace.serials.migrations.0007_event_replaces")


def test_old_exchange_events_get_the_replaced_unit_by_id(sku, other_sku_unit, warehouse, customer):
    register_units(sku, [NewUnit("OLD1"), NewUnit("NEW1")])
    old, new = Unit.objects.get(sku=sku, serial="OLD1"), Unit.objects.get(serial="NEW1")
    ledger.receive(new, warehouse)
    event = ledger.deliver(new, customer, details={"exchange_for": "OLD1"})
    assert event.replaces_id is None

    migration.fill_replaces(apps, SimpleNamespace(connection=connection, execute=_execute))

    assert UnitEvent.objects.get(pk=event.pk).replaces_id == old.pk
    # the same serial of another SKU is not the replaced unit
    assert UnitEvent.objects.filter(replaces=other_sku_unit).count() == 0
    with pytest.raises(DatabaseError), transaction.atomic():
        UnitEvent.objects.filter(pk=event.pk).update(notes="changed")


def _execute(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def other_sku_unit(db, sku):
    from unitrace.catalog.models import SKU

    other = SKU.objects.create(code="OTHER", name="Other", gtin="")
    register_units(other, [NewUnit("OLD1")])
    return Unit.objects.get(sku=other, serial="OLD1")
