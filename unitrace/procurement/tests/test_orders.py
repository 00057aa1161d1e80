"""Purchase orders: creation rules, line edits, status moves, change log."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from unitrace.core.models import ChangeLog
from unitrace.procurement import orders
from unitrace.procurement.models import PurchaseOrder, Receipt
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.tests.conftest import FAN_GTIN

pytestmark = pytest.mark.django_db


def test_new_order_gets_a_number_and_is_change_logged(supplier, sku, warehouse):
    order = orders.create_order(
        supplier, [orders.LineInput(sku, 10, Decimal("12.3456"))], warehouse=warehouse
    )

    assert order.number == f"PO-{timezone.localdate():%Y%m%d}-{order.pk:06d}"
    assert order.status == "draft"
    line = order.lines.get()
    assert (line.quantity, line.unit_price, line.received_quantity) == (10, Decimal("12.3456"), 0)
    logged = set(ChangeLog.objects.values_list("object_type", "action"))
    assert logged == {
        ("procurement.purchaseorder", "create"),
        ("procurement.purchaseorderline", "create"),
    }


@pytest.mark.parametrize(
    ("make_lines", "message"),
    [
        (lambda sku: [], "An order needs at least one line."),
        (lambda sku: [orders.LineInput(sku, 0)], "SKU AC-100: the quantity must be at least 1."),
        (
            lambda sku: [orders.LineInput(sku, 1), orders.LineInput(sku, 2)],
            "SKU AC-100 appears twice; put its whole quantity on one line.",
        ),
        (
            lambda sku: [orders.LineInput(sku, 1, Decimal("-1"))],
            "SKU AC-100: the price cannot be negative.",
        ),
    ],
)
def test_bad_lines_are_refused(supplier, sku, make_lines, message):
    with pytest.raises(ValidationError) as error:
        orders.create_order(supplier, make_lines(sku))

    assert message in error.value.message_dict["lines"]
    assert not PurchaseOrder.objects.exists()


def test_only_suppliers_and_serialized_skus(customer, supplier, sku):
    loose = f.SKUFactory(code="SCREW", name="螺丝", serialized=False)
    with pytest.raises(ValidationError) as error:
        orders.create_order(customer, [orders.LineInput(sku, 1)])
    assert error.value.message_dict == {"supplier": ["C1 is not a supplier."]}
    with pytest.raises(ValidationError) as error:
        orders.create_order(supplier, [orders.LineInput(loose, 1)])
    assert error.value.message_dict == {"lines": ["SKU SCREW is not serialized."]}


def test_status_moves(draft):
    with pytest.raises(ValidationError):
        orders.close_order(draft)
    opened = orders.open_order(draft)
    assert opened.status == "open"
    with pytest.raises(ValidationError):
        orders.open_order(opened)
    assert orders.cancel_order(opened).status == "cancelled"
    statuses = [
        c.after.get("status")
        for c in ChangeLog.objects.filter(
            object_type="procurement.purchaseorder", action="update"
        ).order_by("id")
    ]
    assert statuses == ["open", "cancelled"]


def test_an_order_with_goods_is_closed_not_cancelled(receipt, order):
    receive_scan(receipt, f"(01){FAN_GTIN}(21)F1")

    with pytest.raises(ValidationError) as error:
        orders.cancel_order(order)
    assert error.value.message_dict["status"] == [
        "Goods were received on this order; close it instead."
    ]

    assert orders.close_order(order).status == "closed"
    assert Receipt.objects.get().status == "closed"


def test_line_quantity_never_below_what_arrived(receipt, order, fan):
    receive_scan(receipt, f"(01){FAN_GTIN}(21)F1")
    line = order.lines.get(sku=fan)

    with pytest.raises(ValidationError) as error:
        orders.update_line(line, quantity=0)
    assert error.value.message_dict["quantity"] == [
        "At least 1: 1 already received, 0 on the supplier's list."
    ]
    with pytest.raises(ValidationError):
        orders.delete_line(line)

    assert orders.update_line(line, quantity=1).quantity == 1
    assert PurchaseOrder.objects.get(pk=order.pk).status == "partial"


def test_lines_can_be_added_and_removed_before_goods_arrive(order, other_sku, sku):
    line = orders.add_line(order, orders.LineInput(other_sku, 4))
    with pytest.raises(ValidationError):
        orders.add_line(order, orders.LineInput(other_sku, 1))

    orders.delete_line(line)

    assert sorted(order.lines.values_list("sku__code", flat=True)) == ["AC-100", "FAN-200"]


def test_header_edits_and_deletion(draft, supplier, warehouse):
    orders.update_order(draft, notes="急", number="PO-NEW")
    assert PurchaseOrder.objects.get(pk=draft.pk).number == "PO-NEW"

    orders.delete_order(draft)

    assert not PurchaseOrder.objects.exists()
    assert ChangeLog.objects.filter(action="delete").count() == 3


def test_an_open_order_cannot_be_deleted(order):
    with pytest.raises(ValidationError):
        orders.delete_order(order)
