"""The supplier's serial list: import from rows, CSV and XLSX, with row-level errors."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from tests import factories as f
from unitrace.catalog.models import Batch
from unitrace.core.models import ChangeLog
from unitrace.procurement import asn, orders
from unitrace.procurement.models import ExpectedSerial
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.tests.conftest import line_of

pytestmark = pytest.mark.django_db


def rows(*items: dict) -> list[tuple[int, dict]]:
    return list(enumerate(items, 2))


def test_rows_are_stored_and_new_supplier_batches_created(order, listed, sku, fan, supplier):
    assert (listed.rows, listed.created, listed.errors) == (5, 5, [])
    assert (line_of(order, sku).asn_quantity, line_of(order, fan).asn_quantity) == (3, 2)
    row = ExpectedSerial.objects.get(serial="A0001")
    assert (row.sku, row.supplier_serial, row.batch.code, row.line.sku) == (
        sku,
        "V-A1",
        "B2601",
        sku,
    )
    new_batch = Batch.objects.get(sku=fan, code="FB1")
    assert (new_batch.supplier, str(new_batch.production_date)) == (supplier, "2026-02-01")
    assert ChangeLog.objects.filter(object_type="catalog.batch", action="create").count() == 1


def test_csv_with_chinese_headers(order, sku):
    data = "型号,序列号,供应商序列号,批次,生产日期\nAC-100,C1,V1,,2026/01/02\nAC-100,C2,,,\n"

    result = asn.import_asn_file(order, data.encode("gb18030"), "发货清单.csv")

    assert result.created == 2
    assert str(ExpectedSerial.objects.get(serial="C1").production_date) == "2026-01-02"


def test_xlsx_with_english_headers_and_numeric_serials(order, fan):
    book = Workbook()
    sheet = book.active
    sheet.append(["Model", "Serial Number", "Lot"])
    sheet.append(["FAN-200", 123456789012, "L1"])
    buffer = io.BytesIO()
    book.save(buffer)

    result = asn.import_asn_file(order, buffer.getvalue(), "asn.xlsx")

    assert result.created == 1
    assert ExpectedSerial.objects.get().serial == "123456789012"


def test_every_problem_is_reported_by_row_and_nothing_is_stored(
    order, sku, fan, other_sku, supplier, warehouse
):
    other = f.PurchaseOrderFactory(
        supplier=supplier, lines=[(sku, 5, "1")], number="PO-T2", warehouse=warehouse
    )
    asn.import_asn_rows(other, rows({"serial": "TAKEN1"}))
    before = ExpectedSerial.objects.count()

    with pytest.raises(asn.AsnRefused) as refused:
        asn.import_asn_rows(
            order,
            rows(
                {"sku": "AC-100", "serial": "OK1"},
                {"sku": "NOPE", "serial": "X1"},
                {"sku": "TV-9", "serial": "X2"},
                {"sku": "AC-100", "serial": "OK1"},
                {"sku": "AC-100", "serial": "TAKEN1"},
                {"sku": "AC-100", "serial": "A 1"},
                {"serial": "X3"},
                {"sku": "FAN-200", "serial": "F1", "production_date": "2026-13-01"},
                {"sku": "FAN-200", "serial": "1.23457E+11"},
            ),
        )

    errors = [(e.row, e.field, e.message) for e in refused.value.result.errors]
    assert errors == [
        (3, "sku", "unknown SKU 'NOPE'"),
        (4, "sku", "SKU TV-9 is not on order PO-T1"),
        (5, "serial", "duplicate of row 2 in this file"),
        (6, "serial", "already on the serial list of open order PO-T2"),
        (7, "serial", "Character 2 of 'A 1' is U+0020, which GS1 does not allow in serials."),
        (8, "sku", "the SKU is missing (the order has several lines)"),
        (9, "production_date", "'2026-13-01' is not a date (use YYYY-MM-DD)"),
        (
            10,
            "serial",
            "'1.23457E+11' was turned into a number by Excel and its digits are lost; "
            "format the column as text and export again",
        ),
    ]
    assert str(refused.value) == "8 errors in 8 rows; nothing was imported"
    assert ExpectedSerial.objects.count() == before


def test_valid_only_stores_the_good_rows(order):
    result = asn.import_asn_rows(
        order,
        rows({"sku": "AC-100", "serial": "G1"}, {"sku": "NOPE", "serial": "G2"}),
        mode="valid-only",
    )

    assert (result.created, [e.row for e in result.errors]) == (1, [3])
    assert list(ExpectedSerial.objects.values_list("serial", flat=True)) == ["G1"]


def test_more_serials_than_ordered_are_refused(order):
    with pytest.raises(asn.AsnRefused) as refused:
        asn.import_asn_rows(order, rows(*[{"sku": "FAN-200", "serial": f"F{i}"} for i in range(3)]))

    assert [(e.row, e.message) for e in refused.value.result.errors] == [
        (4, "more serials than ordered for SKU FAN-200 (2 ordered)")
    ]


def test_a_second_import_adds_and_catches_repeats(order, listed):
    with pytest.raises(asn.AsnRefused) as refused:
        asn.import_asn_rows(order, rows({"sku": "AC-100", "serial": "A0001"}))

    assert refused.value.result.errors[0].message == "already on this order's serial list"


def test_serials_of_a_closed_order_are_free_again(order, sku, supplier, warehouse):
    old = f.PurchaseOrderFactory(
        supplier=supplier, lines=[(sku, 5)], number="PO-OLD", warehouse=warehouse
    )
    asn.import_asn_rows(old, rows({"serial": "R1"}))
    orders.close_order(old)

    assert asn.import_asn_rows(order, rows({"sku": "AC-100", "serial": "R1"})).created == 1


def test_single_line_order_needs_no_sku_column(supplier, warehouse, sku):
    single = f.PurchaseOrderFactory(
        supplier=supplier, lines=[(sku, 2)], warehouse=warehouse, opened=False
    )

    result = asn.import_asn_file(single, b"serial\nS1\nS2\n", "list.csv")

    assert result.created == 2 and single.status == "draft"


def test_unreadable_file_is_one_error(order):
    with pytest.raises(asn.AsnRefused) as refused:
        asn.import_asn_file(order, b"model,colour\nAC-100,red\n", "x.csv")

    error = refused.value.result.errors[0]
    assert (error.row, error.field) == (1, "file")
    assert "no 'serial' column" in error.message


def test_clear_removes_only_what_has_not_arrived(order, receipt, listed, sku):
    receive_scan(receipt, "A0001")

    assert asn.clear_asn(order) == 4

    assert list(ExpectedSerial.objects.values_list("serial", flat=True)) == ["A0001"]
    assert line_of(order, sku).asn_quantity == 1


def test_list_of_a_closed_order_cannot_change(order):
    orders.close_order(order)

    with pytest.raises(ValidationError):
        asn.import_asn_rows(order, rows({"sku": "AC-100", "serial": "Z1"}))
