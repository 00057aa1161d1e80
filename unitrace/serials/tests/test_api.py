"""The unit API: names, shapes, errors, and who may call what."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories as f
from unitrace.core.models import ChangeLog
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db
T0 = timezone.now() - timedelta(days=50)


@pytest.fixture
def unit(sku, batch, warehouse, customer, component_skus):
    board_sku, _chip = component_skus
    unit = f.UnitFactory(sku=sku, serial="AC9", batch=batch, registered=T0)
    board = f.UnitFactory(sku=board_sku, serial="PB9", registered=T0)
    return f.play(
        unit,
        f.fitted_with(board, when=T0 + timedelta(1)),
        f.received(warehouse, when=T0 + timedelta(days=2)),
        f.delivered(customer, when=T0 + timedelta(days=3)),
    )


def test_token_then_unit_file(unit, make_user, client):
    make_user("agent", "alice")
    response = client.post("/api/v1/auth/token/", {"username": "alice", "password": f.PASSWORD})
    token = response.json()["token"]
    body = client.get(f"/api/v1/units/{unit.pk}/", HTTP_AUTHORIZATION=f"Token {token}").json()
    assert body["serial"] == "AC9"
    assert body["sku"]["code"] == "AC-100"
    assert body["status"] == "sold"
    assert body["warranty"]["state"] == "in_warranty"
    assert [e["type"] for e in body["events"]] == [
        "registered",
        "component_installed",
        "received",
        "delivered",
    ]
    assert [c["serial"] for c in body["components"]] == ["PB9"]
    assert body["holder"]["phone"] == "13812341234"  # agents need the phone
    assert "/01/06901234567892/21/AC9?s=" in body["qr_url"]  # signed Digital Link


def test_personal_data_is_masked_for_quality(unit, api):
    body = api("quality").get(f"/api/v1/units/{unit.pk}/").json()
    assert body["holder"]["phone"] == "138****1234"
    assert "文三路" not in str(body)


def test_list_filters_history_components_where_used(unit, api):
    client = api("agent")
    rows = client.get("/api/v1/units/", {"sku": "AC-100", "status": "sold"}).json()
    assert [r["serial"] for r in rows["results"]] == ["AC9"]
    assert client.get("/api/v1/units/", {"status": "scrapped"}).json()["results"] == []
    assert client.get("/api/v1/units/", {"serial": "PB9"}).json()["count"] == 1
    history = client.get(f"/api/v1/units/{unit.pk}/history/").json()
    assert len(history["events"]) == 4
    before = (T0 + timedelta(hours=1)).isoformat()
    assert (
        client.get(f"/api/v1/units/{unit.pk}/components/", {"at": before}).json()["children"] == []
    )
    board = Unit.objects.get(serial="PB9")
    used = client.get(f"/api/v1/units/{board.pk}/where-used/").json()
    assert [p["serial"] for p in used["parents"]] == ["AC9"]
    bad = client.get(f"/api/v1/units/{unit.pk}/components/", {"at": "yesterday"})
    assert (
        bad.status_code == 400
        and "ISO 8601" in bad.json()["detail"]
        and bad.json()["field"] == "at"
    )


def test_generate_and_import(sku, api):
    client = api("warehouse")
    response = client.post("/api/v1/units/generate/", {"sku": "AC-100", "count": 25})
    assert response.status_code == 201, response.json()
    assert response.json()["result"]["count"] == 25
    upload = SimpleUploadedFile("u.csv", "序列号\nN1\nN1\n".encode("gbk"))
    response = client.post(
        "/api/v1/units/import/", {"file": upload, "sku": "AC-100"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "job_failed"
    assert response.json()["rows"] == [
        {
            "row": 3,
            "field": "serial",
            "code": "invalid",
            "message": "duplicate of row 2 in this file",
            "value": "N1",
        }
    ]
    assert response.json()["meta"]["report_url"].endswith("/report/")
    upload = SimpleUploadedFile("u.csv", "序列号\nN1\nN2\n".encode("gbk"))
    response = client.post(
        "/api/v1/units/import/",
        {"file": upload, "sku": "AC-100", "mode": "valid-only"},
        format="multipart",
    )
    assert response.status_code == 201 and response.json()["result"]["created"] == 2
    response = client.post(
        "/api/v1/units/register/", {"sku": "AC-100", "serials": "R01-R05"}, format="json"
    )
    assert response.status_code == 201 and response.json()["created"] == 5


def test_record_event_through_api_refuses_illegal(unit, api):
    client = api("engineer")
    ok = client.post(
        f"/api/v1/units/{unit.pk}/events/", {"type": "activated", "region": "浙江省"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["to_status"] == "activated"
    again = client.post(f"/api/v1/units/{unit.pk}/events/", {"type": "activated"}, format="json")
    assert again.status_code == 400 and "already activated" in again.json()["detail"]


def test_scan_endpoint(unit, sku, api, component_skus):
    client = api("agent")
    found = client.get("/api/v1/scan/", {"code": "]d20106901234567892\x1d21AC9"}).json()
    assert found["outcome"] == "found" and found["units"][0]["serial"] == "AC9"
    link = client.get("/api/v1/scan/", {"code": "https://x.cn/01/06901234567892/21/AC9"})
    assert link.json()["units"][0]["id"] == unit.pk
    f.UnitFactory(sku=component_skus[0], serial="AC9")
    both = client.get("/api/v1/scan/", {"code": "AC9"}).json()
    assert both["outcome"] == "ambiguous" and len(both["units"]) == 2
    bad = client.get("/api/v1/scan/", {"code": "(01)09506000134353(21)X"})
    assert bad.status_code == 400 and "check digit" in bad.json()["detail"]
    assert client.get("/api/v1/scan/", {"code": "NOPE"}).status_code == 404


def test_scan_refusals_answer_in_the_one_error_body_with_the_parsed_code(unit, api):
    client = api("agent")
    bad = client.get("/api/v1/scan/", {"code": "(01)09506000134353(21)X"}).json()
    missing = client.get("/api/v1/scan/", {"code": "NOPE"}).json()

    assert {"code", "detail", "field", "rows"} <= set(bad) and bad["code"] == "invalid"
    assert bad["meta"]["outcome"] == "invalid" and "check digit" in bad["meta"]["message"]
    assert missing["code"] == "not_found" and missing["rows"] == []
    assert missing["meta"]["parsed"]["serial"] == "NOPE" and missing["meta"]["units"] == []


def test_sku_edits_are_change_logged(sku, api):
    client = api("admin")
    response = client.patch(f"/api/v1/skus/{sku.pk}/", {"warranty_months": 24}, format="json")
    assert response.status_code == 200
    entry = ChangeLog.objects.get(object_type="catalog.sku", action="update")
    assert entry.before["warranty_months"] == 12 and entry.after["warranty_months"] == 24
    assert entry.username == "admin-user"
    bad = client.patch(f"/api/v1/skus/{sku.pk}/", {"gtin": "09506000134353"}, format="json")
    assert bad.status_code == 400 and "check digit" in str(bad.json())


ENDPOINTS = [
    ("get", "/api/v1/units/", "serials.view_unit"),
    ("get", "/api/v1/units/{id}/", "serials.view_unit"),
    ("get", "/api/v1/units/{id}/history/", "serials.view_unit"),
    ("get", "/api/v1/units/{id}/components/", "serials.view_unit"),
    ("get", "/api/v1/units/{id}/where-used/", "serials.view_unit"),
    ("get", "/api/v1/scan/?code=AC9", "serials.view_unit"),
    ("post", "/api/v1/units/generate/", "serials.add_unit"),
    ("post", "/api/v1/units/import/", "serials.add_unit"),
    ("post", "/api/v1/units/register/", "serials.add_unit"),
    ("post", "/api/v1/units/{id}/events/", "serials.record_event"),
    ("post", "/api/v1/units/{id}/assemble/", "serials.change_componentlink"),
    ("get", "/api/v1/skus/", "catalog.view_sku"),
    ("post", "/api/v1/skus/", "catalog.add_sku"),
    ("get", "/api/v1/batches/", "catalog.view_batch"),
]


@pytest.mark.parametrize(("method", "url", "perm"), ENDPOINTS)
def test_every_endpoint_denies_by_default(unit, api, method, url, perm):
    url = url.format(id=unit.pk)
    anonymous = getattr(api(None), method)(url)
    assert anonymous.status_code == 401
    # a role lacking this permission (a logged-in user with no role at all)
    nobody = api("agent", "nobody")
    nobody.user.groups.clear()
    assert getattr(nobody, method)(url).status_code == 403


def test_distributor_sees_only_its_units(unit, api, distributor, sku):
    f.UnitFactory(sku=sku, serial="OTHER")
    client = f.token_client(f.UserFactory(role="sales", username="dealer", party=distributor))
    assert client.get("/api/v1/units/").json()["count"] == 0
    assert client.get(f"/api/v1/units/{unit.pk}/").status_code == 404
    Unit.objects.filter(pk=unit.pk).update(distributor=distributor)
    assert client.get(f"/api/v1/units/{unit.pk}/").status_code == 200
    assert [r["serial"] for r in client.get("/api/v1/units/").json()["results"]] == ["AC9"]


def test_openapi_schema_and_docs(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/v1/units/{id}/where-used/", "/api/v1/scan/", "/api/v1/units/import/"):
        assert path in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()
