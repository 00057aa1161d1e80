"""The catalog API: who may call what, and the master-data rules it enforces."""

from urllib.parse import urlencode

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.catalog.models import SKU, Batch
from unitrace.core.models import ChangeLog
from unitrace.core.testing.errors import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(sku, batch):
    spare_sku = f.SKUFactory(code="OLD-1", name="停产型号")
    spare_batch = f.BatchFactory(sku=sku, code="B-OLD")
    return {"sku": sku, "batch": batch, "spare_sku": spare_sku, "spare_batch": spare_batch}


def endpoints(w) -> list[tuple[str, str, dict, str, int]]:
    """(method, url, body, a role that may, the status it gets): every route and action."""
    sku, batch = w["sku"].pk, w["batch"].pk
    return [
        ("get", "/api/v1/skus/", {}, "distributor", 200),
        ("get", f"/api/v1/skus/{sku}/", {}, "agent", 200),
        ("post", "/api/v1/skus/", {"code": "FAN-1", "name": "风扇"}, "admin", 201),
        ("put", f"/api/v1/skus/{sku}/", {"code": "AC-100", "name": "空调"}, "admin", 200),
        ("patch", f"/api/v1/skus/{sku}/", {"warranty_months": 24}, "admin", 200),
        ("delete", f"/api/v1/skus/{w['spare_sku'].pk}/", {}, "admin", 204),
        ("get", "/api/v1/batches/", {}, "quality", 200),
        ("get", f"/api/v1/batches/{batch}/", {}, "manager", 200),
        ("post", "/api/v1/batches/", {"sku": "AC-100", "code": "B9"}, "procurement", 201),
        (
            "put",
            f"/api/v1/batches/{batch}/",
            {"sku": "AC-100", "code": "B2601"},
            "procurement",
            200,
        ),
        ("patch", f"/api/v1/batches/{batch}/", {"qc_status": "passed"}, "quality", 200),
        ("delete", f"/api/v1/batches/{w['spare_batch'].pk}/", {}, "admin", 204),
    ]


def call(client, method, url, body):
    return getattr(client, method)(url, body or None, format="json")


def test_every_endpoint_refuses_anonymous_and_users_without_permission(world, api, no_role_api):
    anonymous = api(None)
    for method, url, body, _role, _status in endpoints(world):
        response = call(anonymous, method, url, body)
        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"].startswith("Token")
        assert call(no_role_api, method, url, body).status_code == 403, (method, url)
    assert SKU.objects.count() == 2 and Batch.objects.count() == 2
    # nothing was changed; each refusal of the signed-in user is on the record
    assert not ChangeLog.objects.exclude(action=ChangeLog.Action.DENIED).exists()
    assert ChangeLog.objects.filter(action=ChangeLog.Action.DENIED, username="norole").exists()


def test_every_endpoint_serves_the_role_it_is_for(world, api):
    for method, url, body, role, expected in endpoints(world):
        response = call(api(role, f"{role}-{method}-{len(url)}"), method, url, body)
        assert response.status_code == expected, (method, url, response.content)
    assert not SKU.objects.filter(pk=world["spare_sku"].pk).exists()
    assert Batch.objects.get(pk=world["batch"].pk).qc_status == Batch.QC.PASSED
    actions = set(ChangeLog.objects.values_list("object_type", "action"))
    assert actions == {
        (model, action)
        for model in ("catalog.sku", "catalog.batch")
        for action in ("create", "update", "delete")
    }


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("distributor", "get", "/api/v1/batches/", {}),  # a distributor sees models only
        ("procurement", "post", "/api/v1/skus/", {"code": "X1", "name": "x"}),
        ("warehouse", "patch", "/api/v1/skus/{sku}/", {"name": "x"}),
        ("quality", "post", "/api/v1/batches/", {"sku": "AC-100", "code": "B7"}),
        ("agent", "patch", "/api/v1/batches/{batch}/", {"qc_status": "failed"}),
        ("procurement", "delete", "/api/v1/batches/{batch}/", {}),
        ("manager", "delete", "/api/v1/skus/{sku}/", {}),
    ],
)
def test_roles_get_only_their_rights(world, api, role, method, path, body):
    url = path.format(sku=world["sku"].pk, batch=world["batch"].pk)
    assert call(api(role), method, url, body).status_code == 403


@pytest.mark.parametrize(
    ("gtin", "status", "stored"),
    [
        ("09506000134352", 201, "09506000134352"),
        ("9506000134352", 201, "09506000134352"),  # GTIN-13, stored as GTIN-14
        ("09506000134353", 400, None),
    ],
)
def test_gtin_check_digit_through_the_api(api, gtin, status, stored):
    response = api("admin").post(
        "/api/v1/skus/", {"code": "GT-1", "name": "x", "gtin": gtin}, format="json"
    )
    assert response.status_code == status, response.content
    if stored:
        assert response.json()["gtin"] == stored
        assert SKU.objects.get(code="GT-1").gtin == stored
    else:
        assert field_errors(response.json()) == {
            "gtin": ["GTIN 09506000134353: check digit should be 2"]
        }
        assert not SKU.objects.filter(code="GT-1").exists()
        assert not ChangeLog.objects.exists()


def test_gtin_update_with_a_wrong_check_digit_is_refused(api, sku):
    response = api("admin").patch(
        f"/api/v1/skus/{sku.pk}/", {"gtin": "09506000134353"}, format="json"
    )
    assert response.status_code == 400
    assert "check digit should be 2" in field_errors(response.json())["gtin"][0]
    sku.refresh_from_db()
    assert sku.gtin == "06901234567892"


def test_future_production_date_is_refused(api, sku):
    client = api("procurement")
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    response = client.post(
        "/api/v1/batches/",
        {"sku": "AC-100", "code": "B-FUT", "production_date": "2099-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert field_errors(response.json()) == {
        "production_date": [
            f"The production date 01/01/2099 is in the future (today is {today:%m/%d/%Y})."
        ]
    }
    assert not Batch.objects.filter(code="B-FUT").exists()
    assert not ChangeLog.objects.exists()

    response = client.post(
        "/api/v1/batches/",
        {"sku": "AC-100", "code": "B-NOW", "production_date": today.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_batch_cannot_be_moved_into_the_future(api, batch):
    response = api("quality").patch(
        f"/api/v1/batches/{batch.pk}/", {"production_date": "2099-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "in the future" in field_errors(response.json())["production_date"][0]
    batch.refresh_from_db()
    assert str(batch.production_date) == "2026-01-15"


FORM = {"code": "FORM-1", "name": "表单型号", "serial_pattern": "F{SEQ:6}"}


def post_form(client, url, data, kind, method="post"):
    if kind == "multipart":
        return getattr(client, method)(url, data, format="multipart")
    return getattr(client, method)(
        url, urlencode(data), content_type="application/x-www-form-urlencoded"
    )


@pytest.mark.parametrize("kind", ["multipart", "urlencoded"])
def test_form_without_booleans_keeps_the_model_defaults(api, kind):
    response = post_form(api("admin"), "/api/v1/skus/", FORM, kind)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["serialized"], body["active"], body["enforce_pattern"]) == (True, True, False)
    created = SKU.objects.get(code="FORM-1")
    assert (created.serialized, created.active) == (True, True)


@pytest.mark.parametrize("kind", ["multipart", "urlencoded"])
def test_form_booleans_given_explicitly_are_kept(api, kind):
    data = {**FORM, "serialized": "false", "active": "false", "enforce_pattern": "true"}
    response = post_form(api("admin"), "/api/v1/skus/", data, kind)
    assert response.status_code == 201, response.content
    created = SKU.objects.get(code="FORM-1")
    assert (created.serialized, created.active, created.enforce_pattern) == (False, False, True)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_form_update_without_booleans_leaves_them_as_they_are(api, method):
    retired = f.SKUFactory(code="FORM-1", name="旧", active=False, serialized=False)
    response = post_form(
        api("admin"), f"/api/v1/skus/{retired.pk}/", {**FORM, "name": "新"}, "multipart", method
    )
    assert response.status_code == 200, response.content
    retired.refresh_from_db()
    assert (retired.name, retired.active, retired.serialized) == ("新", False, False)


def test_json_without_booleans_keeps_the_model_defaults(api):
    response = api("admin").post("/api/v1/skus/", FORM, format="json")
    assert response.status_code == 201
    assert (response.json()["serialized"], response.json()["active"]) == (True, True)
