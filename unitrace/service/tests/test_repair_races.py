"""Repair requests on PostgreSQL: retries racing with one key, and hostile input."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories as f
from unitrace.authenticity.codes import verification_code
from unitrace.sales.tests.test_concurrency import race
from unitrace.service.models import IdempotencyKey, WorkOrder
from unitrace.service.tests.photos import jpeg

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
URL = "/api/v1/repair-requests/"


@pytest.fixture
def unit(sku, warehouse, customer):
    from unitrace.accounts.services import sync_roles

    sync_roles()
    now = timezone.now()
    return f.UnitFactory(
        serial="RACE-RR",
        sku=sku,
        registered=now - timedelta(days=3),
        history=[
            f.received(warehouse, when=now - timedelta(days=2)),
            f.delivered(customer, when=now - timedelta(days=1)),
        ],
    )


@pytest.fixture
def key(unit):
    return f.api_key(f.UserFactory(role="agent", username="crm-race"))


def body(**kw) -> dict:
    base = {
        "serial": "RACE-RR",
        "contact_name": "钱先生",
        "contact_phone": "13700137000",
        "address": "上海市浦东新区世纪大道 100 号",
        "description": "漏水",
        "channel": "crm",
        "photos": [{"name": "a.jpg", "data": base64.b64encode(jpeg()).decode()}],
    }
    return {**base, **kw}


def client_for(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_concurrent_retries_with_one_key_open_one_work_order_and_answer_alike(key):
    def attempt(i: int):
        try:
            answer = client_for(key).post(
                URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="retry-storm-1"
            )
            return answer.status_code, answer.json()
        finally:
            connection.close()

    results = race(6, attempt)
    assert [status for status, _ in results] == [201] * 6, results
    numbers = {answer["number"] for _, answer in results}
    assert len(numbers) == 1
    assert WorkOrder.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    assert all(answer == results[0][1] for _, answer in results)


def test_concurrent_requests_with_different_keys_on_one_unit_open_one(key):
    def attempt(i: int):
        try:
            answer = client_for(key).post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY=f"k-{i}")
            return answer.status_code
        finally:
            connection.close()

    statuses = race(5, attempt)
    assert sorted(statuses) == [201, 409, 409, 409, 409]
    assert WorkOrder.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1  # the refused ones left no key behind


@pytest.mark.parametrize(
    "field", ["contact_name", "contact_phone", "address", "description", "serial"]
)
def test_nul_in_any_api_field_is_400_naming_it(key, field):
    answer = client_for(key).post(URL, body(**{field: "A\u0000B"}), format="json")
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    assert WorkOrder.objects.count() == 0


def test_huge_input_to_the_api_is_refused_by_field(key, settings):
    huge = "长" * 200_000
    answer = client_for(key).post(
        URL, body(description=huge, contact_name=huge, address=huge), format="json"
    )
    assert answer.status_code == 400
    assert {r["field"] for r in answer.json()["rows"]} >= {"description", "contact_name", "address"}
    settings.UNITRACE_PHOTO_MAX_BYTES = 1000
    big = client_for(key).post(
        URL, body(photos=[{"name": "x.jpg", "data": "A" * 20_000}]), format="json"
    )
    assert big.status_code == 400
    assert big.json()["field"] == "photos"
    assert "Photo 1 (x.jpg) is too large" in big.json()["detail"]
    window = client_for(key).post(
        URL, body(window_start="9999-12-31T23:59:59Z", latitude="1e400"), format="json"
    )
    assert window.status_code == 400
    assert WorkOrder.objects.count() == 0


def test_nul_and_huge_input_on_the_public_page(unit, settings):
    settings.REPAIR_RATE_LIMIT = 50
    settings.REPAIR_UNIT_RATE_LIMIT = 50
    page = f"/p/repair/{unit.public_token}/"
    good = {
        "contact_name": "孙女士",
        "contact_phone": "13600136000",
        "address": "上海市浦东新区世纪大道 100 号",
        "description": "漏水",
        "label_code": verification_code(unit),
    }
    client = Client()
    for name in ("contact_name", "address", "description", "label_code", "phone_code"):
        answer = client.post(page, {**good, name: "A\u0000B"})
        assert answer.status_code == 400, name  # refused before the view (core.middleware)
        assert name in answer.content.decode(), name
    huge = client.post(page, {**good, "description": "长" * 100_000, "contact_name": "x" * 5000})
    assert huge.status_code == 400
    assert {"description", "contact_name"} <= set(huge.context["form"].errors)
    window = client.post(page, {**good, "window_date": "99999-01-01"})
    assert window.status_code == 400
    assert WorkOrder.objects.count() == 0
    assert client.post(page, good).status_code == 302
    assert WorkOrder.objects.count() == 1
