"""Delivering units against orders: every check, partial deliveries, all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from unitrace.core.display import shown_date
from unitrace.core.models import ChangeLog
from unitrace.sales.delivery import DeliveryRefused, deliver_order
from unitrace.sales.models import Delivery, DeliveryItem, SalesOrder
from unitrace.sales.orders import create_order
from unitrace.sales.scanning import ScanRow, rows_from_file, rows_from_text
from unitrace.serials import ledger
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db


def refused(order, warehouse, text: str) -> dict[int, tuple[str, str]]:
    with pytest.raises(DeliveryRefused) as caught:
        deliver_order(order, warehouse, rows_from_text(text))
    return {e.row: (e.code, e.message) for e in caught.value.rows}


def test_delivery_binds_units_to_the_buyer_through_the_ledger(order, stock, warehouse, customer):
    units = stock(["S1", "S2", "S3"])
    delivery = deliver_order(order, warehouse, rows_from_text("S1\nS2 S3"))
    assert delivery.number.startswith("DN-") and delivery.unit_count == 3
    for unit in units:
        unit.refresh_from_db()
        assert unit.status == "sold" and unit.holder == customer and unit.warehouse is None
    events = UnitEvent.objects.filter(type="delivered", ref_type="DN", ref_id=delivery.number)
    assert events.count() == 3 and {e.party_id for e in events} == {customer.pk}
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.PARTIAL
    assert order.lines.get().delivered == 3
    assert ChangeLog.objects.filter(object_type="sales.delivery", object_id=str(delivery.pk))


def test_partial_deliveries_until_the_order_is_delivered(order, stock, warehouse):
    stock(["S1", "S2", "S3", "S4", "S5", "S6"])
    deliver_order(order, warehouse, rows_from_text("S1 S2"))
    order.refresh_from_db()
    assert order.status == "partial"
    deliver_order(order, warehouse, rows_from_text("S3-S5"))  # a range
    order.refresh_from_db()
    assert order.status == "delivered"
    assert order.deliveries.count() == 2
    rows = refused(order, warehouse, "S6")
    assert rows == {}  # refused as a whole: the order is done
    with pytest.raises(DeliveryRefused, match="delivered: nothing more"):
        deliver_order(order, warehouse, rows_from_text("S6"))


def test_every_check_has_its_own_message_and_nothing_is_written(
    order, stock, warehouse, other_warehouse, other_sku, customer, distributor
):
    stock(["OK1", "Q1", "B1", "R1", "M1", "SOLD1", "T1"])
    stock(["ELSE1"], warehouse_=other_warehouse)
    stock(["WRONG1"], sku_=other_sku)
    register_units(order.lines.get().sku, [NewUnit("NEW1")], when=timezone.now())
    get = Unit.objects.get
    ledger.quarantine(get(serial="Q1"))
    ledger.block(get(serial="B1"))
    ledger.recall(get(serial="R1"))
    ledger.report_missing(get(serial="M1"), notes="not on shelf")
    ledger.deliver(get(serial="SOLD1"), distributor)
    ledger.transfer_out(get(serial="T1"), other_warehouse)
    rows = refused(
        order,
        warehouse,
        "OK1 Q1 B1 R1 M1 SOLD1 T1 ELSE1 WRONG1 NOPE1 NEW1 OK1",
    )
    today = shown_date(timezone.localdate())  # the language's short form
    assert rows == {
        2: ("status_quarantined", "a unit that is quarantined cannot be delivered / sold"),
        3: ("status_blocked", "a unit that is blocked cannot be delivered / sold"),
        4: ("status_recalled", "a unit that is recalled cannot be delivered / sold"),
        5: ("status_missing", "a unit that is missing cannot be delivered / sold"),
        6: ("already_sold", f"already delivered / sold on {today}"),
        7: ("status_in_transit", "a unit that is in transit cannot be delivered / sold"),
        8: ("wrong_warehouse", "in stock at RW, not at HQ"),
        9: ("wrong_sku", f"SKU AC-200 is not on order {order.number} (ordered: AC-100)"),
        10: ("unknown_serial", "no unit with serial NOPE1"),
        11: ("status_registered", "a unit that is registered cannot be delivered / sold"),
        12: ("duplicate", "the same unit as row 1"),
    }
    assert Delivery.objects.count() == 0 and DeliveryItem.objects.count() == 0
    assert get(serial="OK1").status == "in_stock"
    assert order.lines.get().delivered == 0


def test_over_delivery_against_the_order_line(order, stock, warehouse):
    stock([f"S{i}" for i in range(1, 8)])
    deliver_order(order, warehouse, rows_from_text("S1 S2 S3"))
    rows = refused(order, warehouse, "S4 S5 S6 S7")
    assert set(rows) == {3, 4}
    assert rows[3] == (
        "over_delivery",
        "order line AC-100: 5 ordered, 3 delivered, 2 still to deliver — this unit is one too many",
    )
    assert Unit.objects.get(serial="S4").status == "in_stock"


def test_ambiguous_serial_needs_the_gtin(sku, other_sku, customer, stock, warehouse):
    order = create_order(customer, [(sku, 1), (other_sku, 1)])
    stock(["X1"])
    stock(["X1"], sku_=other_sku)
    rows = refused(order, warehouse, "X1")
    assert rows[1][0] == "ambiguous" and "AC-100, AC-200" in rows[1][1]
    delivery = deliver_order(order, warehouse, rows_from_text("(01)06901234567892(21)X1"))
    assert DeliveryItem.objects.get(delivery=delivery).unit.sku == sku


def test_units_from_a_file_keep_their_excel_rows(order, stock, warehouse):
    stock(["F1", "F2"])
    data = "型号,序列号\nAC-100,F1\nAC-100,F9\n".encode("gbk")
    with pytest.raises(DeliveryRefused) as caught:
        deliver_order(order, warehouse, rows_from_file(data, "dn.csv"))
    assert [(e.row, e.code) for e in caught.value.rows] == [(3, "unknown_serial")]
    data = "序列号\nF1\nF2\n".encode()
    assert deliver_order(order, warehouse, rows_from_file(data, "dn.csv")).unit_count == 2


def test_distributor_delivery_sets_the_units_distributor(sku, distributor, stock, warehouse):
    order = create_order(distributor, [(sku, 2)])
    stock(["D1", "D2"])
    deliver_order(order, warehouse, [ScanRow(1, "D1"), ScanRow(2, "D2")])
    assert set(Unit.objects.values_list("distributor__code", flat=True)) == {"D1"}


def test_delivery_time_must_follow_the_units_history(order, stock, warehouse):
    stock(["E1"])
    with pytest.raises(DeliveryRefused) as caught:
        deliver_order(
            order, warehouse, rows_from_text("E1"), when=timezone.now() - timedelta(days=60)
        )
    assert caught.value.rows[0].code == "out_of_order"


def test_cancelled_order_cannot_be_delivered(order, stock, warehouse):
    from unitrace.sales.orders import cancel_order

    stock(["C1"])
    cancel_order(order)
    with pytest.raises(DeliveryRefused, match="cancelled"):
        deliver_order(order, warehouse, rows_from_text("C1"))
