"""Fixtures shared by every app's tests: master data, users by role, logins, API clients.

Each is built on the factories in ``tests/factories``; an app's conftest adds only what
is particular to that app.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests import factories as f


def pytest_collection_modifyitems(config, items):
    """Row-lock tests mean nothing on SQLite; the PostgreSQL pass of `make test` runs them."""
    on_postgres = os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")
    for item in items:
        if "postgres_only" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL pass only (make test)"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: the database rolls back after a test, a
    cached row (the company's brand, a rate-limit counter) would otherwise outlive it."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def supplier(db):
    return f.SupplierFactory()


@pytest.fixture
def customer(db):
    return f.CustomerFactory()


@pytest.fixture
def distributor(db):
    return f.DistributorFactory()


@pytest.fixture
def warehouse(db):
    return f.WarehouseFactory()


@pytest.fixture
def sku(db):
    return f.SKUFactory(aircon=True)


@pytest.fixture
def component_skus(db, sku):
    return f.board_and_chip(sku)


@pytest.fixture
def batch(db, sku, supplier):
    return f.BatchFactory(ningbo=True, sku=sku, supplier=supplier)


@pytest.fixture
def make_user(db):
    def make(role: str, username: str | None = None):
        return f.UserFactory(role=role, username=username or f"{role}-user")

    return make


@pytest.fixture
def api(make_user):
    """``api("warehouse")`` → an APIClient authenticated by token as that role."""

    def client_for(role: str | None, username: str | None = None) -> APIClient:
        if role is None:
            return APIClient()
        return f.token_client(make_user(role, username))

    return client_for


@pytest.fixture
def no_role_api(db) -> APIClient:
    """A token client of a login without any role (authenticated, permitted nothing)."""
    return f.token_client(f.UserFactory(username="norole"))


@pytest.fixture
def login(client, db):
    """``login(role, username=None, party=None)`` → the test client, logged in as that role.

    ``role=None`` is a user without any role; ``party`` scopes the login to a partner.
    """

    def as_role(role: str | None, username: str | None = None, party=None):
        name = username or (f"{role}-user" if role else "nobody")
        return f.logged_in(client, f.UserFactory(role=role, username=name, party=party))

    return as_role


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
