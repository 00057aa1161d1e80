"""Transfers: draft, dispatch (transfer_out), receipt by scanning (transfer_in), close."""

import pytest

from tests import factories as f
from unitrace.core.display import shown_date
from unitrace.core.errors import RowError
from unitrace.inventory import transfers
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import Transfer
from unitrace.sales.delivery import deliver_order
from unitrace.sales.scanning import rows_from_text
from unitrace.serials import ledger
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.statuses import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_units, warehouse, regional):
    units = make_units(["T1", "T2", "T3"], warehouse)
    return transfers.create_transfer(warehouse, regional, units=units, notes="补货")


def statuses() -> dict[str, str]:
    return dict(Unit.objects.values_list("serial", "status"))


def test_draft_gets_a_number_and_lines(draft):
    assert draft.number == f"TR{draft.pk:06d}"
    assert draft.status == Transfer.Status.DRAFT
    assert sorted(draft.lines.values_list("unit__serial", flat=True)) == ["T1", "T2", "T3"]


def test_own_number_must_be_unique(warehouse, regional):
    transfers.create_transfer(warehouse, regional, number="ERP-1")
    with pytest.raises(InventoryError, match="number ERP-1 is already used"):
        transfers.create_transfer(warehouse, regional, number="ERP-1")


def test_same_warehouse_is_refused(warehouse):
    with pytest.raises(InventoryError, match="two different warehouses"):
        transfers.create_transfer(warehouse, warehouse)


def test_units_elsewhere_or_held_are_refused_all_or_nothing(make_units, warehouse, regional):
    here = make_units(["OK1"], warehouse)
    there = make_units(["FAR1"], regional)
    held = make_units(["Q1"], warehouse)
    ledger.quarantine(held[0])
    draft = transfers.create_transfer(warehouse, regional)
    with pytest.raises(InventoryError) as caught:
        transfers.add_units(draft, here + there + [Unit.objects.get(serial="Q1")])
    rows = {r.value: r for r in caught.value.rows}
    assert "2 units cannot go on this transfer; none were added" in str(caught.value)
    assert rows["FAR1"].message == "the ledger places it in R-SH, not in HQ"
    assert rows["Q1"].message == "a unit that is quarantined cannot be transfer dispatched"
    assert draft.lines.count() == 0


def test_a_sold_unit_says_to_whom_and_on_which_delivery(
    make_units, warehouse, regional, customer, make_user
):
    """Not "the ledger places it in no warehouse": who bought it, when, which note."""
    make_units(["SOLD1"], warehouse)
    order = f.SalesOrderFactory(buyer=customer, lines=[(Unit.objects.get().sku, 1)])
    delivery = deliver_order(order, warehouse, rows_from_text("SOLD1"))
    day = shown_date(delivery.delivered_at)
    draft = transfers.create_transfer(warehouse, regional)
    sold = Unit.objects.select_related("warehouse").get(serial="SOLD1")
    with pytest.raises(InventoryError) as caught:
        transfers.add_units(draft, [sold], user=make_user("warehouse"))
    assert [(r.code, r.message) for r in caught.value.rows] == [
        ("already_sold", f"already sold to 张* on {day} ({delivery.number})")
    ]
    with pytest.raises(InventoryError) as caught:
        transfers.add_units(draft, [sold], user=make_user("sales"))  # may see the name
    assert caught.value.rows[0].message == f"already sold to 张三 on {day} ({delivery.number})"
    assert draft.lines.count() == 0


def test_a_closed_receipt_no_longer_holds_its_missing_units(draft, make_units, warehouse, van):
    transfers.dispatch_transfer(draft)
    other = transfers.create_transfer(warehouse, van)
    moving = Unit.objects.select_related("warehouse").get(serial="T1")
    with pytest.raises(InventoryError) as caught:
        transfers.add_units(other, [moving])
    message = caught.value.rows[0].message
    assert message.startswith("already on transfer")  # the open transfer names it first
    transfers.close_receipt(draft, reason="lost on the road")
    lost = Unit.objects.select_related("warehouse").get(serial="T1")
    with pytest.raises(InventoryError) as caught:
        transfers.add_units(other, [lost])
    assert caught.value.rows[0].message == "a unit that is missing cannot be transfer dispatched"


def test_a_unit_cannot_be_on_two_open_transfers(draft, warehouse, van):
    other = transfers.create_transfer(warehouse, van)
    with pytest.raises(InventoryError) as caught:
        transfers.add_units(other, [Unit.objects.get(serial="T1")])
    assert caught.value.rows[0].message == f"already on transfer {draft.number}"


def test_adding_twice_is_harmless(draft):
    assert transfers.add_units(draft, [Unit.objects.get(serial="T1")]) == 0
    assert draft.lines.count() == 3


def test_dispatch_puts_every_unit_in_transit(draft, make_user):
    clerk = make_user("warehouse")
    transfers.dispatch_transfer(draft, user=clerk)
    draft.refresh_from_db()
    assert draft.status == Transfer.Status.IN_TRANSIT and draft.dispatched_by == clerk
    assert set(statuses().values()) == {Status.IN_TRANSIT}
    out = UnitEvent.objects.filter(type="transfer_out")
    assert out.count() == 3
    assert {e.details["to_warehouse_id"] for e in out} == {draft.to_warehouse_id}
    assert {e.ref_id for e in out} == {draft.number}


def test_dispatch_is_all_or_nothing(draft, customer):
    unit = Unit.objects.get(serial="T2")
    event = ledger.deliver(unit, customer, ref_type="DN", ref_id="DN-7")  # sold meanwhile
    with pytest.raises(InventoryError) as caught:
        transfers.dispatch_transfer(draft)
    day = shown_date(event.occurred_at)
    assert caught.value.rows == [
        RowError(
            None,
            field="serial",
            code="already_sold",
            message=f"already sold to 张* on {day} (DN-7)",
            value="T2",
        )
    ]
    assert statuses() == {"T1": "in_stock", "T2": "sold", "T3": "in_stock"}
    draft.refresh_from_db()
    assert draft.status == Transfer.Status.DRAFT


def test_dispatch_twice_is_refused(draft):
    transfers.dispatch_transfer(draft)
    with pytest.raises(InventoryError, match="only a draft can be dispatched"):
        transfers.dispatch_transfer(draft)


def test_empty_transfer_cannot_be_dispatched(warehouse, regional):
    with pytest.raises(InventoryError, match="no units"):
        transfers.dispatch_transfer(transfers.create_transfer(warehouse, regional))


def test_receipt_by_scan_then_missing_listed(draft, regional, make_units, warehouse):
    transfers.dispatch_transfer(draft)
    shelf = f.BinFactory(warehouse=regional, code="R-01")
    receipt = transfers.receive_units(draft, [Unit.objects.get(serial="T1")], bin=shelf)
    assert [u.serial for u in receipt.received] == ["T1"] and receipt.remaining == 2
    unit = Unit.objects.get(serial="T1")
    assert (unit.status, unit.warehouse_id, unit.bin_id) == ("in_stock", regional.pk, shelf.pk)
    draft.refresh_from_db()
    assert draft.status == Transfer.Status.PARTIALLY_RECEIVED
    again = transfers.receive_units(draft, [unit])
    assert again.received == [] and [u.serial for u in again.already] == ["T1"]
    stranger = make_units(["X9"], warehouse)[0]
    with pytest.raises(InventoryError) as caught:
        transfers.receive_units(draft, [stranger])
    assert caught.value.rows[0].message == f"not on transfer {draft.number}"
    assert sorted(
        draft.lines.filter(received_at__isnull=True).values_list("unit__serial", flat=True)
    ) == ["T2", "T3"]


def test_full_receipt_marks_received(draft):
    transfers.dispatch_transfer(draft)
    transfers.receive_units(draft, list(Unit.objects.filter(serial__startswith="T")))
    draft.refresh_from_db()
    assert draft.status == Transfer.Status.RECEIVED
    assert UnitEvent.objects.filter(type="transfer_in").count() == 3


def test_draft_cannot_be_received_and_bin_must_be_at_destination(draft, bins):
    with pytest.raises(InventoryError, match="nothing can be received"):
        transfers.receive_units(draft, [Unit.objects.get(serial="T1")])
    transfers.dispatch_transfer(draft)
    with pytest.raises(InventoryError, match="bin A1 is not in R-SH"):
        transfers.receive_units(draft, [Unit.objects.get(serial="T1")], bin=bins["A1"])


def test_close_receipt_reports_the_rest_missing(draft):
    transfers.dispatch_transfer(draft)
    transfers.receive_units(draft, [Unit.objects.get(serial="T1")])
    with pytest.raises(InventoryError, match="give a reason for the 2 units"):
        transfers.close_receipt(draft, reason=" ")
    missing = transfers.close_receipt(draft, reason="箱子破损，丢失两台")
    assert [u.serial for u in missing] == ["T2", "T3"]
    assert statuses() == {"T1": "in_stock", "T2": "missing", "T3": "missing"}
    assert UnitEvent.objects.get(unit__serial="T2", type="missing").notes == "箱子破损，丢失两台"
    with pytest.raises(InventoryError, match=r"receipt of transfer .* is closed"):
        transfers.receive_units(draft, [Unit.objects.get(serial="T2")])


def test_cancel_only_a_draft(draft):
    transfers.cancel_transfer(draft)
    draft.refresh_from_db()
    assert draft.status == Transfer.Status.CANCELLED
    with pytest.raises(InventoryError, match="only a draft"):
        transfers.cancel_transfer(draft)
