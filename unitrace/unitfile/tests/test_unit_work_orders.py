"""The unit's file lists its work orders (in the reader's scope) and offers 新建工单 to
those who may open one; so does the customer's unit list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.service.workorders import Intake, open_work_order, transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(sku, warehouse, customer):
    now = timezone.now()
    return f.UnitFactory(
        serial="UF-WO1",
        sku=sku,
        registered=now - timedelta(days=10),
        history=[
            f.received(warehouse, when=now - timedelta(days=9)),
            f.delivered(customer, when=now - timedelta(days=8)),
        ],
    )


@pytest.fixture
def order(unit):
    return open_work_order(
        Intake(
            contact_name="张三",
            contact_phone="13812341234",
            address="浙江省杭州市西湖区文三路 100 号",
            unit=unit,
        ),
        channel="agent",
    )


def test_the_unit_file_lists_its_work_orders_with_links(order, unit, login):
    html = login("agent").get(f"/units/{unit.pk}/").content.decode()
    assert 'id="unit-work-orders"' in html
    assert f'href="/service/work-orders/{order.pk}/"' in html and order.number in html
    assert f'href="/service/work-orders/new/?unit={unit.pk}"' in html


def test_no_work_orders_card_or_button_for_roles_without_them(order, unit, login):
    html = login("warehouse").get(f"/units/{unit.pk}/").content.decode()
    assert 'id="unit-work-orders"' not in html and order.number not in html
    assert "/service/work-orders/new/" not in html
    # a reader sees the list but gets no button
    auditor = login("auditor").get(f"/units/{unit.pk}/").content.decode()
    assert order.number in auditor and "/service/work-orders/new/" not in auditor


def test_an_engineer_sees_only_their_own_on_the_unit_file(order, unit, login, make_user):
    engineer = make_user("engineer", "eng-uf")
    page = login("engineer", "eng-uf").get(f"/units/{unit.pk}/")
    assert page.status_code == 200 and order.number not in page.content.decode()
    transition(order, "assign", assignee=engineer)
    assert order.number in login("engineer", "eng-uf").get(f"/units/{unit.pk}/").content.decode()


def test_customer_units_offer_a_new_work_order(customer, unit, login):
    html = login("agent").get(f"/customers/{customer.pk}/units/").content.decode()
    assert f'href="/service/work-orders/new/?customer={customer.pk}"' in html
    assert (
        "/service/work-orders/new/"
        not in login("sales").get(f"/customers/{customer.pk}/units/").content.decode()
    )
