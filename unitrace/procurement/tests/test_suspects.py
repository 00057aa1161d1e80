"""Suspected counterfeits: quarantined on receipt, then accepted (stock) or rejected (blocked)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from tests import factories as f
from unitrace.procurement import asn
from unitrace.procurement.models import PurchaseOrder, PurchaseOrderLine, SuspectUnit
from unitrace.procurement.receipts import open_receipt
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.suspects import decide
from unitrace.procurement.tests.conftest import FAKE1, line_of
from unitrace.serials import ledger
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db
AC_GTIN = "06901234567892"


@pytest.fixture
def suspect(receipt, listed):
    assert receive_scan(receipt, f"(01){AC_GTIN}(21){FAKE1}").outcome == "suspect"
    return SuspectUnit.objects.get()


def test_accepting_releases_the_unit_to_stock(suspect, make_user, order, sku):
    quality = make_user("quality")

    decide(suspect, "accepted", user=quality, notes="supplier confirmed: left off the list")

    suspect.refresh_from_db()
    assert (suspect.decision, suspect.decided_by, suspect.decided_at is not None) == (
        "accepted",
        quality,
        True,
    )
    unit = Unit.objects.get(serial=FAKE1)
    assert unit.status == "in_stock"
    released = unit.events.last()
    assert (released.type, released.ref_type, released.ref_id) == ("released", "PO", "PO-T1")
    assert "supplier confirmed" in released.notes
    assert line_of(order, sku).received_quantity == 1


def test_rejecting_blocks_the_unit_and_the_supplier_still_owes_it(suspect, order, sku, customer):
    decide(suspect, "rejected", notes="label font differs from genuine units")

    unit = Unit.objects.get(serial=FAKE1)
    assert unit.status == "blocked"
    assert unit.events.last().notes == (
        "rejected as a suspected counterfeit: label font differs from genuine units"
    )
    assert line_of(order, sku).received_quantity == 0
    assert PurchaseOrder.objects.get(pk=order.pk).status == "open"
    with pytest.raises(ledger.LedgerError):
        ledger.ship(unit, customer)


def test_a_rejection_needs_a_reason(suspect):
    with pytest.raises(ValidationError) as error:
        decide(suspect, "rejected", notes="  ")

    assert error.value.message_dict == {"notes": ["Say why the unit is rejected."]}
    assert Unit.objects.get(serial=FAKE1).status == "quarantined"


def test_a_unit_is_decided_once(suspect):
    decide(suspect, "accepted")

    with pytest.raises(ValidationError) as error:
        decide(suspect, "rejected", notes="changed my mind")

    assert "already decided" in str(error.value)
    assert Unit.objects.get(serial=FAKE1).status == "in_stock"


def test_only_accept_or_reject(suspect):
    with pytest.raises(ValidationError):
        decide(suspect, "pending")


def test_a_suspect_does_not_count_until_accepted(suspect, order, sku):
    assert line_of(order, sku).received_quantity == 0

    decide(suspect, "accepted", notes="on the supplier's corrected list")

    assert line_of(order, sku).received_quantity == 1
    assert PurchaseOrder.objects.get(pk=order.pk).status == "partial"


def test_a_suspect_cannot_be_accepted_onto_a_line_already_complete(suspect, receipt, order, sku):
    for serial in ("A0001", "A0002", "A0003"):
        assert receive_scan(receipt, serial).outcome == "accepted"

    with pytest.raises(ValidationError) as error:
        decide(suspect, "accepted")

    assert error.value.message_dict["decision"] == [
        "All 3 ordered units of this line are already received: this unit was not owed, "
        "so it cannot be accepted onto the order. Reject it instead."
    ]
    assert Unit.objects.get(serial=FAKE1).status == "quarantined"
    assert SuspectUnit.objects.get().decision == "pending"
    assert line_of(order, sku).received_quantity == 3

    decide(suspect, "rejected", notes="not owed")
    assert line_of(order, sku).received_quantity == 3


def test_migration_takes_pending_suspects_off_the_received_counts(suspect, receipt, order, sku):
    """Data received before suspects stopped counting: a pending one was on the line."""
    migration = importlib.import_module(
        "unitrace.procurement.migrations.0004_pending_suspects_not_counted_as_received"
    )
    receive_scan(receipt, "A0001")
    PurchaseOrderLine.objects.filter(order=order, sku=sku).update(received_quantity=3)
    PurchaseOrder.objects.filter(pk=order.pk).update(status="partial")

    migration.uncount_pending(apps, None)

    assert line_of(order, sku).received_quantity == 2
    assert PurchaseOrder.objects.get(pk=order.pk).status == "partial"
    migration.recount_pending(apps, None)
    assert line_of(order, sku).received_quantity == 3


def test_migration_reopens_an_order_that_only_suspects_had_filled(supplier, warehouse, sku):
    migration = importlib.import_module(
        "unitrace.procurement.migrations.0004_pending_suspects_not_counted_as_received"
    )
    order = f.PurchaseOrderFactory(supplier=supplier, lines=[(sku, 1)], warehouse=warehouse)
    asn.import_asn_rows(order, [(2, {"serial": "G1"})])
    receipt = open_receipt(order, warehouse)
    assert receive_scan(receipt, FAKE1).outcome == "suspect"
    PurchaseOrderLine.objects.filter(order=order).update(received_quantity=1)
    PurchaseOrder.objects.filter(pk=order.pk).update(status="received")

    migration.uncount_pending(apps, None)

    assert line_of(order, sku).received_quantity == 0
    assert PurchaseOrder.objects.get(pk=order.pk).status == "open"
    assert receive_scan(receipt, "G1").outcome == "accepted"
