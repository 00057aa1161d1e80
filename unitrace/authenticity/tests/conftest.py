"""Units at the points of their life the public pages care about."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from unitrace.parties.models import AuthorizedRegion, Party
from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units


@pytest.fixture(autouse=True)
def english_and_fresh_budget(settings):
    """English messages to assert on; an empty rate-limit budget for every test."""
    settings.LANGUAGE_CODE = "en"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def zhejiang_distributor(db) -> Party:
    """A distributor allowed to sell in all of 浙江 and in 上海's 浦东 only."""
    party = Party.objects.create(kind=Party.Kind.DISTRIBUTOR, code="D-ZJ", name="浙江经销商")
    AuthorizedRegion.objects.create(party=party, province="浙江省")
    AuthorizedRegion.objects.create(party=party, province="上海市", city="浦东新区")
    return party


@pytest.fixture
def make_unit(sku, batch, warehouse):
    """``make_unit("S1", to=party)``: registered 60 days ago, received, delivered to ``to``
    (or only received when ``to`` is None)."""

    def make(serial: str, *, to: Party | None = None, ref: str = "DN-1", sku_=None) -> Unit:
        start = timezone.now() - timedelta(days=60)
        register_units(
            sku_ or sku, [NewUnit(serial, "", batch.pk, batch.production_date)], when=start
        )
        unit = Unit.objects.get(sku=sku_ or sku, serial=serial)
        ledger.receive(
            unit, warehouse, when=start + timedelta(days=1), ref_type="GRN", ref_id="G-1"
        )
        if to is not None:
            ledger.deliver(unit, to, when=start + timedelta(days=2), ref_type="DN", ref_id=ref)
        return Unit.objects.select_related("sku").get(pk=unit.pk)

    return make


@pytest.fixture
def distributor_unit(make_unit, zhejiang_distributor) -> Unit:
    return make_unit("AC2601000017", to=zhejiang_distributor, ref="DN-ZJ-7")


@pytest.fixture
def customer_unit(make_unit, customer) -> Unit:
    return make_unit("AC2601000025", to=customer)


@pytest.fixture
def stock_unit(make_unit) -> Unit:
    return make_unit("AC2601000033")
