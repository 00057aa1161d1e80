"""Spare parts by quantity: lots, FEFO, expired lots, the journal, minimum stock."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from unitrace.inventory import parts
from unitrace.inventory.alerts import check_min_stock, low_stock
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import MinStock, PartMove, PartStock, StockAlert
from unitrace.inventory.models.parts import PartMoveError
from unitrace.inventory.tasks import check_min_stock_task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def stocked(part, warehouse):
    """Three lots: L-OLD expired, L-SOON expires in 10 days, L-LATE in 100, plus no-expiry."""
    parts.receive_parts(warehouse, part, 5, lot="L-OLD", expiry=TODAY - timedelta(days=1))
    parts.receive_parts(warehouse, part, 3, lot="L-SOON", expiry=TODAY + timedelta(days=10))
    parts.receive_parts(warehouse, part, 4, lot="L-LATE", expiry=TODAY + timedelta(days=100))
    parts.receive_parts(warehouse, part, 2, lot="L-NONE")
    return part


def qty(part, lot):
    return PartStock.objects.get(sku=part, lot=lot).quantity


def test_receive_adds_to_the_lot_and_journals(part, warehouse):
    parts.receive_parts(warehouse, part, 5, lot="L1", reference="PO-1", reason="采购入库")
    move = parts.receive_parts(warehouse, part, 2, lot="L1")
    assert qty(part, "L1") == 7
    assert (move.type, move.quantity, move.balance) == ("receive", 2, 7)
    assert PartMove.objects.filter(stock__lot="L1").count() == 2


def test_receive_refuses_a_different_expiry_and_serialized_skus(part, warehouse, sku):
    parts.receive_parts(warehouse, part, 1, lot="L1", expiry=TODAY)
    with pytest.raises(InventoryError, match="lot L1 expires on"):
        parts.receive_parts(warehouse, part, 1, lot="L1", expiry=TODAY + timedelta(days=1))
    with pytest.raises(InventoryError, match="AC-100 is serialized"):
        parts.receive_parts(warehouse, sku, 1)
    with pytest.raises(InventoryError, match="whole number above 0"):
        parts.receive_parts(warehouse, part, 0)


def test_fefo_suggestion_skips_expired_lots(stocked, warehouse):
    plan = parts.suggest_issue(warehouse, stocked, 5)
    assert [(a.stock.lot, a.quantity) for a in plan] == [("L-SOON", 3), ("L-LATE", 2)]


def test_issue_follows_fefo_across_lots(stocked, warehouse):
    moves = parts.issue_parts(warehouse, stocked, 8, reference="WO-1")
    assert [(m.lot, m.quantity, m.balance) for m in moves] == [
        ("L-SOON", -3, 0),
        ("L-LATE", -4, 0),
        ("L-NONE", -1, 1),
    ]
    assert qty(stocked, "L-OLD") == 5


def test_issue_refuses_more_than_usable(stocked, warehouse):
    with pytest.raises(InventoryError) as caught:
        parts.issue_parts(warehouse, stocked, 10)
    assert str(caught.value) == "only 9 usable SEAL-9 in HQ (5 more in expired lots)"
    assert qty(stocked, "L-SOON") == 3


def test_expired_lot_only_when_forced(stocked, warehouse):
    with pytest.raises(InventoryError, match=r"lot L-OLD expired on .*issue it only on purpose"):
        parts.issue_parts(warehouse, stocked, 1, lot="L-OLD")
    [move] = parts.issue_parts(warehouse, stocked, 1, lot="L-OLD", force=True, reason="试机用")
    assert move.forced and qty(stocked, "L-OLD") == 4


def test_named_lot_limits(stocked, warehouse):
    with pytest.raises(InventoryError, match="only 3 left in lot L-SOON"):
        parts.issue_parts(warehouse, stocked, 4, lot="L-SOON")
    with pytest.raises(InventoryError, match="HQ has no lot L-X of SEAL-9"):
        parts.issue_parts(warehouse, stocked, 1, lot="L-X")


def test_transfer_keeps_lot_and_expiry(stocked, warehouse, van):
    moves = parts.transfer_parts(warehouse, van, stocked, 4, reference="TR-P1")
    assert [(m.warehouse.code, m.lot, m.quantity) for m in moves] == [
        ("HQ", "L-SOON", -3),
        ("VAN-7", "L-SOON", 3),
        ("HQ", "L-LATE", -1),
        ("VAN-7", "L-LATE", 1),
    ]
    moved = PartStock.objects.get(warehouse=van, lot="L-SOON")
    assert moved.expiry == TODAY + timedelta(days=10) and moved.quantity == 3
    assert {m.counterpart.code for m in moves if m.quantity < 0} == {"VAN-7"}


def test_adjust_needs_a_reason_and_stays_non_negative(stocked, warehouse):
    with pytest.raises(InventoryError, match="needs a reason"):
        parts.adjust_parts(warehouse, stocked, -1, lot="L-SOON", reason="")
    with pytest.raises(InventoryError, match="only 3 left"):
        parts.adjust_parts(warehouse, stocked, -4, lot="L-SOON", reason="盘亏")
    move = parts.adjust_parts(warehouse, stocked, -2, lot="L-SOON", reason="盘亏")
    assert (move.type, move.balance, move.reason) == ("adjust", 1, "盘亏")


def test_return_is_journaled_as_return(part, warehouse):
    move = parts.return_parts(warehouse, part, 1, lot="L1", reference="WO-9")
    assert move.type == "return" and qty(part, "L1") == 1


def test_database_refuses_negative_stock(stocked, warehouse):
    with pytest.raises(IntegrityError), transaction.atomic():
        PartStock.objects.filter(lot="L-SOON").update(quantity=-1)


def test_journal_is_append_only(stocked):
    move = PartMove.objects.first()
    with pytest.raises(PartMoveError):
        move.save()
    with pytest.raises(PartMoveError):
        move.delete()


def test_min_stock_alerts_raise_once_and_resolve(stocked, warehouse, van):
    MinStock.objects.create(warehouse=warehouse, sku=stocked, minimum=10)  # usable 9
    MinStock.objects.create(warehouse=van, sku=stocked, minimum=1)  # nothing there
    assert [(m.warehouse.code, m.usable, m.short) for m in low_stock()] == [
        ("HQ", 9, 1),
        ("VAN-7", 0, 1),
    ]
    assert check_min_stock() == {"raised": 2, "resolved": 0, "open": 2}
    assert check_min_stock_task() == {"raised": 0, "resolved": 0, "open": 2}  # idempotent
    parts.receive_parts(warehouse, stocked, 1, lot="L-NONE")
    assert check_min_stock() == {"raised": 0, "resolved": 1, "open": 1}
    alert = StockAlert.objects.get(warehouse=warehouse)
    assert alert.resolved_at is not None and (alert.minimum, alert.quantity) == (10, 9)
    assert StockAlert.objects.filter(resolved_at__isnull=True).get().warehouse == van
