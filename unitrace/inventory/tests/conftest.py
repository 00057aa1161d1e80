"""Fixtures for the inventory tests: warehouses with bins, units placed by the ledger."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from unitrace.catalog.models import SKU
from unitrace.places.models import Bin, Warehouse
from unitrace.serials import ledger
from unitrace.serials.ledger import EventData
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.statuses import EventType

PASSWORD = "pw-123456-x"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def regional(db, warehouse) -> Warehouse:
    return Warehouse.objects.create(
        code="R-SH",
        name="上海区域仓",
        level=Warehouse.Level.REGIONAL,
        parent=warehouse,
        province="上海市",
        city="上海市",
    )


@pytest.fixture
def van(db, regional) -> Warehouse:
    return Warehouse.objects.create(
        code="VAN-7", name="工程师车辆 7", level=Warehouse.Level.VAN, parent=regional
    )


@pytest.fixture
def bins(db, warehouse) -> dict[str, Bin]:
    return {code: Bin.objects.create(warehouse=warehouse, code=code) for code in ("A1", "A2")}


@pytest.fixture
def make_units(sku):
    """``make_units(["S1", "S2"], warehouse, bin=None)`` → units received there (or registered)."""

    def make(serials, warehouse=None, *, bin=None, sku_=None, received=True) -> list[Unit]:
        item = sku_ or sku
        register_units(item, [NewUnit(s) for s in serials], when=timezone.now() - timedelta(days=2))
        units = Unit.objects.filter(sku=item, serial__in=serials)
        if warehouse is not None and received:
            ledger.record_many(
                list(units.values_list("pk", flat=True)),
                EventData(
                    EventType.RECEIVED,
                    warehouse=warehouse,
                    bin=bin,
                    when=timezone.now() - timedelta(days=1),
                ),
            )
        by_serial = {u.serial: u for u in units.select_related("warehouse", "bin", "sku")}
        return [by_serial[s] for s in serials]

    return make


@pytest.fixture
def part(db) -> SKU:
    return SKU.objects.create(code="SEAL-9", name="密封圈", serialized=False)


@pytest.fixture
def login(client, make_user):
    """``login(role)`` → the test client logged in as a user of that role (None: no role)."""

    def as_role(role: str | None, username: str | None = None):
        if role is None:
            user = get_user_model().objects.create_user(username or "nobody", password=PASSWORD)
        else:
            user = make_user(role, username)
        client.force_login(user)
        client.user = user
        return client

    return as_role
