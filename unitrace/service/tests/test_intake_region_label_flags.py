"""Two intake flags that read outside the work order: where the unit was sold, and
what the label checks say (through the authenticity app's plugin hook)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from tests import factories as f
from unitrace.serials import ledger
from unitrace.service.flags import describe
from unitrace.service.workorders import Intake, open_work_order

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def repair(unit, address: str):
    return open_work_order(
        Intake(contact_name="王先生", contact_phone="13800138000", unit=unit, address=address),
        channel="agent",
        allow_duplicate=True,
    )


def codes(wo) -> set[str]:
    return set(wo.flags.values_list("code", flat=True))


@pytest.fixture
def through_zhejiang(sku, warehouse):
    """Sold by a distributor authorized for 浙江 only, then on to a customer."""
    seller = f.DistributorFactory(code="D-ZJ", name="浙江经销商", regions=[("浙江省",)])
    buyer = f.CustomerFactory(code="C-ZJ")
    return f.UnitFactory(
        serial="RG1",
        sku=sku,
        registered=NOW - timedelta(days=40),
        history=[
            f.received(warehouse, when=NOW - timedelta(days=39)),
            f.delivered(seller, when=NOW - timedelta(days=30)),
            f.sold_through(buyer, when=NOW - timedelta(days=20)),
        ],
    )


def test_a_site_outside_the_sellers_regions_is_flagged(through_zhejiang):
    far = repair(through_zhejiang, "广东省深圳市南山区科技园 8 号")
    assert "region_differs" in codes(far)
    flag = far.flags.get(code="region_differs")
    assert flag.details["seller"] == "浙江经销商"
    with override("en"):
        assert describe(flag).startswith("The site (广东省深圳市)")
    far_away = far.flags.count()
    assert far.flag_count == far_away


def test_a_site_inside_the_sellers_regions_is_not(through_zhejiang):
    near = repair(through_zhejiang, "浙江省宁波市鄞州区天童路 5 号")
    assert "region_differs" not in codes(near)


def test_without_seller_regions_the_holders_province_counts(sku, warehouse):
    customer = f.CustomerFactory(code="C-HZ")  # 浙江省杭州市西湖区
    unit = f.UnitFactory(
        serial="RG2", sku=sku, history=[f.received(warehouse), f.delivered(customer)]
    )
    assert "region_differs" not in codes(repair(unit, "浙江省杭州市西湖区文三路 1 号"))
    moved = repair(unit, "北京市海淀区中关村大街 1 号")
    flag = moved.flags.get(code="region_differs")
    assert flag.details["held"] == "浙江省"


def test_an_unresolved_site_raises_no_region_flag(through_zhejiang):
    vague = repair(through_zhejiang, "文三路 1 号")
    assert "region_differs" not in codes(vague)


def test_a_label_checked_like_a_copy_is_flagged(sku, warehouse, customer):
    unit = f.UnitFactory(
        serial="CL1", sku=sku, history=[f.received(warehouse), f.delivered(customer)]
    )
    assert "label_cloned" not in codes(repair(unit, "浙江省杭州市西湖区文三路 1 号"))
    ledger.scrap(unit)  # a scrapped unit's label turning up again is a copy
    copied = repair(unit, "浙江省杭州市西湖区文三路 1 号")
    flag = copied.flags.get(code="label_cloned")
    assert flag.details == {"reasons": ["scrapped"]}
    with override("en"):
        assert describe(flag) == "The label of CL1 is checked like a copied one (scrapped)."
