"""People's names are masked by the same permission as phones (parties.view_pii)."""

from __future__ import annotations

import pytest

import tests.factories as f
from unitrace.parties.masking import mask_name, party_name
from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db


def test_the_name_rule():
    assert [mask_name(n) for n in ("张三", "张三丰", "欧阳修远", "王")] == [
        "张*",
        "张**",
        "欧***",
        "*",
    ]
    assert mask_name("John Smith") == "J***"


def test_a_persons_name_is_masked_a_companys_is_not(customer, make_user):
    company = f.CustomerFactory(code="C2", name="杭州某某科技有限公司", is_company=True)
    supplier = f.SupplierFactory()
    auditor, sales = make_user("auditor"), make_user("sales")
    assert party_name(customer, auditor) == "张*"
    assert party_name(customer, sales) == "张三"
    assert party_name(company, auditor) == "杭州某某科技有限公司"
    assert party_name(supplier, auditor) == supplier.name


@pytest.fixture
def sold(sku, batch, warehouse, customer, distributor):
    register_units(sku, [NewUnit("NM1", "", batch.pk)])
    unit = Unit.objects.get(serial="NM1")
    ledger.receive(unit, warehouse)
    ledger.deliver(unit, customer)
    return unit


@pytest.mark.parametrize("role", ["auditor", "warehouse", "quality"])
def test_unit_file_and_history_mask_the_customer_for_roles_without_pii(sold, api, role):
    client = api(role)
    body = client.get(f"/api/v1/units/{sold.pk}/").json()
    history = client.get(f"/api/v1/units/{sold.pk}/history/").json()
    assert body["holder"]["name"] == "张*"
    assert "张三" not in str(body) and "张三" not in str(history)
    assert any((e.get("party") or {}).get("name") == "张*" for e in history["events"])


def test_agent_with_pii_sees_the_name(sold, api):
    body = api("agent").get(f"/api/v1/units/{sold.pk}/").json()
    assert body["holder"]["name"] == "张三"


def test_unit_page_masks_the_name(sold, login):
    page = login("warehouse").get(f"/units/{sold.pk}/").content.decode()
    assert "张*" in page and "张三" not in page


def test_customer_api_and_pages_mask_the_name(customer, api, login):
    listed = api("auditor").get("/api/v1/customers/").json()["results"][0]
    detail = api("auditor", "a2").get(f"/api/v1/customers/{customer.pk}/").json()
    assert listed["name"] == detail["name"] == "张*"
    assert api("sales").get("/api/v1/customers/").json()["results"][0]["name"] == "张三"
    page = login("auditor", "a3").get("/sales/customers/").content.decode()
    assert "张*" in page and "张三" not in page
