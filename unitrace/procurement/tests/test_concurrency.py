"""Two clerks scanning at once, on PostgreSQL: the line's row lock decides, not luck."""

from __future__ import annotations

import pytest

from unitrace.core.testing.threads import race
from unitrace.procurement.models import Receipt
from unitrace.procurement.receipts import open_receipt
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.receiving_bulk import BulkRefused, receive_range
from unitrace.procurement.tests.conftest import FAN_GTIN, line_of
from unitrace.serials.models import Unit, UnitEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def fan_code(serial: str) -> str:
    return f"(01){FAN_GTIN}(21){serial}"


def test_two_clerks_scanning_the_last_unit_exactly_one_is_accepted(receipt, order, fan):
    assert receive_scan(receipt, fan_code("F1")).outcome == "accepted"

    results, errors = race(2, lambda i: receive_scan(receipt, fan_code(f"LAST{i}")))

    assert errors == []
    assert sorted(r.outcome for r in results) == ["accepted", "over_quantity"]
    assert line_of(order, fan).received_quantity == 2
    assert Unit.objects.filter(serial__startswith="LAST").count() == 1
    assert UnitEvent.objects.filter(unit__serial__startswith="LAST").count() == 2
    receipt.refresh_from_db()
    assert (receipt.accepted, receipt.over_quantity) == (2, 1)


def test_many_clerks_never_exceed_the_ordered_quantity(receipt, order, sku):
    results, errors = race(6, lambda i: receive_scan(receipt, f"(01)06901234567892(21)M{i}"))

    assert errors == []
    assert sorted(r.outcome for r in results) == ["accepted"] * 3 + ["over_quantity"] * 3
    assert line_of(order, sku).received_quantity == 3
    assert Unit.objects.filter(status="in_stock").count() == 3


def test_the_same_serial_scanned_twice_at_once_is_received_once(receipt, order, listed):
    results, errors = race(2, lambda i: receive_scan(receipt, "A0001"))

    assert errors == []
    assert sorted(r.outcome for r in results) == ["accepted", "duplicate"]
    unit = Unit.objects.get(serial="A0001")
    assert list(unit.events.values_list("type", flat=True)) == ["registered", "received"]


def test_a_scan_and_a_bulk_receipt_racing_for_the_last_units(receipt, order, fan):
    receive_scan(receipt, fan_code("F1"))

    def work(i: int):
        if i == 0:
            return receive_scan(receipt, fan_code("S1")).outcome
        try:
            return receive_range(receipt, "B1", sku=fan).accepted
        except BulkRefused as refused:
            return refused.result.errors[0].outcome

    results, errors = race(2, work)

    assert errors == []
    assert sorted(map(str, results)) in (["1", "over_quantity"], ["accepted", "over_quantity"])
    assert line_of(order, fan).received_quantity == 2


def test_first_scans_of_two_clerks_share_one_receipt(order, warehouse):
    results, errors = race(4, lambda i: open_receipt(order, warehouse).pk)

    assert errors == []
    assert len(set(results)) == 1
    assert Receipt.objects.count() == 1
