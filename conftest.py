"""Fixtures shared by every app's tests: master data, users by role, API clients."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from unitrace.accounts.services import create_user
from unitrace.catalog.models import SKU, Batch, ComponentSpec
from unitrace.parties.models import Party
from unitrace.places.models import Warehouse


def pytest_collection_modifyitems(config, items):
    """Row-lock tests mean nothing on SQLite; the PostgreSQL pass of `make test` runs them."""
    on_postgres = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")
    for item in items:
        if "postgres_only" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL pass only (make test)"))


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def supplier(db) -> Party:
    return Party.objects.create(kind=Party.Kind.SUPPLIER, code="SUP1", name="华东电子")


@pytest.fixture
def customer(db) -> Party:
    return Party.objects.create(
        kind=Party.Kind.CUSTOMER,
        code="C1",
        name="张三",
        is_company=False,
        phone="13812341234",
        province="浙江省",
        city="杭州市",
        district="西湖区",
        address="文三路 100 号",
    )


@pytest.fixture
def distributor(db) -> Party:
    return Party.objects.create(kind=Party.Kind.DISTRIBUTOR, code="D1", name="华南经销商")


@pytest.fixture
def warehouse(db) -> Warehouse:
    return Warehouse.objects.create(code="HQ", name="总仓", level=Warehouse.Level.HQ)


@pytest.fixture
def sku(db) -> SKU:
    item = SKU(
        code="AC-100",
        name="空调室内机",
        gtin="06901234567892",
        serial_pattern="AC{YY}{MM}{SEQ:6}{CHECK}",
        warranty_months=12,
        warranty_start="sale",
    )
    item.full_clean()
    item.save()
    return item


@pytest.fixture
def component_skus(db, sku) -> tuple[SKU, SKU]:
    board = SKU.objects.create(code="PCB-1", name="主板", serial_pattern="PB{SEQ:8}")
    chip = SKU.objects.create(code="CHIP-1", name="芯片", serial_pattern="CP{SEQ:8}")
    ComponentSpec.objects.create(parent=sku, component=board, quantity=1, position="main")
    ComponentSpec.objects.create(parent=board, component=chip, quantity=2)
    return board, chip


@pytest.fixture
def batch(db, sku, supplier) -> Batch:
    return Batch.objects.create(
        sku=sku,
        code="B2601",
        production_date="2026-01-15",
        factory="宁波工厂",
        line="L2",
        supplier=supplier,
        quantity=1000,
    )


@pytest.fixture
def make_user(db):
    def make(role: str, username: str | None = None):
        return create_user(username or f"{role}-user", "pw-123456-x", role)

    return make


@pytest.fixture
def api(make_user):
    """``api("warehouse")`` → an APIClient authenticated by token as that role."""

    def client_for(role: str | None, username: str | None = None) -> APIClient:
        client = APIClient()
        if role is not None:
            user = make_user(role, username)
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            client.user = user
        return client

    return client_for


@pytest.fixture
def admin_user(make_user):
    """An administrator login (overrides pytest-django's superuser: roles are groups here)."""
    return make_user("admin", "root")


@pytest.fixture
def admin_browser(admin_user):
    """A test client logged in as ``admin_user``, with a user agent the change log records."""
    from django.test import Client

    client = Client(HTTP_USER_AGENT="pytest-admin")
    client.force_login(admin_user)
    return client
