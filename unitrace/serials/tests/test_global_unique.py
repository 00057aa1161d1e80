"""UNITRACE_SERIAL_GLOBAL_UNIQUE: one serial, one unit, whatever the SKU."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from unitrace.serials.importing import ImportRefused, import_file, register_rows
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db


def csv_bytes(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()


def test_same_serial_under_two_skus_in_one_file_is_a_duplicate(sku, component_skus) -> None:
    data = csv_bytes("sku,serial\nAC-100,G1\nPCB-1,G1\nPCB-1,G2\n")
    with override_settings(UNITRACE_SERIAL_GLOBAL_UNIQUE=True), pytest.raises(ImportRefused) as e:
        import_file(data, "u.csv")
    assert [(x.row, x.message) for x in e.value.result.errors] == [
        (
            3,
            "row 3 (SKU PCB-1) and row 2 (SKU AC-100) have the same serial; serials are "
            "unique across all SKUs",
        )
    ]
    assert not Unit.objects.exists()
    # without the setting the two rows are two units
    assert import_file(data, "u.csv").created == 3


def test_same_sku_duplicate_keeps_its_message_under_the_setting(sku) -> None:
    rows = [(1, {"serial": "G1"}), (2, {"serial": "G1"})]
    with override_settings(UNITRACE_SERIAL_GLOBAL_UNIQUE=True), pytest.raises(ImportRefused) as e:
        register_rows(rows, default_sku=sku)
    assert e.value.result.errors[0].message == "duplicate of row 1 in this file"


def test_register_units_checks_all_skus_inside_its_transaction(sku, component_skus) -> None:
    """The last line of defence when a parallel import got past the validation."""
    board, _chip = component_skus
    register_units(sku, [NewUnit("G7")])
    with override_settings(UNITRACE_SERIAL_GLOBAL_UNIQUE=True):
        with pytest.raises(IntegrityError, match="G7 is already registered \\(SKU AC-100\\)"):
            register_units(board, [NewUnit("G8"), NewUnit("G7")])
        assert not Unit.objects.filter(serial="G8").exists()
        assert register_units(board, [NewUnit("G9")]) == 1
    assert register_units(board, [NewUnit("G7")]) == 1  # setting off: per SKU


def test_lock_is_taken_only_with_the_setting_on_postgresql(sku, is_postgres) -> None:
    with CaptureQueriesContext(connection) as off:
        register_units(sku, [NewUnit("L1")])
    with (
        override_settings(UNITRACE_SERIAL_GLOBAL_UNIQUE=True),
        CaptureQueriesContext(connection) as on,
    ):
        register_units(sku, [NewUnit("L2")])
    locks = [q["sql"] for q in on.captured_queries if q["sql"].startswith("LOCK TABLE")]
    assert not any(q["sql"].startswith("LOCK TABLE") for q in off.captured_queries)
    expected = ["LOCK TABLE serials_unit IN SHARE ROW EXCLUSIVE MODE"] if is_postgres else []
    assert locks == expected
