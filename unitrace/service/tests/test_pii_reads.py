"""Bulk reads of customers' personal data are in the audit trail: units, sales orders,
deliveries, returns and a unit's history, in pages and the API.

One entry per request, with the rows shown and the filters, for a user who sees the
data unmasked (``parties.view_pii``: the manager); a warehouse clerk sees it masked and
leaves no entry; a list that names no customer leaves none either.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from unitrace.core.models import ChangeLog
from unitrace.sales.delivery import deliver_order
from unitrace.sales.scanning import rows_from_text
from unitrace.serials.models import Unit
from unitrace.service.returns import create_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(order, stock, warehouse):
    """Units P1-P3 in stock; P1 and P2 delivered to the customer 张三, P1 returned."""
    stock(["P1", "P2", "P3"])
    delivery = deliver_order(order, warehouse, rows_from_text("P1\nP2"))
    rma = create_return([Unit.objects.get(serial="P1")], warehouse, reason="坏了")
    return {"order": order, "delivery": delivery, "rma": rma}


def given(params, sold) -> dict:
    return params(sold) if callable(params) else params


def expected(what: str, params: dict) -> dict:
    """A unit's history is filtered by its unit."""
    return {**params, "unit": "P1"} if "unit-" in what else params


def reads(what: str) -> list[ChangeLog]:
    return list(ChangeLog.objects.filter(action=ChangeLog.Action.READ, after__what=what))


PAGES = [
    ("page:units", lambda s: reverse("serials:unit_list"), {"sku": "AC-100"}),
    ("page:sales-orders", lambda s: reverse("sales:order_list"), {"q": "张"}),
    ("page:deliveries", lambda s: reverse("sales:delivery_list"), {"page": "1"}),
    ("page:returns", lambda s: reverse("sales:rma_list"), {"page": "1"}),
    (
        "page:unit-file",
        lambda s: reverse("serials:unit_detail", args=[Unit.objects.get(serial="P1").pk]),
        {},
    ),
]
APIS = [
    ("api:units", lambda s: "/api/v1/units/", {"status": "sold"}),
    ("api:sales-orders", lambda s: "/api/v1/sales-orders/", {"buyer": "C1"}),
    ("api:deliveries", lambda s: "/api/v1/deliveries/", lambda s: {"order": s["order"].number}),
    ("api:returns", lambda s: "/api/v1/returns/", {}),
    (
        "api:unit-history",
        lambda s: f"/api/v1/units/{Unit.objects.get(serial='P1').pk}/history/",
        {},
    ),
    ("api:unit-file", lambda s: f"/api/v1/units/{Unit.objects.get(serial='P1').pk}/", {}),
]


@pytest.mark.parametrize(("what", "url", "params"), PAGES, ids=[p[0] for p in PAGES])
def test_a_page_read_by_a_pii_holder_is_logged_once(sold, login, what, url, params):
    params = given(params, sold)
    response = login("manager").get(url(sold), params)
    assert response.status_code == 200
    [entry] = reads(what)
    assert entry.username == "manager-user"
    assert entry.after["rows"] >= 1
    assert entry.after["filters"] == expected(what, params)
    assert entry.object_id == ""


@pytest.mark.parametrize(("what", "url", "params"), APIS, ids=[a[0] for a in APIS])
def test_an_api_read_by_a_pii_holder_is_logged_once(sold, api, what, url, params):
    params = given(params, sold)
    response = api("manager").get(url(sold), params)
    assert response.status_code == 200, response.content
    [entry] = reads(what)
    assert entry.after["rows"] >= 1
    assert entry.after["filters"] == expected(what, params)
    assert entry.after["source"] == "api"


@pytest.mark.parametrize(
    ("what", "url", "params"), [*PAGES, *APIS], ids=[x[0] for x in [*PAGES, *APIS]]
)
def test_a_masked_read_is_not_logged(sold, login, api, what, url, params):
    client = api("warehouse") if what.startswith("api:") else login("warehouse")
    assert client.get(url(sold), given(params, sold)).status_code == 200
    assert reads(what) == []


def test_the_counts_are_the_rows_shown(sold, api):
    client = api("manager")
    client.get("/api/v1/units/", {"limit": 2})
    client.get("/api/v1/deliveries/")
    client.get(f"/api/v1/units/{Unit.objects.get(serial='P1').pk}/history/")
    assert reads("api:units")[0].after["rows"] == 2
    assert reads("api:deliveries")[0].after["rows"] == 1
    history = reads("api:unit-history")[0]
    assert history.after["rows"] == Unit.objects.get(serial="P1").events.count()
    assert history.after["filters"] == {"unit": "P1"}
    assert history.object_type == "serials.unitevent"


def test_a_list_without_customers_is_not_logged(stock, api, login):
    stock(["W1", "W2"])  # in the warehouse: nobody's personal data on the list
    api("manager").get("/api/v1/units/")
    login("manager").get(reverse("serials:unit_list"))
    assert reads("api:units") == [] and reads("page:units") == []


def test_the_unit_list_masks_the_holders_name(sold, api, login):
    masked = api("warehouse").get("/api/v1/units/", {"status": "sold"}).json()["results"]
    assert {u["holder"] for u in masked} == {"张*"}
    plain = api("manager").get("/api/v1/units/", {"status": "sold"}).json()["results"]
    assert {u["holder"] for u in plain} == {"张三"}
    page = login("warehouse").get(reverse("serials:unit_list"), {"status": "sold"})
    assert "张*" in page.content.decode() and "张三" not in page.content.decode()


def test_the_returns_page_masks_the_holders_name(sold, login):
    page = login("warehouse").get(reverse("sales:rma_list")).content.decode()
    assert "张*" in page and "张三" not in page
