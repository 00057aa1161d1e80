"""The one code → unit resolver: every form of code, scope and constraints, and why not."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from unitrace.catalog.models import SKU
from unitrace.codes.gs1 import GS
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.resolver import (
    LABEL_PATH,
    Reason,
    label_token,
    plain_serial,
    read_code,
    resolve,
    resolve_many,
    units_by_serial,
)

GTIN = "06901234567892"


@pytest.fixture
def units(sku):
    return register_units(sku, [NewUnit("AC0001", "sup-01"), NewUnit("AC0002")])


def _unit(serial: str) -> Unit:
    return Unit.objects.get(serial=serial)


@pytest.mark.parametrize(
    "raw",
    [
        "AC0001",
        f"(01){GTIN}(21)AC0001",
        f"]C101{GTIN}21AC0001",
        f"01{GTIN}21AC0001{GS}10L1",
        f"01{GTIN}21AC0001<GS>10L1",
        f"https://id.example.com/01/{GTIN}/21/AC0001",
    ],
)
def test_every_form_of_a_code_finds_the_unit(units, raw) -> None:
    result = resolve(raw)
    assert result.reason == Reason.FOUND and result.found
    assert result.unit == _unit("AC0001")
    assert result.code.serial == "AC0001"


def test_parsed_parts(db) -> None:
    code = read_code(f"(01){GTIN}(10)L7(21)AC0001")
    assert (code.gtin, code.serial, code.lot, code.problem) == (GTIN, "AC0001", "L7", None)
    assert code.kind == "gs1"
    assert read_code(" AC0001 ").serial == "AC0001"


def test_label_url_resolves_by_token(units) -> None:
    unit = _unit("AC0002")
    result = resolve(f"https://trace.example.com/u/{unit.public_token}/")
    assert result.unit == unit and result.matched_on == "public_token"
    assert label_token(f"http://x/u/{unit.public_token}") == unit.public_token
    assert LABEL_PATH.search(f"/u/{unit.public_token}")


def test_why_not_found(units) -> None:
    assert resolve("https://example.com/about").reason == Reason.NOT_A_LABEL
    assert resolve("https://example.com/u/abcdefghij").reason == Reason.NOT_FOUND
    no_serial = resolve(f"(01){GTIN}")
    assert no_serial.reason == Reason.NO_SERIAL and no_serial.code.gtin == GTIN
    unreadable = resolve(f"(01){GTIN[:-1]}3(21)AC0001")
    assert unreadable.reason == Reason.UNREADABLE and unreadable.code.message
    assert resolve("(01)00012345600012(21)AC0001").reason == Reason.UNKNOWN_GTIN
    assert resolve("ZZ404").reason == Reason.NOT_FOUND
    assert resolve("ZZ404").unit is None


def test_a_serial_under_two_skus_is_ambiguous(units, component_skus) -> None:
    register_units(component_skus[0], [NewUnit("AC0001")])
    result = resolve("AC0001")
    assert result.reason == Reason.AMBIGUOUS and result.unit is None
    assert [u.sku.code for u in result.units] == ["AC-100", "PCB-1"]
    assert resolve("AC0001", sku="PCB-1").unit.sku == component_skus[0]
    assert resolve(f"(01){GTIN}(21)AC0001").unit.sku.code == "AC-100"
    assert len(resolve("AC0001", limit=1).units) == 1


def test_supplier_serial_and_letter_case_only_when_asked(units) -> None:
    assert resolve("sup-01").reason == Reason.NOT_FOUND
    by_supplier = resolve("sup-01", supplier_serial=True)
    assert by_supplier.unit == _unit("AC0001") and by_supplier.matched_on == "supplier_serial"
    assert resolve("ac0001").reason == Reason.NOT_FOUND
    folded = resolve("ac0001", ignore_case=True)
    assert folded.unit == _unit("AC0001") and folded.ignoring_case


def test_scope_by_queryset_or_user(units) -> None:
    assert resolve("AC0001", Unit.objects.filter(serial="AC0002")).reason == Reason.NOT_FOUND
    assert resolve("AC0001", user=AnonymousUser()).reason == Reason.NOT_FOUND


def test_plain_serial_is_not_parsed(units) -> None:
    code = plain_serial("AC0001", GTIN)
    assert resolve(code).unit == _unit("AC0001")
    assert read_code("(21)AC0001").serial == "AC0001"
    assert plain_serial("(21)AC0001").serial == "(21)AC0001"


def test_many_codes_give_the_same_answers_in_order(units, component_skus) -> None:
    register_units(component_skus[0], [NewUnit("AC0001")])
    token = _unit("AC0002").public_token
    codes = [
        "AC0002",
        f"(01){GTIN}(21)AC0001",
        "AC0001",
        f"https://t.example.com/u/{token}",
        "(01)00012345600012(21)AC0001",
        f"(01){GTIN}",
        "ZZ404",
    ]
    many = resolve_many(codes)
    assert [r.reason for r in many] == [resolve(c).reason for c in codes]
    assert [r.reason for r in many] == [
        Reason.FOUND,
        Reason.FOUND,
        Reason.AMBIGUOUS,
        Reason.FOUND,
        Reason.UNKNOWN_GTIN,
        Reason.NO_SERIAL,
        Reason.NOT_FOUND,
    ]
    assert many[3].unit == _unit("AC0002")


def test_units_by_serial(units) -> None:
    found = units_by_serial(["AC0001", "AC0001", "NOPE"], Unit.objects.all())
    assert list(found) == ["AC0001"] and found["AC0001"][0].serial == "AC0001"
    assert SKU.objects.count() == 1
