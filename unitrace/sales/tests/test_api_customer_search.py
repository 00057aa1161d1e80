"""GET /api/v1/customers/search/: the customer search page's rules over the API."""

from __future__ import annotations

import pytest
import yaml

from tests import factories as f
from unitrace.core.models import ChangeLog

pytestmark = pytest.mark.django_db

URL = "/api/v1/customers/search/"


@pytest.fixture
def customers(db):
    return [
        f.CustomerFactory(),  # 张三 C1 13812341234
        f.CustomerFactory(code="C2", name="张伟", phone="13900005678"),
        f.CustomerFactory(code="C3", name="李四", phone="0571-88881234"),
    ]


def test_by_name_finds_the_beginning_of_the_name(api, customers):
    response = api("sales").get(URL, {"q": "张"})
    assert response.status_code == 200
    hits = response.json()["results"]
    assert [h["code"] for h in hits] == ["C1", "C2"]
    assert hits[0] == {
        "id": customers[0].pk,
        "code": "C1",
        "name": "张三",
        "phone": "13812341234",
        "region": "浙江省/杭州市/西湖区",
        "is_company": False,
    }


def test_by_the_last_four_digits_with_permission_to_see_phones(api, customers):
    hits = api("sales").get(URL, {"q": "1234"}).json()["results"]
    assert sorted(h["code"] for h in hits) == ["C1", "C3"]


def test_digits_without_pii_are_refused_in_the_one_error_shape(api, customers):
    response = api("auditor").get(URL, {"q": "138 1234 1234"})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "pii_required"
    assert "search by the customer's name instead" in body["detail"]
    assert set(body) >= {"code", "detail", "field", "rows"}


def test_names_and_phones_are_masked_without_pii(api, customers):
    hits = api("auditor").get(URL, {"q": "张三"}).json()["results"]
    assert len(hits) == 1
    assert hits[0]["name"] == "张*" and hits[0]["phone"] != "13812341234"
    assert "1234" in hits[0]["phone"] and "*" in hits[0]["phone"]


def test_a_distributor_login_finds_no_customers(distributor, distributor_api, customers):
    response = distributor_api(distributor).get(URL, {"q": "张"})
    assert response.status_code == 403 or response.json()["results"] == []


def test_without_permission_to_see_customers_it_is_403(no_role_api, customers):
    response = no_role_api.get(URL, {"q": "张"})
    assert response.status_code == 403
    assert set(response.json()) >= {"code", "detail", "field", "rows"}


def test_not_signed_in_is_401(api, customers):
    assert api(None).get(URL, {"q": "张"}).status_code == 401


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "张", "limit": "0"}, "limit"),
        ({"q": "张", "limit": "51"}, "limit"),
        ({"q": "张", "limit": "abc"}, "limit"),
    ],
)
def test_bad_queries_are_400_naming_the_field(api, customers, params, field):
    response = api("sales").get(URL, params)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_limit_caps_the_results(api, customers):
    hits = api("sales").get(URL, {"q": "张", "limit": "1"}).json()["results"]
    assert [h["code"] for h in hits] == ["C1"]


def test_an_unmasked_read_is_recorded(api, customers):
    api("sales").get(URL, {"q": "张"})
    entries = ChangeLog.objects.filter(object_type="parties.party")
    assert any((e.after or {}).get("what") == "search:customers" for e in entries)


def test_the_search_is_in_the_openapi_schema(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    operation = schema["paths"]["/api/v1/customers/search/"]["get"]
    params = {p["name"] for p in operation["parameters"]}
    assert {"q", "limit"} <= params
    assert "403" in operation["responses"] and "200" in operation["responses"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    hit = schema["components"]["schemas"][ok.rsplit("/", 1)[1]]
    assert "results" in hit["properties"]
