"""Refusals over the API answer in the one error body, and the schema says so."""

from datetime import timedelta

import pytest
import yaml
from django.utils import timezone

from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units

pytestmark = pytest.mark.django_db
T0 = timezone.now() - timedelta(days=50)
SHAPE = {"code", "detail", "field", "rows"}


@pytest.fixture
def unit(sku, batch, warehouse, customer):
    register_units(sku, [NewUnit("AC9", "", batch.pk)], when=T0)
    unit = Unit.objects.get(serial="AC9")
    ledger.receive(unit, warehouse, when=T0 + timedelta(days=2))
    return unit


def test_ledger_refusal(unit, api):
    response = api("engineer").post(
        f"/api/v1/units/{unit.pk}/events/", {"type": "repaired"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "illegal_transition" and body["detail"].startswith("AC9: ")
    assert body["field"] is None and body["rows"] == []


def test_importer_row_errors(sku, api):
    response = api("warehouse").post(
        "/api/v1/units/register/", {"sku": "AC-100", "serials": "R1\nR1"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == SHAPE | {"meta"}
    assert body["code"] == "import_refused" and body["field"] is None
    assert body["rows"] == [
        {
            "row": 2,
            "field": "serial",
            "code": "duplicate",
            "message": "duplicate of row 1 in this file",
            "value": "R1",
        }
    ]
    assert body["meta"]["created"] == 0 and body["meta"]["error_count"] == 1
    assert body["meta"]["report"].splitlines()[1] == "2,serial,R1,duplicate of row 1 in this file"


def test_unreadable_range_is_a_refusal_with_its_code(sku, api):
    response = api("warehouse").post(
        "/api/v1/units/register/", {"sku": "AC-100", "serials": "A0100-A0001"}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) == SHAPE
    assert response.json()["code"] not in ("", "refused")


def test_drf_validation_error(api):
    response = api("warehouse").post("/api/v1/units/register/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == SHAPE and body["code"] == "invalid"
    assert {r["field"] for r in body["rows"]} >= {"serials"}
    assert all(r["code"] == "required" for r in body["rows"] if r["field"] == "serials")


def test_not_found_and_not_authenticated(api):
    missing = api("agent").get("/api/v1/units/999999/")
    assert missing.status_code == 404
    assert missing.json() == {
        "code": "not_found",
        "detail": missing.json()["detail"],
        "field": None,
        "rows": [],
    }
    anonymous = api(None).get("/api/v1/units/")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"


def test_schema_documents_the_error_body(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == SHAPE
    assert "RowError" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
