"""Suspected counterfeits: quarantined on receipt, then accepted (stock) or rejected (blocked)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from unitrace.procurement.models import PurchaseOrder, SuspectUnit
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.suspects import decide
from unitrace.procurement.tests.conftest import line_of
from unitrace.serials import ledger
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db
AC_GTIN = "06901234567892"


@pytest.fixture
def suspect(receipt, listed):
    assert receive_scan(receipt, f"(01){AC_GTIN}(21)FAKE1").outcome == "suspect"
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
    unit = Unit.objects.get(serial="FAKE1")
    assert unit.status == "in_stock"
    released = unit.events.last()
    assert (released.type, released.ref_type, released.ref_id) == ("released", "PO", "PO-T1")
    assert "supplier confirmed" in released.notes
    assert line_of(order, sku).received_quantity == 1


def test_rejecting_blocks_the_unit_and_frees_the_ordered_quantity(suspect, order, sku, customer):
    decide(suspect, "rejected", notes="label font differs from genuine units")

    unit = Unit.objects.get(serial="FAKE1")
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
    assert Unit.objects.get(serial="FAKE1").status == "quarantined"


def test_a_unit_is_decided_once(suspect):
    decide(suspect, "accepted")

    with pytest.raises(ValidationError) as error:
        decide(suspect, "rejected", notes="changed my mind")

    assert "already decided" in str(error.value)
    assert Unit.objects.get(serial="FAKE1").status == "in_stock"


def test_only_accept_or_reject(suspect):
    with pytest.raises(ValidationError):
        decide(suspect, "pending")
