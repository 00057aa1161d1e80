"""Who the activating customer is, and where the activation's sale happened.

A phone number alone must not merge the activating person with a customer a
distributor recorded by name, and the sell-through an activation records is checked in
the region given with the activation, not the customer record's old region.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from unitrace.authenticity.activation import activate_unit
from unitrace.parties.models import Party
from unitrace.sales.models import SellThrough
from unitrace.serials.models import Unit
from unitrace.serials.statuses import EventType

pytestmark = pytest.mark.django_db

GUANGDONG = {"province": "广东省", "city": "深圳市", "district": "南山区"}
ZHEJIANG = {"province": "浙江省", "city": "杭州市", "district": "西湖区"}


def activate(unit, phone, region):
    return activate_unit(unit, phone=phone, **region)


def test_second_activation_sells_through_in_the_region_given_now(make_unit, zhejiang_distributor):
    first = activate(make_unit("S-1", to=zhejiang_distributor), "13900001111", ZHEJIANG)
    second = activate(make_unit("S-2", to=zhejiang_distributor), "13900001111", GUANGDONG)
    assert second.customer.pk == first.customer.pk  # the same number, the same person
    sale = SellThrough.objects.get(unit__serial="S-2")
    assert (sale.region, sale.in_region) == ("广东省深圳市南山区", False)
    event = Unit.objects.get(serial="S-2").events.get(type=EventType.SOLD_THROUGH)
    assert event.region == "广东省深圳市南山区" and event.details["in_region"] is False
    assert second.alert is not None and second.alert.region == "广东省深圳市南山区"
    customer = Party.objects.get(pk=first.customer.pk)
    assert customer.province == "浙江省"  # an unauthenticated form does not rewrite it


def test_a_phone_does_not_merge_with_a_customer_recorded_by_name(
    make_unit, zhejiang_distributor, customer
):
    result = activate(make_unit("S-1", to=zhejiang_distributor), "13812341234", GUANGDONG)
    assert result.customer.pk != customer.pk
    assert "张三" not in result.customer.name and "138****1234" in result.customer.name
    assert Unit.objects.get(serial="S-1").holder_id == result.customer.pk
    sale = SellThrough.objects.get()
    assert sale.customer_id == result.customer.pk and sale.in_region is False
    customer.refresh_from_db()
    assert (customer.name, customer.province) == ("张三", "浙江省")


def test_the_units_own_customer_with_that_number_is_the_activator(customer_unit, customer):
    result = activate(customer_unit, "+86 138 1234 1234", GUANGDONG)
    assert result.customer.pk == customer.pk
    assert result.event.party_id == customer.pk and result.event.region == "广东省深圳市南山区"


def test_the_placeholder_customer_does_not_depend_on_the_browser_language(
    settings, make_unit, zhejiang_distributor
):
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("en"):
        first = activate(make_unit("S-1", to=zhejiang_distributor), "13900001111", ZHEJIANG)
    with translation.override("zh-hans"):
        second = activate(make_unit("S-2", to=zhejiang_distributor), "13900001111", ZHEJIANG)
    assert first.customer.pk == second.customer.pk
    assert first.customer.name == "终端客户 139****1111"
