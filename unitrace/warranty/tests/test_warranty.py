"""Warranty by the SKU's rule: not started, in warranty until, expired since."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.serials import ledger
from unitrace.warranty.services import warranty_for

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def sold_unit(sku, warehouse, customer):
    return f.UnitFactory(
        sku=sku,
        serial="W1",
        registered=datetime(2025, 1, 1, 8, tzinfo=SH),
        history=[
            f.received(warehouse, when=datetime(2025, 1, 2, 8, tzinfo=SH)),
            # 23:30 in Shanghai is still 31 January locally (15:30 UTC)
            f.delivered(customer, when=datetime(2025, 1, 31, 23, 30, tzinfo=SH)),
        ],
    )


def test_not_started_until_the_basis_event(sku, db):
    result = warranty_for(f.UnitFactory(sku=sku, serial="W0"))
    assert result.state == "not_started"
    assert "12 months from sale" in result.message


def test_in_warranty_and_expired_by_local_dates(sold_unit):
    inside = warranty_for(sold_unit, today=date(2026, 1, 30))
    assert (inside.state, inside.start, inside.end) == (
        "in_warranty",
        date(2025, 1, 31),
        date(2026, 1, 30),
    )
    assert inside.message.startswith("In warranty until 01/30/2026")
    after = warranty_for(sold_unit, today=date(2026, 1, 31))
    assert after.state == "expired"
    assert after.message.startswith("Expired since 01/31/2026")


def test_rule_basis_follows_sku(sold_unit):
    sold_unit.sku.warranty_start = "shipment"
    sold_unit.sku.warranty_months = 6
    result = warranty_for(sold_unit, today=date(2025, 3, 1))
    assert (result.basis, result.start, result.end) == (
        "shipment",
        date(2025, 1, 31),
        date(2025, 7, 30),
    )
    sold_unit.sku.warranty_start = "activation"
    assert warranty_for(sold_unit).state == "not_started"
    ledger.activate(sold_unit, when=timezone.now() - timedelta(days=1))
    assert warranty_for(sold_unit).state == "in_warranty"
