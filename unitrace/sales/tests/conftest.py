"""Fixtures of the sales tests: units in stock, orders, scoped distributor logins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests import factories as f

T0 = timezone.now() - timedelta(days=30)


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in their English source text."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def in_stock(sku, serials: list[str], warehouse) -> list:
    """Register ``serials`` a month ago and receive them into ``warehouse`` a day later.

    Sorted by serial (the tests' serials are plain upper-case letters and digits).
    """
    units = f.units_in_stock(
        sku, serials, warehouse, registered=T0, received=T0 + timedelta(days=1)
    )
    return sorted(units, key=lambda unit: unit.serial)


@pytest.fixture
def stock(sku, warehouse):
    def make(serials: list[str], *, sku_=None, warehouse_=None) -> list:
        return in_stock(sku_ or sku, serials, warehouse_ or warehouse)

    return make


@pytest.fixture
def other_warehouse(db):
    return f.WarehouseFactory(code="RW", name="华东区域仓", level="regional")


@pytest.fixture
def other_sku(db):
    return f.SKUFactory(code="AC-200", name="空调室外机", warranty_months=24)


@pytest.fixture
def channel(db):
    return f.SalesChannelFactory()


@pytest.fixture
def order(customer, sku, channel):
    return f.SalesOrderFactory(buyer=customer, lines=[(sku, 5)], channel=channel)


@pytest.fixture
def other_distributor(db):
    return f.DistributorFactory(code="D2", name="华北经销商")


@pytest.fixture
def zhejiang(distributor):
    return f.authorize(distributor, ("浙江省",))


@pytest.fixture
def distributor_api(db):
    """``distributor_api(party, name)`` → token client of a distributor login for ``party``."""

    def make(party, username: str = "dist-user"):
        return f.token_client(f.distributor_login(party, username))

    return make
