"""Fixtures of the sales tests: units in stock, orders, scoped distributor logins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from unitrace.accounts.models import Profile
from unitrace.catalog.models import SKU
from unitrace.parties.models import AuthorizedRegion, Party
from unitrace.places.models import Warehouse
from unitrace.sales.models import SalesChannel
from unitrace.sales.orders import create_order
from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units

T0 = timezone.now() - timedelta(days=30)


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in their English source text."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def in_stock(sku: SKU, serials: list[str], warehouse: Warehouse) -> list[Unit]:
    """Register ``serials`` a month ago and receive them into ``warehouse`` a day later."""
    register_units(sku, [NewUnit(s) for s in serials], when=T0)
    units = list(Unit.objects.filter(sku=sku, serial__in=serials).order_by("serial"))
    ledger.record_many(
        [u.pk for u in units],
        ledger.EventData("received", warehouse=warehouse, when=T0 + timedelta(days=1)),
    )
    return list(Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("serial"))


@pytest.fixture
def stock(sku, warehouse):
    def make(serials: list[str], *, sku_=None, warehouse_=None) -> list[Unit]:
        return in_stock(sku_ or sku, serials, warehouse_ or warehouse)

    return make


@pytest.fixture
def other_warehouse(db) -> Warehouse:
    return Warehouse.objects.create(code="RW", name="华东区域仓", level=Warehouse.Level.REGIONAL)


@pytest.fixture
def other_sku(db) -> SKU:
    return SKU.objects.create(code="AC-200", name="空调室外机", warranty_months=24)


@pytest.fixture
def channel(db) -> SalesChannel:
    return SalesChannel.objects.create(code="JD", name="京东旗舰店", kind="ecommerce")


@pytest.fixture
def order(customer, sku, channel):
    return create_order(customer, [(sku, 5)], channel=channel)


@pytest.fixture
def other_distributor(db) -> Party:
    return Party.objects.create(kind=Party.Kind.DISTRIBUTOR, code="D2", name="华北经销商")


@pytest.fixture
def zhejiang(distributor):
    AuthorizedRegion.objects.create(party=distributor, province="浙江省")
    return distributor


@pytest.fixture
def distributor_api(make_user):
    """``distributor_api(party, name)`` → token client of a distributor login for ``party``."""

    def make(party: Party, username: str = "dist-user") -> APIClient:
        user = make_user("distributor", username)
        Profile.objects.create(user=user, party=party)
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        client.user = user
        return client

    return make


@pytest.fixture
def login(client, make_user):
    """``login(role, username=None, party=None)`` → the test client, logged in as that role.

    ``role=None`` is a user without any role; ``party`` scopes the login to a partner.
    """

    def as_role(role: str | None, username: str | None = None, party: Party | None = None):
        if role is None:
            user = get_user_model().objects.create_user(username or "nobody", password="x")
        else:
            user = make_user(role, username)
        if party is not None:
            Profile.objects.create(user=user, party=party)
        client.force_login(user)
        return client

    return as_role
