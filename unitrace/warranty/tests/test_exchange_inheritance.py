"""A replacement unit's warranty, read from the ledger's ``replaces`` reference.

These tests write the ledger directly (as an exchange does: the replacement is delivered
naming the unit it replaces), so they show the warranty needs nothing but the ledger
and its own exchange rule.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units
from unitrace.warranty.models import ExchangeWarrantyRule
from unitrace.warranty.services import carries_over, effective_start, warranty_for

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def units(sku, warehouse):
    register_units(sku, [NewUnit(s) for s in ("OLD", "NEW", "NEWER")], when=_at(2025, 1, 1))
    for serial in ("OLD", "NEW", "NEWER"):
        ledger.receive(_get(serial), warehouse, when=_at(2025, 1, 2))
    return sku


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 10, tzinfo=SH)


def _get(serial: str) -> Unit:
    return Unit.objects.select_related("sku").get(serial=serial)


def _exchange(old: str, new: str, customer, when: datetime) -> None:
    """What an exchange writes to the ledger: old back, new delivered naming the old."""
    ledger.return_unit(_get(old), _get(old).warehouse or _get(new).warehouse, when=when)
    ledger.deliver(
        _get(new), customer, when=when, details={"exchange_for": old}, replaces=_get(old)
    )


def test_without_a_rule_the_replacement_keeps_the_old_start(units, customer):
    ledger.deliver(_get("OLD"), customer, when=_at(2025, 2, 1))
    _exchange("OLD", "NEW", customer, _at(2025, 6, 1))
    assert carries_over(units) is True
    assert effective_start(_get("NEW")) == _get("OLD").shipped_at
    inherited = warranty_for(_get("NEW"), today=date(2026, 1, 31))
    assert (inherited.state, inherited.start, inherited.end) == (
        "in_warranty",
        date(2025, 2, 1),
        date(2026, 1, 31),
    )
    assert warranty_for(_get("NEW"), today=date(2026, 2, 1)).state == "expired"
    # a caller that knows the unit was never a replacement skips the lookup
    own = warranty_for(_get("NEW"), today=date(2026, 2, 1), exchanged=False)
    assert own.start == date(2025, 6, 1) and own.state == "in_warranty"


def test_a_restart_rule_gives_the_replacement_its_own_start(units, customer):
    ExchangeWarrantyRule.objects.create(sku=units, mode=ExchangeWarrantyRule.Mode.RESTART)
    ledger.deliver(_get("OLD"), customer, when=_at(2025, 2, 1))
    _exchange("OLD", "NEW", customer, _at(2025, 6, 1))
    assert carries_over(units) is False
    assert effective_start(_get("NEW")) is None
    assert warranty_for(_get("NEW"), today=date(2026, 2, 1)).start == date(2025, 6, 1)


def test_the_start_carries_through_a_chain_of_replacements(units, customer):
    ledger.deliver(_get("OLD"), customer, when=_at(2025, 2, 1))
    _exchange("OLD", "NEW", customer, _at(2025, 6, 1))
    _exchange("NEW", "NEWER", customer, _at(2025, 9, 1))
    assert effective_start(_get("NEWER")) == _get("OLD").shipped_at
    assert warranty_for(_get("NEWER"), today=date(2026, 1, 1)).start == date(2025, 2, 1)
    assert effective_start(_get("OLD")) is None


def test_the_serial_in_the_details_alone_inherits_nothing(units, customer):
    """The reference is the id: an event that only mentions a serial is not a replacement."""
    ledger.deliver(_get("OLD"), customer, when=_at(2025, 2, 1))
    ledger.return_unit(_get("OLD"), _get("NEW").warehouse, when=_at(2025, 6, 1))
    ledger.deliver(_get("NEW"), customer, when=_at(2025, 6, 1), details={"exchange_for": "OLD"})
    assert effective_start(_get("NEW")) is None
