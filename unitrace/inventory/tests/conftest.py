"""Fixtures for the inventory tests: warehouses with bins, units placed by the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def regional(db, warehouse):
    return f.WarehouseFactory(
        code="R-SH",
        name="上海区域仓",
        level="regional",
        parent=warehouse,
        province="上海市",
        city="上海市",
    )


@pytest.fixture
def van(db, regional):
    return f.WarehouseFactory(code="VAN-7", name="工程师车辆 7", level="van", parent=regional)


@pytest.fixture
def bins(db, warehouse) -> dict:
    return {code: f.BinFactory(warehouse=warehouse, code=code) for code in ("A1", "A2")}


@pytest.fixture
def make_units(sku):
    """``make_units(["S1", "S2"], warehouse, bin=None)`` → units received there (or registered)."""

    def make(serials, warehouse=None, *, bin=None, sku_=None, received=True) -> list:
        registered = timezone.now() - timedelta(days=2)
        if warehouse is None or not received:
            return f.registered_units(sku_ or sku, serials, when=registered)
        return f.units_in_stock(
            sku_ or sku,
            serials,
            warehouse,
            bin=bin,
            registered=registered,
            received=timezone.now() - timedelta(days=1),
        )

    return make


@pytest.fixture
def part(db):
    return f.SKUFactory(code="SEAL-9", name="密封圈", serialized=False)
