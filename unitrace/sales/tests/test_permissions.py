"""Who may call what: anonymous, no permission, wrong scope, allowed — per endpoint."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests import factories as f
from unitrace.core.testing.errors import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(order, stock, warehouse, distributor, sku):
    stock(["P1", "P2", "P3"])
    delivery = f.delivery(order, warehouse, "P1")
    dist_order = f.SalesOrderFactory(buyer=distributor, lines=[(sku, 1)])
    return {"order": order, "delivery": delivery, "dist_order": dist_order}


# (method, url template, role without the permission, role with it, expected allowed status)
ENDPOINTS = [
    ("get", "/api/v1/customers/", "distributor", "agent", 200),
    ("post", "/api/v1/customers/", "quality", "sales", 400),
    ("get", "/api/v1/distributors/", "distributor", "manager", 200),
    ("post", "/api/v1/distributors/", "warehouse", "procurement", 400),
    ("get", "/api/v1/channels/", "quality", "warehouse", 200),
    ("post", "/api/v1/channels/", "warehouse", "sales", 400),
    ("get", "/api/v1/sales-orders/", "quality", "warehouse", 200),
    ("get", "/api/v1/sales-orders/{order}/", "distributor", "agent", 200),
    ("post", "/api/v1/sales-orders/", "warehouse", "sales", 400),
    ("post", "/api/v1/sales-orders/{order}/cancel/", "warehouse", "sales", 400),
    ("get", "/api/v1/deliveries/", "quality", "auditor", 200),
    ("get", "/api/v1/deliveries/{delivery}/", "distributor", "manager", 200),
    ("get", "/api/v1/deliveries/{delivery}/note.pdf", "quality", "warehouse", 200),
    ("post", "/api/v1/deliveries/", "agent", "warehouse", 400),
    ("get", "/api/v1/sell-through/", "warehouse", "agent", 200),
    ("post", "/api/v1/sell-through/", "warehouse", "sales", 400),
]


@pytest.mark.parametrize(("method", "url", "denied", "allowed", "ok"), ENDPOINTS)
def test_endpoint_permissions(world, api, method, url, denied, allowed, ok):
    url = url.format(order=world["order"].pk, delivery=world["delivery"].pk)
    anonymous = getattr(APIClient(), method)(url, {}, format="json")
    assert anonymous.status_code == 401
    nobody = APIClient()
    nobody.force_authenticate(f.UserFactory(username="nobody", password=None))
    assert getattr(nobody, method)(url, {}, format="json").status_code == 403
    assert getattr(api(denied), method)(url, {}, format="json").status_code == 403
    # an empty POST is a validation error: the permission check let it through
    assert getattr(api(allowed), method)(url, {}, format="json").status_code == ok


def test_scoped_login_sees_only_its_own_orders_and_deliveries(world, api, distributor):
    client = f.token_client(f.UserFactory(role="sales", username="dealer-sales", party=distributor))
    numbers = [o["number"] for o in client.get("/api/v1/sales-orders/").json()["results"]]
    assert numbers == [world["dist_order"].number]
    assert client.get(f"/api/v1/sales-orders/{world['order'].pk}/").status_code == 404
    assert client.get(f"/api/v1/deliveries/{world['delivery'].pk}/").status_code == 404
    assert client.get(f"/api/v1/deliveries/{world['delivery'].pk}/note.pdf").status_code == 404
    assert client.get("/api/v1/customers/").json()["count"] == 0
    response = client.post(
        "/api/v1/deliveries/",
        {"order": world["order"].number, "warehouse": "HQ", "serials": ["P2"]},
        format="json",
    )
    assert (
        response.status_code == 400 and "unknown order" in field_errors(response.json())["order"][0]
    )
