"""Scanning a plain serial ignores letter case when nothing matches exactly."""

from __future__ import annotations

import pytest

from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.scan import MAX_CASE_LETTERS, case_variants, resolve_scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(make_user):
    return make_user("warehouse")


def test_lowercase_scan_finds_the_unit(sku, user) -> None:
    register_units(sku, [NewUnit("IP24000001C")])
    match = resolve_scan("ip24000001c", user)
    assert match.outcome == "found" and match.unit.serial == "IP24000001C"
    assert match.message == "ip24000001c matched IP24000001C, ignoring letter case"


def test_several_case_matches_are_candidates_not_a_guess(sku, component_skus, user) -> None:
    # one SKU cannot hold two of them (unique in any case), three SKUs can
    register_units(sku, [NewUnit("Ab1")])
    register_units(component_skus[0], [NewUnit("aB1")])
    register_units(component_skus[1], [NewUnit("AB1")])
    match = resolve_scan("ab1", user)
    assert match.outcome == "ambiguous" and match.unit is None
    assert sorted(u.serial for u in match.units) == ["AB1", "Ab1", "aB1"]
    assert match.message == "3 units match ab1 when letter case is ignored: choose one"
    exact = resolve_scan("AB1", user)  # an exact match wins over case variants
    assert exact.outcome == "found" and exact.unit.serial == "AB1"


def test_supplier_serial_and_long_serials(sku, user) -> None:
    register_units(sku, [NewUnit("X1", "sup-9x"), NewUnit("ABCDEFGHJKLMN2")])
    assert resolve_scan("SUP-9X", user).unit.supplier_serial == "sup-9x"
    assert resolve_scan("abcdefghjklmn2", user).unit.serial == "ABCDEFGHJKLMN2"


def test_not_found_stays_not_found(sku, user) -> None:
    register_units(sku, [NewUnit("IP24000001C")])
    match = resolve_scan("ip24000001d", user)
    assert match.outcome == "not_found" and match.message == "no unit with serial ip24000001d"


def test_scan_endpoint_ignores_case(sku, api) -> None:
    register_units(sku, [NewUnit("IP24000001C")])
    found = api("agent").get("/api/v1/scan/", {"code": "ip24000001c"}).json()
    assert found["outcome"] == "found" and found["units"][0]["serial"] == "IP24000001C"


def test_case_variants() -> None:
    assert case_variants("a1b") == ["A1B", "A1b", "a1B"]
    assert case_variants("2024-07") == []
    long = "A" * (MAX_CASE_LETTERS + 1) + "b"
    assert case_variants(long) == [long.upper(), long.lower()]
    assert len(case_variants("abcdefgh")) == 2**MAX_CASE_LETTERS - 1
