"""Who may call what: every endpoint and page for anonymous, unpermitted and allowed users."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests import factories as f
from unitrace.procurement.models import SuspectUnit
from unitrace.procurement.receiving import receive_scan
from unitrace.procurement.tests.conftest import FAKE1

pytestmark = pytest.mark.django_db
AC_GTIN = "06901234567892"


@dataclass
class Case:
    method: str
    path: str
    allowed: str
    denied: str
    status: int
    data: object = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@pytest.fixture
def world(order, draft_two, receipt, listed, supplier, other_sku):
    receive_scan(receipt, f"(01){AC_GTIN}(21){FAKE1}")
    return {
        "order": order.pk,
        "draft": draft_two.pk,
        "line": order.lines.get(sku__code="AC-100").pk,
        "draft_line": draft_two.lines.get(sku__code="FAN-200").pk,
        "receipt": receipt.pk,
        "suspect": SuspectUnit.objects.get().pk,
        "supplier": supplier.pk,
    }


@pytest.fixture
def draft_two(supplier, warehouse, sku, fan):
    return f.PurchaseOrderFactory(
        supplier=supplier,
        lines=[(sku, 1), (fan, 1)],
        number="PO-D2",
        warehouse=warehouse,
        opened=False,
    )


PO = "/api/v1/purchase-orders"
API_CASES = [
    Case("get", f"{PO}/", "warehouse", "agent", 200),
    Case(
        "post",
        f"{PO}/",
        "procurement",
        "warehouse",
        201,
        {"supplier": "SUP1", "lines": [{"sku": "AC-100", "quantity": 1}]},
    ),
    Case("get", f"{PO}/{{order}}/", "auditor", "agent", 200),
    Case("patch", f"{PO}/{{order}}/", "procurement", "warehouse", 200, {"notes": "x"}),
    Case("delete", f"{PO}/{{draft}}/", "procurement", "quality", 204),
    Case("get", f"{PO}/{{order}}/lines/", "manager", "agent", 200),
    Case(
        "post",
        f"{PO}/{{order}}/lines/",
        "procurement",
        "warehouse",
        201,
        {"sku": "TV-9", "quantity": 1},
    ),
    Case(
        "patch", f"{PO}/{{order}}/lines/{{line}}/", "procurement", "warehouse", 200, {"quantity": 5}
    ),
    Case("delete", f"{PO}/{{draft}}/lines/{{draft_line}}/", "procurement", "warehouse", 204),
    Case("post", f"{PO}/{{draft}}/open/", "procurement", "warehouse", 200),
    Case("post", f"{PO}/{{order}}/close/", "procurement", "quality", 200),
    Case("post", f"{PO}/{{draft}}/cancel/", "procurement", "warehouse", 200),
    Case("get", f"{PO}/{{order}}/asn/", "warehouse", "agent", 200),
    Case(
        "post",
        f"{PO}/{{order}}/asn/",
        "procurement",
        "warehouse",
        201,
        {"rows": [{"sku": "TV-9", "serial": "Q"}], "mode": "valid-only"},
    ),
    Case("delete", f"{PO}/{{order}}/asn/", "procurement", "warehouse", 200),
    Case("post", f"{PO}/{{order}}/receive/", "warehouse", "procurement", 200, {"code": "A0001"}),
    Case("get", f"{PO}/{{order}}/receipts/", "quality", "agent", 200),
    Case("get", "/api/v1/receipts/", "auditor", "agent", 200),
    Case("get", "/api/v1/receipts/{receipt}/", "warehouse", "agent", 200),
    Case("post", "/api/v1/receipts/{receipt}/close/", "warehouse", "procurement", 200),
    Case("get", "/api/v1/suspect-units/", "warehouse", "agent", 200),
    Case("get", "/api/v1/suspect-units/{suspect}/", "manager", "agent", 200),
    Case(
        "post",
        "/api/v1/suspect-units/{suspect}/decide/",
        "quality",
        "warehouse",
        200,
        {"decision": "accepted"},
    ),
    Case("get", "/api/v1/suppliers/", "agent", "distributor", 200),
    Case(
        "post", "/api/v1/suppliers/", "procurement", "warehouse", 201, {"code": "S2", "name": "新"}
    ),
    Case("get", "/api/v1/suppliers/{supplier}/", "agent", "distributor", 200),
    Case(
        "patch", "/api/v1/suppliers/{supplier}/", "procurement", "warehouse", 200, {"contact": "王"}
    ),
    Case("get", "/api/v1/suppliers/quality/", "manager", "warehouse", 200),
]


def asn_file():
    return {"mode": "all", "file": SimpleUploadedFile("a.csv", b"sku,serial\nAC-100,W1\n")}


P = "/procurement"
PAGE_CASES = [
    Case("get", f"{P}/orders/", "warehouse", "agent", 200),
    Case("get", f"{P}/orders/new/", "procurement", "warehouse", 200),
    Case("get", f"{P}/orders/{{order}}/", "auditor", "agent", 200),
    Case(
        "post", f"{P}/orders/{{draft}}/status/", "procurement", "warehouse", 302, {"action": "open"}
    ),
    Case("post", f"{P}/orders/{{draft}}/asn/", "procurement", "warehouse", 302, asn_file),
    Case("get", f"{P}/orders/{{order}}/receive/", "warehouse", "procurement", 200),
    Case(
        "post",
        f"{P}/orders/{{order}}/receive/scan/",
        "warehouse",
        "procurement",
        200,
        {"code": "A0001", "warehouse": "HQ"},
    ),
    Case(
        "post",
        f"{P}/orders/{{order}}/receive/bulk/",
        "warehouse",
        "procurement",
        302,
        {"serials": "A0002", "warehouse": "HQ"},
    ),
    Case("post", f"{P}/receipts/{{receipt}}/close/", "warehouse", "procurement", 302),
    Case("get", f"{P}/suspects/", "warehouse", "agent", 200),
    Case(
        "post",
        f"{P}/suspects/{{suspect}}/decide/",
        "quality",
        "warehouse",
        302,
        {"decision": "accepted", "notes": ""},
    ),
    Case("get", f"{P}/quality/", "manager", "warehouse", 200),
    Case("get", f"{P}/suppliers/", "agent", "distributor", 200),
]


def _call(client, case: Case, world: dict, *, api: bool):
    data = case.data() if callable(case.data) else case.data
    path = case.path.format(**world)
    if api:
        kwargs = {"format": "multipart" if "file" in data else "json"}
        return getattr(client, case.method)(path, data, **kwargs)
    return getattr(client, case.method)(path, data)


@pytest.mark.parametrize("case", API_CASES, ids=str)
def test_api_access(case, world, api):
    assert _call(api(None), case, world, api=True).status_code == 401
    denied = _call(api(case.denied, "denied"), case, world, api=True)
    assert denied.status_code == 403, denied.content
    allowed = _call(api(case.allowed, "allowed"), case, world, api=True)
    assert allowed.status_code == case.status, allowed.content


@pytest.mark.parametrize("case", PAGE_CASES, ids=str)
def test_page_access(case, world, client, make_user):
    anonymous = _call(client, case, world, api=False)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    client.force_login(make_user(case.denied, "denied"))
    assert _call(client, case, world, api=False).status_code == 403
    client.force_login(make_user(case.allowed, "allowed"))
    allowed = _call(client, case, world, api=False)
    assert allowed.status_code == case.status, allowed.content[:500]


def test_a_partner_login_sees_only_its_own_suppliers_orders(world, make_user, client):
    rival = f.SupplierFactory(code="SUP9", name="别家")
    user = f.UserFactory(role="quality", username="partner", party=rival)
    token_client = APIClient()
    token_client.force_authenticate(user)
    client.force_login(user)

    assert token_client.get(f"{PO}/").json()["count"] == 0
    assert token_client.get(f"{PO}/{world['order']}/").status_code == 404
    assert token_client.get("/api/v1/suspect-units/").json()["count"] == 0
    assert client.get(f"{P}/orders/{world['order']}/").status_code == 404
    assert token_client.get("/api/v1/suppliers/quality/").json()["suppliers"] == []
