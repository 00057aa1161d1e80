"""Activation by the end customer: warranty starts, channel data right, refusals clear."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from unitrace.authenticity.activation import ActivationRefused, activate_unit
from unitrace.authenticity.models import DiversionAlert
from unitrace.core.display import shown_date
from unitrace.core.models import ChangeLog
from unitrace.parties.models import Party
from unitrace.sales.models import SellThrough
from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.statuses import EventType, Status

pytestmark = pytest.mark.django_db


def activate(unit, phone="13900001111", province="浙江省", city="杭州市", district="西湖区"):
    return activate_unit(unit, phone=phone, province=province, city=city, district=district)


def test_activation_of_a_distributor_unit_sells_through_and_starts_the_warranty(
    distributor_unit, zhejiang_distributor
):
    result = activate(distributor_unit, phone="+86 139-0000-1111")

    unit = Unit.objects.get(pk=distributor_unit.pk)
    assert unit.status == Status.ACTIVATED
    assert unit.holder_id == result.customer.pk
    assert unit.distributor_id == zhejiang_distributor.pk  # channel data kept
    types = list(unit.events.values_list("type", flat=True))
    assert types[-2:] == [EventType.SOLD_THROUGH, EventType.ACTIVATED]
    activation = unit.events.get(type=EventType.ACTIVATED)
    assert activation.region == "浙江省杭州市西湖区"
    assert activation.party_id == result.customer.pk
    # the SKU's warranty runs 12 months from the sale: the end customer's sale, today
    today = timezone.localdate()
    assert result.warranty.state == "in_warranty"
    assert result.warranty.start == today
    assert result.warranty.end == today + relativedelta(months=12) - timedelta(days=1)
    assert result.alert is None  # 浙江 is the distributor's region


def test_customer_is_created_once_per_phone_and_change_logged(make_unit, zhejiang_distributor):
    first = activate(make_unit("S-1", to=zhejiang_distributor), phone="13900001111")
    second = activate(make_unit("S-2", to=zhejiang_distributor), phone="139 0000 1111")
    assert first.customer.pk == second.customer.pk
    customer = first.customer
    assert (customer.kind, customer.phone, customer.is_company) == (
        "customer",
        "13900001111",
        False,
    )
    assert "13900001111" not in customer.name and "139****1111" in customer.name
    assert "13900001111" not in customer.code
    assert (customer.province, customer.city) == ("浙江省", "杭州市")
    assert (
        ChangeLog.objects.filter(object_type="parties.party", object_id=str(customer.pk)).count()
        == 1
    )


def test_unit_held_by_a_customer_keeps_its_holder(customer_unit, customer):
    result = activate(customer_unit, phone="13700002222")
    unit = Unit.objects.get(pk=customer_unit.pk)
    assert unit.holder_id == customer.pk
    assert unit.status == Status.ACTIVATED
    assert unit.events.get(type=EventType.ACTIVATED).party_id == result.customer.pk
    assert not unit.events.filter(type=EventType.SOLD_THROUGH).exists()


def test_shipped_unit_without_buyer_is_delivered_by_the_activation(make_unit):
    unit = make_unit("S-SHIP")
    ledger.ship(unit)
    result = activate(unit)
    unit.refresh_from_db()
    assert unit.holder_id == result.customer.pk
    assert [e.type for e in unit.events.order_by("id")][-2:] == [
        EventType.DELIVERED,
        EventType.ACTIVATED,
    ]
    assert result.warranty.start == timezone.localdate()


def test_second_activation_is_refused_with_the_date(distributor_unit):
    activate(distributor_unit)
    events_before = distributor_unit.events.count()
    with pytest.raises(ActivationRefused) as caught:
        activate(distributor_unit, phone="13611112222")
    today = shown_date(timezone.localdate())  # the language's short form
    assert caught.value.code == "already_activated"
    assert f"already activated on {today}" in caught.value.message
    assert distributor_unit.events.count() == events_before
    assert not Party.objects.filter(phone="13611112222").exists()


def test_unit_not_yet_sold_is_refused_and_nothing_is_written(stock_unit):
    with pytest.raises(ActivationRefused) as caught:
        activate(stock_unit)
    assert caught.value.code == "not_sold"
    assert "has not been sold yet" in caught.value.message
    stock_unit.refresh_from_db()
    assert stock_unit.status == Status.IN_STOCK
    assert not Party.objects.filter(kind="customer", phone="13900001111").exists()


def test_scrapped_unit_refusal_names_the_reason(customer_unit):
    ledger.scrap(customer_unit)
    with pytest.raises(ActivationRefused) as caught:
        activate(customer_unit)
    assert "scrapped" in caught.value.message


@pytest.mark.parametrize("phone", ["12345", "0571-88886666", "2381234567x"])
def test_invalid_phone_is_refused_before_anything_happens(distributor_unit, phone):
    with pytest.raises(ValidationError) as caught:
        activate(distributor_unit, phone=phone)
    assert "11-digit Chinese mobile number" in caught.value.messages[0]
    distributor_unit.refresh_from_db()
    assert distributor_unit.activated_at is None


def test_unknown_province_is_refused(distributor_unit):
    with pytest.raises(ValidationError) as caught:
        activate(distributor_unit, province="加州")
    assert "province" in caught.value.message_dict


def test_out_of_region_activation_raises_a_diversion_alert(distributor_unit, zhejiang_distributor):
    result = activate(distributor_unit, province="广东省", city="深圳市", district="南山区")
    alert = result.alert
    assert alert is not None
    assert (alert.distributor_id, alert.source) == (zhejiang_distributor.pk, "activation")
    assert alert.region == "广东省深圳市南山区"
    assert alert.delivery_ref == "DN-ZJ-7"
    assert alert.delivered_at == distributor_unit.events.get(type=EventType.DELIVERED).occurred_at
    assert alert.source_ref == f"unitevent:{result.event.pk}"
    assert DiversionAlert.objects.count() == 1


def test_the_sell_through_is_on_the_distributors_sell_out_report(
    distributor_unit, zhejiang_distributor
):
    result = activate(distributor_unit)
    sale = SellThrough.objects.get()
    assert (sale.distributor_id, sale.customer_id) == (zhejiang_distributor.pk, result.customer.pk)
    assert sale.in_region is True
    event = distributor_unit.events.get(type=EventType.SOLD_THROUGH)
    assert (event.ref_type, event.ref_id) == ("ST", str(sale.pk))
