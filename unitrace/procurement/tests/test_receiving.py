"""One scan at a time: every outcome, its message, and what it writes (or doesn't)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f
from unitrace.procurement import asn, orders
from unitrace.procurement.models import ExpectedSerial, PurchaseOrder, Receipt, SuspectUnit
from unitrace.procurement.receipts import close_receipt, open_receipt
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.tests.conftest import (
    FAKE1,
    FAKE2,
    FAKE3,
    FAN_GTIN,
    OTHER_GTIN,
    ac_serial,
    line_of,
)
from unitrace.serials import ledger
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db
AC_GTIN = "06901234567892"


def snapshot() -> tuple[int, int]:
    return Unit.objects.count(), UnitEvent.objects.count()


def test_listed_serial_is_registered_with_the_suppliers_data_and_received(
    order, receipt, listed, sku, batch, warehouse
):
    feedback = receive_scan(receipt, "A0001")

    assert feedback.outcome == "accepted" and feedback.ok
    assert feedback.message == "A0001 accepted (AC-100)"
    unit = Unit.objects.get(serial="A0001")
    assert (unit.sku, unit.status, unit.warehouse) == (sku, "in_stock", warehouse)
    assert (unit.supplier_serial, unit.batch, str(unit.production_date)) == (
        "V-A1",
        batch,
        "2026-01-15",
    )
    events = list(unit.events.values_list("type", "ref_type", "ref_id"))
    assert events == [("registered", "PO", "PO-T1"), ("received", "PO", "PO-T1")]
    received = unit.events.get(type="received")
    assert received.details == {"receipt": "PO-T1-R01", "party_kind": "supplier"}
    assert line_of(order, sku).received_quantity == 1
    assert ExpectedSerial.objects.get(serial="A0001").receipt == receipt
    receipt.refresh_from_db()
    assert (receipt.scanned, receipt.accepted) == (1, 1)
    order.refresh_from_db()
    assert order.status == "partial"
    assert feedback.counts["receipt"]["accepted"] == 1
    ac_line = feedback.counts["lines"][0]
    assert (ac_line["sku"], ac_line["ordered"], ac_line["received"], ac_line["on_asn"]) == (
        "AC-100",
        3,
        1,
        3,
    )


@pytest.mark.parametrize(
    "code",
    [
        f"(01){FAN_GTIN}(21)F0001",
        f"https://id.example.cn/01/{FAN_GTIN}/21/F0001",
        f"]d201{FAN_GTIN}21F0001",
    ],
)
def test_gs1_codes_and_digital_links_name_the_sku_by_gtin(receipt, listed, fan, code):
    feedback = receive_scan(receipt, code)

    assert feedback.outcome == "accepted", feedback.message
    assert Unit.objects.get(serial="F0001").sku == fan
    assert str(Unit.objects.get(serial="F0001").production_date) == "2026-02-01"


def test_our_own_label_url_resolves_to_its_unit(settings, receipt, sku):
    register_units(sku, [NewUnit("PRE1")])
    token = Unit.objects.get(serial="PRE1").public_token

    feedback = receive_scan(receipt, f"{settings.PUBLIC_BASE_URL}/u/{token}/")

    assert feedback.outcome == "accepted", feedback.message
    assert Unit.objects.get(serial="PRE1").status == "in_stock"


def test_second_scan_in_the_same_receipt_is_a_duplicate(receipt, listed, sku, order):
    receive_scan(receipt, "A0001")
    before = snapshot()

    feedback = receive_scan(receipt, "A0001")

    assert feedback.outcome == "duplicate" and not feedback.ok
    assert feedback.message.startswith("A0001 was already received in this receipt at ")
    assert snapshot() == before
    assert line_of(order, sku).received_quantity == 1
    receipt.refresh_from_db()
    assert (receipt.scanned, receipt.accepted, receipt.duplicate) == (2, 1, 1)


def test_serial_received_on_an_earlier_receipt_is_a_duplicate(receipt, listed, order, warehouse):
    receive_scan(receipt, "A0001")
    close_receipt(receipt)
    second = open_receipt(order, warehouse)

    feedback = receive_scan(second, "A0001")

    assert second.number == "PO-T1-R02"
    assert feedback.outcome == "duplicate"
    assert "already received on" in feedback.message and "(receipt PO-T1-R01)" in feedback.message


def test_unit_already_in_stock_elsewhere_cannot_be_received_again(receipt, sku, warehouse):
    register_units(sku, [NewUnit("S1")])
    ledger.receive(Unit.objects.get(serial="S1"), warehouse, ref_type="GRN", ref_id="OLD")
    before = snapshot()

    feedback = receive_scan(receipt, f"(01){AC_GTIN}(21)S1")

    assert feedback.outcome == "duplicate"
    assert feedback.message == "S1 cannot be received: a unit that is in stock cannot be received"
    assert snapshot() == before


def test_serial_whose_sku_cannot_be_told_is_unknown(receipt):
    feedback = receive_scan(receipt, "ZZ123")

    assert feedback.outcome == "unknown"
    assert feedback.message == (
        "ZZ123 is not on the supplier's list and its SKU cannot be told: scan the product "
        "barcode or choose the SKU"
    )
    assert snapshot() == (0, 0)


def test_gtin_of_no_sku_is_unknown(receipt):
    feedback = receive_scan(receipt, "(01)06901234567991(21)X1")

    assert (feedback.outcome, feedback.message) == ("unknown", "no SKU has GTIN 06901234567991")


def test_gtin_of_a_sku_not_on_the_order_is_refused_as_wrong_sku(receipt, other_sku, order):
    feedback = receive_scan(receipt, f"(01){OTHER_GTIN}(21)T1")

    assert feedback.outcome == "wrong_sku"
    assert feedback.message == "T1 is SKU TV-9, which is not on order PO-T1"
    assert snapshot() == (0, 0)
    receipt.refresh_from_db()
    assert (receipt.scanned, receipt.wrong_sku) == (1, 1)


def test_barcode_sku_disagreeing_with_the_suppliers_list_is_refused(receipt, listed, order, fan):
    feedback = receive_scan(receipt, f"(01){AC_GTIN}(21)F0001")

    assert feedback.outcome == "wrong_sku"
    assert feedback.message == (
        "F0001 is listed as SKU FAN-200 by the supplier, but the code says AC-100"
    )
    assert snapshot() == (0, 0)
    assert line_of(order, fan).received_quantity == 0


def test_registered_serial_of_another_sku_is_wrong_sku(receipt, other_sku):
    register_units(other_sku, [NewUnit("TV1")])

    feedback = receive_scan(receipt, "TV1")

    assert feedback.outcome == "wrong_sku"
    assert feedback.message == "TV1 is SKU TV-9, which is not on order PO-T1"


def test_chosen_sku_identifies_plain_serials(receipt, fan):
    feedback = receive_scan(receipt, "FX1", sku=fan)

    assert feedback.outcome == "accepted"
    assert Unit.objects.get(serial="FX1").sku == fan


def test_over_receipt_is_refused_and_writes_nothing(receipt, order, fan):
    for serial in ("F1", "F2"):
        assert receive_scan(receipt, f"(01){FAN_GTIN}(21){serial}").outcome == "accepted"
    before = snapshot()

    feedback = receive_scan(receipt, f"(01){FAN_GTIN}(21)F3")

    assert feedback.outcome == "over_quantity"
    assert feedback.message == "FAN-200: all 2 ordered units are received; F3 is one too many"
    assert snapshot() == before
    assert not Unit.objects.filter(serial="F3").exists()
    assert line_of(order, fan).received_quantity == 2


def test_serial_missing_from_the_list_is_quarantined_as_a_suspect(receipt, listed, order, sku):
    feedback = receive_scan(receipt, f"(01){AC_GTIN}(21){FAKE1}")

    assert feedback.outcome == "suspect" and feedback.ok
    assert feedback.message == (
        f"{FAKE1} is not on the supplier's list: received into quarantine as a suspected "
        "counterfeit; it does not count against the order"
    )
    unit = Unit.objects.get(serial=FAKE1)
    assert unit.status == "quarantined"
    assert list(unit.events.values_list("type", flat=True)) == [
        "registered",
        "received",
        "quarantined",
    ]
    quarantine = unit.events.get(type="quarantined")
    assert (quarantine.ref_type, quarantine.ref_id) == ("PO", "PO-T1")
    assert "not on the supplier's serial list of PO-T1" in quarantine.notes
    suspect = SuspectUnit.objects.get(unit=unit)
    assert (suspect.order, suspect.receipt, suspect.decision) == (order, receipt, "pending")
    receipt.refresh_from_db()
    assert (receipt.scanned, receipt.accepted, receipt.suspected) == (1, 0, 1)
    # the supplier still owes every ordered unit: a suspect fills nothing
    assert line_of(order, sku).received_quantity == 0
    assert PurchaseOrder.objects.get(pk=order.pk).status == "open"
    assert feedback.counts["received"] == 0


def test_without_a_list_nothing_is_suspect(receipt):
    feedback = receive_scan(receipt, f"(01){AC_GTIN}(21)N1")

    assert feedback.outcome == "accepted"
    assert not SuspectUnit.objects.exists()


def test_the_units_file_names_the_supplier_it_was_received_from(receipt, order, make_user):
    from unitrace.serials.selectors import unit_facts, unit_for_file

    receive_scan(receipt, f"(01){AC_GTIN}(21)N2")  # no supplier list, so no batch
    unit = Unit.objects.get(serial="N2")
    event = UnitEvent.objects.get(unit=unit, type="received")
    assert unit.batch_id is None and event.party_id == order.supplier_id
    user = make_user("agent")
    assert unit_facts(unit_for_file(user, unit.pk), user)["supplier"]["code"] == (
        order.supplier.code
    )


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("A 01", "Character 2 of 'A 01' is U+0020, which GS1 does not allow in serials."),
        (
            f"(01){AC_GTIN}",
            "the code has a GTIN but no serial (21): it names a product, not a unit",
        ),
        ("   ", "Nothing was scanned."),
        ("https://example.com/about", "this link is not a product label with a serial"),
    ],
)
def test_unreadable_codes_are_invalid(receipt, code, message):
    feedback = receive_scan(receipt, code, sku=None)

    assert (feedback.outcome, feedback.message) == ("invalid", message)
    receipt.refresh_from_db()
    assert (receipt.scanned, receipt.invalid) == (1, 1)


def test_last_unit_marks_the_order_received(receipt, order, fan, sku):
    for i in range(3):
        receive_scan(receipt, f"(01){AC_GTIN}(21)R{i}")
    receive_scan(receipt, f"(01){FAN_GTIN}(21)G1")
    assert PurchaseOrder.objects.get(pk=order.pk).status == "partial"

    receive_scan(receipt, f"(01){FAN_GTIN}(21)G2")

    assert PurchaseOrder.objects.get(pk=order.pk).status == "received"


def test_closed_order_and_closed_receipt_refuse_scans(receipt, order):
    orders.close_order(order)
    with pytest.raises(ValidationError):
        receive_scan(Receipt.objects.get(pk=receipt.pk), "X1")
    with pytest.raises(ValidationError):
        open_receipt(order, receipt.warehouse)


def test_with_globally_unique_serials_another_skus_serial_is_a_duplicate(settings, receipt, fan):
    settings.UNITRACE_SERIAL_GLOBAL_UNIQUE = True
    register_units(fan, [NewUnit("G1")])

    feedback = receive_scan(receipt, f"(01){AC_GTIN}(21)G1")

    assert (feedback.outcome, feedback.message) == (
        "duplicate",
        "G1 is already registered (SKU FAN-200)",
    )
    assert Unit.objects.filter(serial="G1").count() == 1


def test_serial_longer_than_its_sku_allows_is_invalid(receipt, sku):
    sku.serial_max_length = 6
    sku.save()

    feedback = receive_scan(receipt, f"(01){AC_GTIN}(21)TOOLONG1")

    assert feedback.outcome == "invalid"
    assert feedback.message == "'TOOLONG1' has 8 characters; at most 6 are allowed."


# --- suspects do not consume the order --------------------------------------------------


@pytest.fixture
def six(supplier, warehouse, sku):
    """An order of six AC-100 whose supplier listed six serials, and its receipt."""
    order = f.PurchaseOrderFactory(
        supplier=supplier, lines=[(sku, 6)], number="PO-SIX", warehouse=warehouse
    )
    asn.import_asn_rows(order, [(i, {"serial": f"G{i}"}) for i in range(1, 7)])
    return order, open_receipt(order, warehouse)


def test_suspects_do_not_fill_the_order_and_the_genuine_units_complete_it(six, sku):
    order, receipt = six
    for code in (FAKE1, FAKE2, FAKE3, "G1", "G2", "G3"):
        receive_scan(receipt, code)

    order.refresh_from_db()
    assert order.status == "partial"
    assert line_of(order, sku).received_quantity == 3
    assert SuspectUnit.objects.filter(order=order).count() == 3

    outcomes = [receive_scan(receipt, code).outcome for code in ("G4", "G5", "G6")]

    assert outcomes == ["accepted", "accepted", "accepted"]
    order.refresh_from_db()
    assert order.status == "received"
    assert line_of(order, sku).received_quantity == 6
    receipt.refresh_from_db()
    assert (receipt.accepted, receipt.suspected, receipt.over_quantity) == (6, 3, 0)


def test_a_suspect_is_refused_once_the_line_has_all_its_genuine_units(order, listed, fan):
    receipt = open_receipt(order, order.warehouse)
    receive_scan(receipt, "F0001")
    receive_scan(receipt, "F0002")

    feedback = receive_scan(receipt, f"(01){FAN_GTIN}(21)FX9")

    assert feedback.outcome == "over_quantity"
    assert not Unit.objects.filter(serial="FX9").exists()
    assert not SuspectUnit.objects.exists()


# --- serial rules: not this SKU's serial is refused, not quarantined ---------------------


@pytest.mark.parametrize("code", ["HELLO-123", f"(01){AC_GTIN}(21)HELLO-123"])
def test_a_serial_off_the_rule_is_refused_as_not_this_skus(receipt, listed, order, sku, code):
    before = snapshot()

    feedback = receive_scan(receipt, code, sku=sku)

    assert feedback.outcome == "wrong_sku" and not feedback.ok
    assert feedback.message.startswith("HELLO-123 is not a serial of SKU AC-100: ")
    assert "rule AC{YY}{MM}{SEQ:6}{CHECK}" in feedback.message
    assert snapshot() == before
    assert not SuspectUnit.objects.exists()
    receipt.refresh_from_db()
    assert (receipt.scanned, receipt.wrong_sku, receipt.suspected) == (1, 1, 0)


def test_an_aircon_serial_against_a_compressor_line_is_refused(supplier, warehouse, sku):
    compressor = f.SKUFactory(code="CMP-1", name="压缩机", serial_pattern="CP{SEQ:8}")
    listed_order = f.PurchaseOrderFactory(
        supplier=supplier, lines=[(compressor, 2)], number="PO-CMP", warehouse=warehouse
    )
    asn.import_asn_rows(listed_order, [(2, {"serial": "CP00000001"})])
    unlisted = f.PurchaseOrderFactory(
        supplier=supplier, lines=[(compressor, 2)], number="PO-CMP2", warehouse=warehouse
    )
    aircon = ac_serial(5)

    on_listed = receive_scan(open_receipt(listed_order, warehouse), aircon)
    on_unlisted = receive_scan(open_receipt(unlisted, warehouse), aircon)

    assert on_listed.outcome == "wrong_sku"
    assert on_listed.message.startswith(f"{aircon} is not a serial of SKU CMP-1: ")
    # without a list the compressor's rule is not enforced, but the serial is AC-100's
    assert (on_unlisted.outcome, on_unlisted.message) == (
        "wrong_sku",
        f"{aircon} is a serial of SKU AC-100 (it fits that rule, check character included), "
        "not of CMP-1",
    )
    assert not Unit.objects.filter(serial=aircon).exists()
    assert not SuspectUnit.objects.exists()


def test_an_enforced_rule_refuses_other_serials_even_without_a_list(receipt, sku):
    sku.enforce_pattern = True
    sku.save()

    feedback = receive_scan(receipt, f"(01){AC_GTIN}(21)N1")

    assert feedback.outcome == "wrong_sku"
    assert feedback.message.startswith("N1 is not a serial of SKU AC-100: ")


def test_a_serial_of_the_skus_own_form_needs_its_check_character(receipt, sku):
    good = ac_serial(7)
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")

    refused = receive_scan(receipt, f"(01){AC_GTIN}(21){bad}")
    accepted = receive_scan(receipt, f"(01){AC_GTIN}(21){good}")

    assert refused.outcome == "wrong_sku"
    assert refused.message.startswith(f"{bad} is not a serial of SKU AC-100: ")
    assert accepted.outcome == "accepted"


# --- letter case: the register holds one serial in any case --------------------------------


def test_a_scan_in_another_letter_case_receives_the_registered_unit(receipt, fan):
    register_units(fan, [NewUnit("PB000002W")])

    feedback = receive_scan(receipt, f"(01){FAN_GTIN}(21)pb000002w")

    assert feedback.outcome == "accepted"
    assert feedback.message == (
        "pb000002w is serial PB000002W (the register ignores letter case): "
        "PB000002W accepted (FAN-200)"
    )
    assert feedback.serial == "PB000002W"
    assert list(Unit.objects.values_list("serial", "status")) == [("PB000002W", "in_stock")]


def test_a_scan_in_another_letter_case_of_a_received_unit_is_a_duplicate(receipt, fan):
    register_units(fan, [NewUnit("PB000002W")])
    receive_scan(receipt, f"(01){FAN_GTIN}(21)PB000002W")

    feedback = receive_scan(receipt, f"(01){FAN_GTIN}(21)pb000002w")

    assert feedback.outcome == "duplicate"
    assert feedback.message.startswith(
        "pb000002w is serial PB000002W (the register ignores letter case): "
        "PB000002W was already received in this receipt at "
    )
    assert Unit.objects.count() == 1
    receipt.refresh_from_db()
    assert (receipt.accepted, receipt.duplicate) == (1, 1)


def test_a_listed_serial_scanned_in_another_letter_case_is_the_listed_unit(receipt, listed, fan):
    feedback = receive_scan(receipt, f"(01){FAN_GTIN}(21)f0001")

    assert feedback.outcome == "accepted"
    assert feedback.serial == "F0001"
    assert ExpectedSerial.objects.get(serial="F0001").receipt == receipt
    assert not SuspectUnit.objects.exists()
    assert list(Unit.objects.values_list("serial", flat=True)) == ["F0001"]
