"""The divisions API: search and resolve, signed-in users only, bad input a clear 400.

Runs on SQLite and, with PG_TEST_URL, on PostgreSQL."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_by_name(no_role_api):
    response = no_role_api.get("/api/v1/divisions/", {"q": "杭州"})
    assert response.status_code == 200, response.content
    first = response.json()["results"][0]
    assert first["code"] == "330100" and first["level"] == "city"
    assert first["parent"] == "330000" and first["name"] == "杭州市"
    assert 29 < first["latitude"] < 31 and 119 < first["longitude"] < 121


def test_search_inside_a_parent_and_level(no_role_api):
    response = no_role_api.get(
        "/api/v1/divisions/", {"parent": "3301", "level": "district", "limit": 100}
    )
    codes = [d["code"] for d in response.json()["results"]]
    assert "330106" in codes and all(c.startswith("3301") for c in codes)


def test_resolve(no_role_api):
    response = no_role_api.get("/api/v1/divisions/resolve/", {"address": "浙江杭州西湖区文三路"})
    assert response.status_code == 200
    body = response.json()
    assert body["adcode"] == "330106" and body["resolved"] and body["street"] == "文三路"
    ambiguous = no_role_api.get("/api/v1/divisions/resolve/", {"address": "朝阳区"}).json()
    assert not ambiguous["resolved"] and ambiguous["ambiguous"]
    assert set(ambiguous["candidates"]) == {"110105", "220104"}


def test_anonymous_is_refused(api):
    client = api(None)
    assert client.get("/api/v1/divisions/", {"q": "杭州"}).status_code in (401, 403)
    assert client.get("/api/v1/divisions/resolve/", {"address": "杭州"}).status_code in (401, 403)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/divisions/resolve/", {"address": "浙江\x00杭州"}, "address"),
        ("/api/v1/divisions/resolve/", {"address": "浙" * 10_000}, "address"),
        ("/api/v1/divisions/resolve/", {}, "address"),
        ("/api/v1/divisions/resolve/", {"province": "x" * 31}, "province"),
        ("/api/v1/divisions/", {"q": "杭\x00州"}, "q"),
        ("/api/v1/divisions/", {"q": "杭" * 10_000}, "q"),
        ("/api/v1/divisions/", {"parent": "abc"}, "parent"),
        ("/api/v1/divisions/", {"level": "planet"}, "level"),
        ("/api/v1/divisions/", {"limit": "100000000000"}, "limit"),
    ],
)
def test_bad_input_is_a_clear_400(no_role_api, path, params, field):
    response = no_role_api.get(path, params)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field


def test_documented_in_the_schema(no_role_api):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "/api/v1/divisions/" in paths and "/api/v1/divisions/resolve/" in paths
    params = {p["name"] for p in paths["/api/v1/divisions/resolve/"]["get"]["parameters"]}
    assert {"address", "province", "city", "district"} <= params
