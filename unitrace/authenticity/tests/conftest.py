"""Units at the points of their life the public pages care about."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests import factories as f


@pytest.fixture(autouse=True)
def english_and_fresh_budget(settings):
    """English messages to assert on; an empty rate-limit budget for every test, in a
    window long enough that no boundary falls inside a test on a slow machine (a new
    window resets the budget, and a test counting to the limit would see no 429)."""
    settings.LANGUAGE_CODE = "en"
    settings.AUTHENTICITY_RATE_WINDOW = 3600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def zhejiang_distributor(db):
    """A distributor allowed to sell in all of 浙江 and in 上海's 浦东 only."""
    return f.DistributorFactory(
        code="D-ZJ", name="浙江经销商", regions=[("浙江省",), ("上海市", "浦东新区")]
    )


@pytest.fixture
def make_unit(sku, batch, warehouse):
    """``make_unit("S1", to=party)``: registered 60 days ago, received, delivered to ``to``
    (or only received when ``to`` is None)."""

    def make(serial: str, *, to=None, ref: str = "DN-1", sku_=None):
        start = timezone.now() - timedelta(days=60)
        history = [
            f.received(warehouse, when=start + timedelta(days=1), ref_type="GRN", ref_id="G-1")
        ]
        if to is not None:
            history.append(
                f.delivered(to, when=start + timedelta(days=2), ref_type="DN", ref_id=ref)
            )
        return f.UnitFactory(
            sku=sku_ or sku,
            serial=serial,
            batch=batch,
            production_date=batch.production_date,
            registered=start,
            history=history,
        )

    return make


@pytest.fixture
def distributor_unit(make_unit, zhejiang_distributor):
    return make_unit("AC2601000017", to=zhejiang_distributor, ref="DN-ZJ-7")


@pytest.fixture
def customer_unit(make_unit, customer):
    return make_unit("AC2601000025", to=customer)


@pytest.fixture
def stock_unit(make_unit):
    return make_unit("AC2601000033")
