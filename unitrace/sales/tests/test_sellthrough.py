"""Distributors' sell-through: only their own units, customers created or reused."""

from __future__ import annotations

import pytest

from tests import factories as f
from unitrace.parties.models import Party
from unitrace.sales.models import SellThrough
from unitrace.serials.models import Unit, UnitEvent

pytestmark = pytest.mark.django_db

SALE = {
    "customer_name": "李四",
    "customer_phone": "139 0000 1111",
    "province": "浙江省",
    "city": "宁波市",
    "district": "鄞州区",
    "address": "天童路 8 号",
}


@pytest.fixture
def held(sku, zhejiang, other_distributor, stock, warehouse):
    """D1 holds H1 and H2; D2 holds J1."""
    stock(["H1", "H2", "J1"])
    f.delivery(f.SalesOrderFactory(buyer=zhejiang, lines=[(sku, 2)]), warehouse, "H1 H2")
    f.delivery(f.SalesOrderFactory(buyer=other_distributor, lines=[(sku, 1)]), warehouse, "J1")


def test_distributor_sells_its_unit_and_a_customer_is_created(held, distributor_api, zhejiang):
    client = distributor_api(zhejiang)
    response = client.post("/api/v1/sell-through/", {"serial": "H1", **SALE}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["customer"]["name"] == "李*"  # masked like the phone without view_pii
    assert body["customer"]["phone"] == "139****1111"  # distributors don't see PII
    assert body["in_region"] is True and body["region"] == "浙江省宁波市鄞州区"
    unit = Unit.objects.get(serial="H1")
    customer = Party.objects.get(kind="customer", phone="13900001111")
    assert unit.holder == customer and unit.distributor == zhejiang
    event = UnitEvent.objects.get(unit=unit, type="sold_through")
    assert event.party == customer and event.region == "浙江省宁波市鄞州区"
    # the same phone again: the customer is reused, not duplicated
    again = client.post("/api/v1/sell-through/", {"serial": "H2", **SALE}, format="json")
    assert again.status_code == 201
    assert Party.objects.filter(kind="customer", phone="13900001111").count() == 1


def test_another_distributors_unit_is_invisible(held, distributor_api, zhejiang):
    client = distributor_api(zhejiang)
    response = client.post("/api/v1/sell-through/", {"serial": "J1", **SALE}, format="json")
    assert response.status_code == 404
    assert SellThrough.objects.count() == 0
    assert Unit.objects.get(serial="J1").holder.code == "D2"


def test_unit_already_sold_through_is_refused(held, distributor_api, zhejiang):
    client = distributor_api(zhejiang)
    client.post("/api/v1/sell-through/", {"serial": "H1", **SALE}, format="json")
    again = client.post("/api/v1/sell-through/", {"serial": "H1", **SALE}, format="json")
    assert again.status_code == 400
    assert "already sold to an end customer" in again.json()["detail"]


def test_sale_outside_the_region_is_recorded_and_flagged(held, distributor_api, zhejiang):
    client = distributor_api(zhejiang)
    sale = {**SALE, "province": "广东省", "city": "深圳市", "district": "南山区"}
    sale["customer_phone"] = "13700002222"
    response = client.post("/api/v1/sell-through/", {"serial": "H1", **sale}, format="json")
    assert response.status_code == 201
    assert response.json()["in_region"] is False


def test_my_sales_lists_only_my_rows(held, distributor_api, zhejiang, other_distributor, api):
    mine = distributor_api(zhejiang, "d1-user")
    theirs = distributor_api(other_distributor, "d2-user")
    mine.post("/api/v1/sell-through/", {"serial": "H1", **SALE}, format="json")
    theirs.post("/api/v1/sell-through/", {"serial": "J1", **SALE}, format="json")
    rows = mine.get("/api/v1/sell-through/").json()["results"]
    assert [r["serial"] for r in rows] == ["H1"]
    other_id = SellThrough.objects.get(unit__serial="J1").pk
    assert mine.get(f"/api/v1/sell-through/{other_id}/").status_code == 404
    staff = api("sales").get("/api/v1/sell-through/").json()
    assert staff["count"] == 2
    assert staff["results"][0]["customer"]["phone"] == "13900001111"


def test_staff_records_for_a_distributor_with_an_existing_customer(held, api, customer):
    client = api("sales")
    missing = client.post(
        "/api/v1/sell-through/", {"serial": "H1", "customer": "C1"}, format="json"
    )
    assert missing.status_code == 400 and missing.json()["field"] == "distributor"
    response = client.post(
        "/api/v1/sell-through/",
        {"serial": "H1", "customer": "C1", "distributor": "D1"},
        format="json",
    )
    assert response.status_code == 201
    wrong = client.post(
        "/api/v1/sell-through/",
        {"serial": "H2", "customer": "C1", "distributor": "D2"},
        format="json",
    )
    assert wrong.status_code == 400 and "not held by 华北经销商" in wrong.json()["detail"]


def test_invalid_phone_is_refused(held, distributor_api, zhejiang):
    client = distributor_api(zhejiang)
    bad = {**SALE, "customer_phone": "12345"}
    response = client.post("/api/v1/sell-through/", {"serial": "H1", **bad}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "phone"
    assert Unit.objects.get(serial="H1").holder == zhejiang
