"""Serials that claim to be ours are checked even when the SKU does not enforce its rule."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories as f
from unitrace.catalog.models import SKU
from unitrace.codes.check_chars import check_char
from unitrace.codes.patterns import SerialPattern
from unitrace.serials.importing import ImportRefused, import_file, import_serial_list
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db


def refusal(serials: list[str], sku: SKU) -> dict[int, str]:
    with pytest.raises(ImportRefused) as info:
        import_serial_list(serials, default_sku=sku)
    return {e.row: e.message for e in info.value.result.errors}


def wrong_check(serial: str) -> str:
    return serial[:-1] + ("1" if serial[-1] != "1" else "2")


@pytest.fixture
def demo_skus(db) -> tuple[SKU, SKU]:
    """The demo's SSD (a part: rule not enforced) and infusion pump."""
    ssd = f.SKUFactory(code="SSD-512G", name="ssd", serial_pattern="SSD{BATCH}{SEQ:5}{CHECK}")
    pump = f.SKUFactory(
        code="IP-600", name="pump", serial_pattern="IP{YY}{SEQ:6}{CHECK}", enforce_pattern=True
    )
    return ssd, pump


def test_own_form_with_wrong_check_character_is_refused(sku) -> None:
    assert not sku.enforce_pattern
    good = sku.pattern.render(5, date(2026, 1, 1))
    bad = wrong_check(good)
    errors = refusal([good, bad], sku)
    assert errors == {
        2: f"'{bad}' has the form of serial rule AC{{YY}}{{MM}}{{SEQ:6}}{{CHECK}}, but its check "
        f"character should be '{good[-1]}', found '{bad[-1]}' (probably a typing error)."
    }
    assert not Unit.objects.exists()


def test_other_forms_still_pass_without_enforcement(sku) -> None:
    good = sku.pattern.render(6, date(2026, 1, 1))
    # a supplier's serial, one too short for the rule, one with a lowercase letter
    other = sku.pattern.render(7, date(2026, 1, 1))
    serials = [good, "WD-9988776", good[:-1], other[:-1] + other[-1].lower()]
    if serials[-1] == other:
        serials.pop()
    assert import_serial_list(serials, default_sku=sku).created == len(serials)


def test_csv_import_checks_claimed_serials_too(sku) -> None:
    bad = wrong_check(sku.pattern.render(7, date(2026, 2, 1)))
    with pytest.raises(ImportRefused) as info:
        import_file(f"serial\r\n{bad}\r\n".encode(), "u.csv", default_sku=sku)
    assert "check character should be" in info.value.result.errors[0].message


def test_claimed_serial_with_an_impossible_date_is_refused(db) -> None:
    cell = f.SKUFactory(code="BAT", name="bat", serial_pattern="{YY}{MM}{DD}{SEQ:6}{CHECK}")
    body = "260230000001"  # 30 February
    errors = refusal([body + check_char("damm", body)], cell)
    assert "contains a date that does not exist" in errors[1]


def test_serial_of_another_skus_rule_is_refused(demo_skus) -> None:
    """The audit's case: a valid IP-600 serial registered under SSD-512G."""
    ssd, _pump = demo_skus
    assert check_char("mod37_36", "IP24000001") == "C"
    errors = refusal(["IP24000001C"], ssd)
    assert errors[1] == (
        "'IP24000001C' is a serial of SKU IP-600 (it fits rule IP{YY}{SEQ:6}{CHECK}, check "
        "character included), not of SSD-512G: register it under the right SKU"
    )
    bad_ssd = wrong_check(SerialPattern.parse(ssd.serial_pattern).render(1, date.today(), "B1"))
    assert "has the form of serial rule SSD{BATCH}" in refusal([bad_ssd], ssd)[1]
    # a supplier's serial, even of the pump's form, passes when its check character is wrong
    assert import_serial_list(["IP24000001D", "SN-77"], default_sku=ssd).created == 2


def test_rules_without_literal_text_claim_nothing_elsewhere(db) -> None:
    f.SKUFactory(code="BAT", name="bat", serial_pattern="{YY}{MM}{DD}{SEQ:6}{CHECK}")
    other = f.SKUFactory(code="FAN", name="fan")
    body = "260115000001"
    assert import_serial_list([body + check_char("damm", body)], default_sku=other).created == 1


def test_enforced_rule_still_needs_a_full_match(demo_skus) -> None:
    _ssd, pump = demo_skus
    errors = refusal(["SN-77"], pump)
    assert "rule IP{YY}{SEQ:6}{CHECK} gives 11 characters" in errors[1]
