"""Checking each delivery scan at once: the delivery's own rules, before any write."""

from __future__ import annotations

import pytest
from django.utils import timezone

from unitrace.core.display import shown_date
from unitrace.sales.delivery import check_scan, deliver_order
from unitrace.sales.models import Delivery, SalesOrder
from unitrace.sales.orders import create_order
from unitrace.sales.scanning import rows_from_text
from unitrace.serials import ledger
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db


def answer(order, warehouse, code, scanned=()) -> tuple[str, str, str]:
    check = check_scan(order, warehouse, code, list(scanned))
    return check.outcome, check.reason, check.message


def test_a_unit_in_stock_here_of_an_ordered_sku_may_go(order, stock, warehouse):
    stock(["OK1", "OK2"])
    check = check_scan(order, warehouse, "OK1")
    assert (check.outcome, check.reason, check.serial, check.sku) == (
        "accepted",
        "",
        "OK1",
        "AC-100",
    )
    assert check.message == "in stock at HQ: may go on this delivery"
    assert (check.scanned, check.per_line) == (1, {"AC-100": 1})
    second = check_scan(order, warehouse, "OK2", ["OK1"])
    assert (second.outcome, second.scanned, second.per_line) == ("accepted", 2, {"AC-100": 2})
    # nothing is written: no delivery, no event, the units still in stock
    assert Delivery.objects.count() == 0
    assert not UnitEvent.objects.filter(type="delivered").exists()
    assert set(Unit.objects.values_list("status", flat=True)) == {"in_stock"}


def test_a_duplicate_is_refused_at_the_scan_by_unit_not_by_text(order, stock, warehouse):
    stock(["D1", "D2"])
    assert answer(order, warehouse, "D1", ["D2", "D1"]) == (
        "duplicate",
        "duplicate",
        "already scanned in this delivery (scan 2)",
    )
    # the same unit through its GS1 barcode is the same unit
    gs1 = "(01)06901234567892(21)D2"
    assert answer(order, warehouse, gs1, ["D2"]) == (
        "duplicate",
        "duplicate",
        "already scanned in this delivery (scan 1)",
    )
    check = check_scan(order, warehouse, "D1", ["D1"])
    assert (check.scanned, check.per_line) == (1, {"AC-100": 1})  # the count stays


def test_every_refusal_says_why_with_the_deliverys_own_words(
    order, stock, warehouse, other_warehouse, other_sku, distributor
):
    stock(["Q1", "B1", "SOLD1", "T1"])
    stock(["ELSE1"], warehouse_=other_warehouse)
    stock(["WRONG1"], sku_=other_sku)
    register_units(order.lines.get().sku, [NewUnit("NEW1")], when=timezone.now())
    get = Unit.objects.get
    ledger.quarantine(get(serial="Q1"))
    ledger.block(get(serial="B1"))
    ledger.deliver(get(serial="SOLD1"), distributor)
    ledger.transfer_out(get(serial="T1"), other_warehouse)
    today = shown_date(timezone.localdate())  # the language's short form
    expected = {
        "Q1": ("status_quarantined", "a unit that is quarantined cannot be delivered / sold"),
        "B1": ("status_blocked", "a unit that is blocked cannot be delivered / sold"),
        "SOLD1": ("already_sold", f"already delivered / sold on {today}"),
        "T1": ("status_in_transit", "a unit that is in transit cannot be delivered / sold"),
        "ELSE1": ("wrong_warehouse", "in stock at RW, not at HQ"),
        "WRONG1": ("wrong_sku", f"SKU AC-200 is not on order {order.number} (ordered: AC-100)"),
        "NOPE1": ("unknown_serial", "no unit with serial NOPE1"),
        "NEW1": ("status_registered", "a unit that is registered cannot be delivered / sold"),
        "(01)069": ("unreadable", None),
    }
    for code, (reason, message) in expected.items():
        outcome, got_reason, got_message = answer(order, warehouse, code)
        assert (outcome, got_reason) == ("refused", reason), code
        if message is not None:
            assert got_message == message, code


def test_the_check_reads_the_ledger_row_at_the_scan(order, stock, warehouse):
    """A unit held after it was kept is refused when scanned again, not at the submit."""
    stock(["H1"])
    assert answer(order, warehouse, "H1")[0] == "accepted"
    ledger.quarantine(Unit.objects.get(serial="H1"))
    assert answer(order, warehouse, "H1")[1] == "status_quarantined"


def test_more_than_the_order_line_still_needs_is_refused(order, stock, warehouse):
    stock([f"S{i}" for i in range(1, 8)])
    deliver_order(order, warehouse, rows_from_text("S1 S2 S3"))
    order.refresh_from_db()
    assert answer(order, warehouse, "S5", ["S4"])[0] == "accepted"
    outcome, reason, message = answer(order, warehouse, "S6", ["S4", "S5"])
    assert (outcome, reason) == ("refused", "over_delivery")
    assert "2 still to deliver — this unit is one too many" in message


def test_no_warehouse_or_a_closed_order_refuses_every_scan(order, stock, warehouse):
    stock(["W1"])
    assert answer(order, None, "W1")[:2] == ("refused", "no_warehouse")
    assert answer(order, warehouse, "  ")[:2] == ("refused", "unreadable")
    SalesOrder.objects.filter(pk=order.pk).update(status=SalesOrder.Status.CANCELLED)
    order.refresh_from_db()
    assert answer(order, warehouse, "W1")[:2] == ("refused", "order_closed")


def test_two_skus_are_counted_per_order_line(sku, other_sku, customer, stock, warehouse):
    order = create_order(customer, [(sku, 2), (other_sku, 2)])
    stock(["A1"])
    stock(["B1"], sku_=other_sku)
    check = check_scan(order, warehouse, "B1", ["A1"])
    assert check.outcome == "accepted" and check.per_line == {"AC-100": 1, "AC-200": 1}
