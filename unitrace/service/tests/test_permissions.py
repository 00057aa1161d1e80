"""Who may call the returns and exchanges API: anonymous, no permission, allowed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from unitrace.sales.delivery import deliver_order
from unitrace.sales.scanning import rows_from_text
from unitrace.serials.models import Unit
from unitrace.service.returns import create_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def rma(order, stock, warehouse):
    stock(["P1", "P2", "P3"])
    deliver_order(order, warehouse, rows_from_text("P1"))
    return create_return([Unit.objects.get(serial="P1")], warehouse, reason="x")


# (method, url template, role without the permission, role with it, expected allowed status)
ENDPOINTS = [
    ("get", "/api/v1/returns/", "distributor", "quality", 200),
    ("get", "/api/v1/returns/{rma}/", "procurement", "warehouse", 200),
    ("post", "/api/v1/returns/", "manager", "agent", 400),
    ("post", "/api/v1/returns/{rma}/inspect/", "quality", "warehouse", 400),
    ("get", "/api/v1/exchanges/", "procurement", "auditor", 200),
    ("post", "/api/v1/exchanges/", "manager", "sales", 400),
]


@pytest.mark.parametrize(("method", "url", "denied", "allowed", "ok"), ENDPOINTS)
def test_endpoint_permissions(rma, api, method, url, denied, allowed, ok):
    url = url.format(rma=rma.pk)
    anonymous = getattr(APIClient(), method)(url, {}, format="json")
    assert anonymous.status_code == 401
    nobody = APIClient()
    nobody.force_authenticate(get_user_model().objects.create_user("nobody"))
    assert getattr(nobody, method)(url, {}, format="json").status_code == 403
    assert getattr(api(denied), method)(url, {}, format="json").status_code == 403
    # an empty POST is a validation error: the permission check let it through
    assert getattr(api(allowed), method)(url, {}, format="json").status_code == ok
