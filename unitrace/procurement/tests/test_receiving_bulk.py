"""Receiving by range, list and file: all or nothing, with one error per refused row."""

from __future__ import annotations

import pytest

from tests import factories as f
from unitrace.codes.ranges import RangeError
from unitrace.procurement.models import ExpectedSerial, PurchaseOrder, Receipt, SuspectUnit
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.receiving_bulk import (
    BulkRefused,
    receive_codes,
    receive_file,
    receive_range,
)
from unitrace.procurement.tests.conftest import FAKE1, FAKE2, FAN_GTIN, OTHER_GTIN, line_of
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db


def test_a_range_and_a_list_receive_everything_on_the_suppliers_list(
    receipt, listed, order, sku, fan, warehouse
):
    first = receive_range(receipt, "A0001-A0003")
    second = receive_codes(receipt, [f"(01){FAN_GTIN}(21)F0001", "F0002"])

    assert (first.rows, first.accepted, first.suspected) == (3, 3, 0)
    assert (second.accepted, second.errors) == (2, [])
    units = Unit.objects.order_by("serial")
    assert [(u.serial, u.status, u.warehouse_id) for u in units] == [
        (s, "in_stock", warehouse.pk) for s in ("A0001", "A0002", "A0003", "F0001", "F0002")
    ]
    assert units[0].supplier_serial == "V-A1" and units[0].batch.code == "B2601"
    received = UnitEvent.objects.filter(type="received")
    assert set(received.values_list("ref_type", "ref_id")) == {("PO", "PO-T1")}
    assert {e.details["receipt"] for e in received} == {"PO-T1-R01"}
    assert not ExpectedSerial.objects.filter(receipt__isnull=True).exists()
    assert (line_of(order, sku).received_quantity, line_of(order, fan).received_quantity) == (3, 2)
    receipt.refresh_from_db()
    assert (receipt.scanned, receipt.accepted) == (5, 5)
    assert PurchaseOrder.objects.get(pk=order.pk).status == "received"


def test_serials_off_the_list_are_received_into_quarantine(receipt, listed, sku):
    result = receive_codes(receipt, ["A0001", FAKE1], sku=sku)

    assert (result.accepted, result.suspected) == (1, 1)
    assert Unit.objects.get(serial=FAKE1).status == "quarantined"
    assert SuspectUnit.objects.get().unit.serial == FAKE1


def test_one_bad_row_refuses_the_whole_list_and_writes_nothing(
    receipt, listed, other_sku, sku, order
):
    receive_scan(receipt, "A0001")
    register_units(sku, [NewUnit("PRE")])
    before = (
        Unit.objects.count(),
        UnitEvent.objects.count(),
        list(Receipt.objects.values_list("scanned", "accepted")),
    )

    with pytest.raises(BulkRefused) as refused:
        receive_codes(
            receipt,
            [
                "A0002",
                "A0001",
                f"(01){OTHER_GTIN}(21)T1",
                "A0002",
                "ZZ9",
                "(01)123",
                f"(01){FAN_GTIN}(21)F0001",
                f"(01){FAN_GTIN}(21)F0002",
                f"(01){FAN_GTIN}(21)F0009",
            ],
        )

    errors = [(e.row, e.outcome, e.value) for e in refused.value.result.errors]
    assert errors == [
        (2, "duplicate", "A0001"),
        (3, "wrong_sku", "T1"),
        (4, "duplicate", "A0002"),
        (5, "unknown", "ZZ9"),
        (6, "invalid", "(01)123"),
        (9, "over_quantity", "F0009"),
    ]
    messages = {e.row: e.message for e in refused.value.result.errors}
    assert messages[4] == "duplicate of row 1 in this list"
    assert messages[9] == "FAN-200: all 2 ordered units are received; F0009 is one too many"
    assert str(refused.value) == "6 of 9 rows refused; nothing was received"
    assert (
        Unit.objects.count(),
        UnitEvent.objects.count(),
        list(Receipt.objects.values_list("scanned", "accepted")),
    ) == before
    assert Unit.objects.get(serial="PRE").status == "registered"


def test_a_file_with_a_sku_column(receipt, sku, fan):
    data = "型号,序列号\nAC-100,K1\nFAN-200,K2\nAC-100,K3\n".encode()

    result = receive_file(receipt, data, "收货.csv")

    assert result.accepted == 3
    assert dict(Unit.objects.values_list("serial", "sku__code")) == {
        "K1": "AC-100",
        "K2": "FAN-200",
        "K3": "AC-100",
    }


def test_a_file_naming_an_unknown_sku_is_refused(receipt):
    with pytest.raises(BulkRefused) as refused:
        receive_file(receipt, b"sku,serial\nNOPE,K1\n", "r.csv")

    error = refused.value.result.errors[0]
    assert (error.row, error.outcome, error.message) == (2, "unknown", "unknown SKU 'NOPE'")


def test_a_file_without_a_serial_column_is_refused(receipt):
    with pytest.raises(BulkRefused) as refused:
        receive_file(receipt, b"sku,colour\nAC-100,red\n", "r.csv")

    assert "no 'serial' column" in refused.value.result.errors[0].message


def test_pre_registered_units_are_received_not_registered_again(receipt, sku):
    register_units(sku, [NewUnit("P1"), NewUnit("P2")])

    result = receive_range(receipt, "P1-P2", sku=sku)

    assert result.accepted == 2
    assert Unit.objects.count() == 2
    assert set(Unit.objects.values_list("status", flat=True)) == {"in_stock"}


def test_a_malformed_range_is_explained(receipt, sku):
    with pytest.raises(RangeError) as error:
        receive_range(receipt, "A0010~A0001", sku=sku)

    assert "smaller than the start" in error.value.message


def test_with_globally_unique_serials_another_skus_serial_is_refused(settings, receipt, sku, fan):
    settings.UNITRACE_SERIAL_GLOBAL_UNIQUE = True
    register_units(fan, [NewUnit("G1")])

    with pytest.raises(BulkRefused) as refused:
        receive_range(receipt, "G1", sku=sku)

    assert refused.value.result.errors[0].message == "G1 is already registered (SKU FAN-200)"


def test_long_lists_go_to_the_database_as_one_parameter(supplier, warehouse):
    from unitrace.procurement import asn
    from unitrace.procurement.receipts import open_receipt

    sku = f.SKUFactory(code="PART-9")  # no serial rule: L0121... off the list are suspects

    order = f.PurchaseOrderFactory(supplier=supplier, lines=[(sku, 300)], warehouse=warehouse)
    rows = [(i, {"serial": f"L{i:04d}"}) for i in range(1, 121)]
    assert asn.import_asn_rows(order, rows).created == 120
    with pytest.raises(asn.AsnRefused) as again:
        asn.import_asn_rows(order, rows)
    assert len(again.value.result.errors) == 120
    register_units(sku, [NewUnit("L0007")])
    receipt = open_receipt(order, warehouse)

    result = receive_range(receipt, "L0001-L0130")

    assert (result.accepted, result.suspected) == (120, 10)
    assert not ExpectedSerial.objects.filter(order=order, receipt__isnull=True).exists()
    assert Unit.objects.filter(serial__startswith="L").count() == 130


def test_bulk_suspects_do_not_fill_the_line(receipt, listed, sku, order):
    result = receive_codes(receipt, [FAKE1, FAKE2, "A0001", "A0002", "A0003"], sku=sku)

    assert (result.accepted, result.suspected) == (3, 2)
    assert line_of(order, sku).received_quantity == 3
    assert SuspectUnit.objects.count() == 2


def test_bulk_suspect_after_the_line_is_full_is_refused(receipt, listed, sku):
    with pytest.raises(BulkRefused) as refused:
        receive_codes(receipt, ["A0001", "A0002", "A0003", FAKE1], sku=sku)

    (error,) = refused.value.result.errors
    assert (error.row, error.code) == (4, "over_quantity")
    assert not Unit.objects.exists()


def test_bulk_serial_off_the_rule_is_refused_as_not_this_skus(receipt, listed, sku):
    with pytest.raises(BulkRefused) as refused:
        receive_range(receipt, "A0001 HELLO-123", sku=sku)

    (error,) = refused.value.result.errors
    assert (error.row, error.code) == (2, "wrong_sku")
    assert error.message.startswith("HELLO-123 is not a serial of SKU AC-100: ")
    assert not SuspectUnit.objects.exists()


def test_bulk_serial_in_another_letter_case_is_the_registered_unit(receipt, fan):
    register_units(fan, [NewUnit("PB000002W"), NewUnit("PB000003W")])
    receive_codes(receipt, [f"(01){FAN_GTIN}(21)PB000003W"])

    result = receive_range(receipt, "pb000002w", sku=fan)
    with pytest.raises(BulkRefused) as refused:
        receive_range(receipt, "pb000003w", sku=fan)

    assert (result.accepted, result.suspected) == (1, 0)
    assert Unit.objects.get(serial="PB000002W").status == "in_stock"
    assert Unit.objects.count() == 2
    (error,) = refused.value.result.errors
    assert error.code == "duplicate"
    assert error.message.startswith(
        "pb000003w is serial PB000003W (the register ignores letter case): "
        "PB000003W was already received in this receipt at "
    )
