"""Registering serials from files, lists and ranges: every check and its message."""

import io

import openpyxl
import pytest
from django.test import override_settings

from tests import factories as f
from unitrace.codes.pasted import expand_pasted
from unitrace.serials.importing import (
    ImportRefused,
    error_report,
    import_file,
    import_serial_list,
)
from unitrace.serials.models import Unit
from unitrace.serials.statuses import EventType

pytestmark = pytest.mark.django_db


def csv_bytes(text: str, encoding: str = "utf-8-sig") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def refused(data: bytes, name: str = "units.csv", **kwargs):
    with pytest.raises(ImportRefused) as info:
        import_file(data, name, **kwargs)
    return {(e.row, e.field): e.message for e in info.value.result.errors}


def test_gbk_csv_with_chinese_headers(sku, batch):
    data = csv_bytes(
        "型号,序列号,批次,供应商序列号,生产日期\n"
        "AC-100,SN0001,B2601,厂家-1,2026-01-15\n"
        "AC-100,SN0002,B2601,,\n",
        "gbk",
    )
    result = import_file(data, "清单.csv")
    assert (result.created, result.rows, result.errors) == (2, 2, [])
    first = Unit.objects.get(serial="SN0001")
    assert (first.batch_id, first.supplier_serial, str(first.production_date)) == (
        batch.pk,
        "厂家-1",
        "2026-01-15",
    )
    # without a date of its own the unit takes the batch's production date
    assert str(Unit.objects.get(serial="SN0002").production_date) == "2026-01-15"
    assert first.events.get().type == EventType.REGISTERED


def test_every_row_error_is_specific_and_nothing_is_written(sku, batch):
    Unit.objects.create(sku=sku, serial="TAKEN1")
    f.SKUFactory(code="BOX", name="耗材", serialized=False)
    data = csv_bytes(
        "sku,serial,batch,production_date\n"
        "AC-100,OK1,,\n"  # row 2: fine
        "NOPE,OK2,,\n"  # row 3: unknown SKU
        "AC-100,OK1,,\n"  # row 4: duplicate of row 2
        "AC-100,TAKEN1,,\n"  # row 5: already in the database
        "AC-100,BAD/1,,\n"  # row 6: excluded character
        "AC-100,ABCDEFGHIJKLMNOPQRSTUV,,\n"  # row 7: too long
        "AC-100,OK3,B9,\n"  # row 8: unknown batch
        "AC-100,OK4,,2026-02-30\n"  # row 9: impossible date
        "AC-100,,,\n"  # row 10: serial missing
        "BOX,OK5,,\n"  # row 11: not serialized
        "AC-100,1.23457E+11,,\n"  # row 12: Excel scientific notation
        "AC-100,ＳＮ１,,\n"  # row 13: full-width characters, read as SN1 (NFKC)
    )
    errors = refused(data)
    assert errors[(3, "sku")] == "unknown SKU 'NOPE'"
    assert errors[(4, "serial")] == "duplicate of row 2 in this file"
    assert errors[(5, "serial")] == "already registered (SKU AC-100)"
    assert "GB/T 33993 excludes" in errors[(6, "serial")]
    assert "has 22 characters; at most 20" in errors[(7, "serial")]
    assert errors[(8, "batch")] == "unknown batch 'B9' for SKU AC-100"
    assert errors[(9, "production_date")] == "'2026-02-30' is not a real date"
    assert errors[(10, "serial")] == "The serial is empty."
    assert errors[(11, "sku")] == "SKU BOX is not serialized"
    assert "turned into a number by Excel" in errors[(12, "serial")]
    assert (13, "serial") not in errors  # a Chinese IME's ＳＮ１ is the serial SN1
    assert (2, "serial") not in errors
    assert not Unit.objects.filter(serial="OK1").exists()


def test_valid_only_registers_good_rows_and_reports_the_rest(sku):
    data = csv_bytes("sku,serial\nAC-100,G1\nAC-100,G1\nAC-100,G2\n")
    result = import_file(data, "u.csv", mode="valid-only")
    assert result.created == 2
    assert [(e.row, e.message) for e in result.errors] == [(3, "duplicate of row 2 in this file")]
    report = error_report(result.errors).splitlines()
    assert report[0] == "row,column,value,error"
    assert report[1] == "3,serial,G1,duplicate of row 2 in this file"


def test_xlsx_with_numeric_serials(sku):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Model", "SN"])
    sheet.append(["AC-100", 123456789012])
    sheet.append(["AC-100", "A-7"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_file(buffer.getvalue(), "units.xlsx")
    assert result.created == 2
    assert Unit.objects.filter(serial="123456789012").exists()


def test_missing_column_and_garbage_file(sku):
    assert "serial" in refused(csv_bytes("sku,number\nAC-100,1\n"))[(1, "file")]
    assert refused(b"\x00\x01\x02garbage\xff" * 20, "x.bin")[(1, "file")]


def test_default_sku_and_rule_enforcement(sku):
    sku.enforce_pattern = True
    sku.save()
    errors = refused(csv_bytes("serial\nAC2601000001X\nnot-a-match\n"), default_sku=sku)
    assert (3, "serial") in errors and (2, "serial") in errors
    good = sku.pattern.render(5, __import__("datetime").date(2026, 1, 1))
    assert import_file(csv_bytes(f"serial\n{good}\n"), "a.csv", default_sku=sku).created == 1


def test_global_uniqueness_setting(sku, component_skus):
    board, _chip = component_skus
    import_serial_list(["SAME1"], default_sku=sku)
    assert import_serial_list(["SAME1"], default_sku=board).created == 1
    with (
        override_settings(UNITRACE_SERIAL_GLOBAL_UNIQUE=True),
        pytest.raises(ImportRefused) as info,
    ):
        import_serial_list(["SAME1"], default_sku=board)
    assert "already registered" in info.value.result.errors[0].message


def test_pasted_list_with_ranges(sku):
    serials = expand_pasted("A0001-A0003，B7\nC-0001 ~ C-0002")
    assert serials == ["A0001", "A0002", "A0003", "B7", "C-0001", "C-0002"]
    assert import_serial_list(serials, default_sku=sku).created == 6
    with pytest.raises(ImportRefused) as info:
        import_serial_list(["A0003", "NEW1"], default_sku=sku)
    assert info.value.result.errors[0].row == 1
    assert not Unit.objects.filter(serial="NEW1").exists()
