"""No input gives a 500, on SQLite and on PostgreSQL: the root checks and their guards.

Each case was a 500 before: nested JSON (``RecursionError``), a non-numeric id
(``ValueError``), a NUL character (PostgreSQL's ``DataError``), a moment in the year 1
(``OverflowError``), a nested item missing a key (``KeyError``), a huge ``limit`` or
quantity (``integer out of range``). Every answer is 400 or 404 in the one error body.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.test import APIClient

from tests import factories as f
from unitrace.core import parsers as core_parsers
from unitrace.core.fields import INTEGER, MomentField

pytestmark = pytest.mark.django_db
SHAPE = {"code", "detail", "field", "rows"}
DEEP = "[" * 1000 + "]" * 1000
T0 = timezone.now() - timedelta(days=30)


def error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) - {"meta"} == SHAPE
    return body


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


# --- JSON nested 1,000 levels deep -------------------------------------------------------


@pytest.mark.parametrize(
    "url, role",
    [("/api/v1/verify/", None), ("/api/v1/auth/token/", None), ("/api/v1/sales-orders/", "sales")],
)
def test_deeply_nested_json_is_a_parse_error(api, url, role):
    client = api(role) if role else APIClient()
    response = client.post(url, DEEP, content_type="application/json")
    assert error(response, 400)["code"] == "parse_error"
    nested = '{"a":' * 1000 + "1" + "}" * 1000
    assert error(client.post(url, nested, content_type="application/json"), 400)["code"] == (
        "parse_error"
    )


def test_depth_is_counted_outside_strings_and_configurable(settings):
    assert core_parsers.json_depth('{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert core_parsers.json_depth('"\\"[["') == 0
    settings.API_JSON_MAX_DEPTH = 2
    client = APIClient()
    assert error(client.post("/api/v1/verify/", [[[1]]], format="json"), 400)["code"] == (
        "parse_error"
    )


def test_every_api_view_parses_with_the_core_parsers():
    """A view listing DRF's own parsers would bring the recursion (and the NUL) back."""
    allowed = {core_parsers.JSONParser, core_parsers.FormParser, core_parsers.MultiPartParser}
    checked = 0
    for route, pattern in walk(get_resolver().url_patterns):
        view = pattern.callback
        cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
        if not route.startswith("api/") or cls is None or not hasattr(cls, "parser_classes"):
            continue
        initkwargs = getattr(view, "initkwargs", {}) or {}
        actions = getattr(view, "actions", None) or {}
        classes = set(initkwargs.get("parser_classes") or cls.parser_classes)
        for method in actions.values():
            extra = getattr(getattr(cls, method, None), "kwargs", {}).get("parser_classes")
            classes |= set(extra or ())
        assert classes <= allowed, (route, classes - allowed)
        checked += 1
    assert checked > 40


# --- non-numeric ids ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/abc/components/",
        "/api/v1/customers/abc/",
        "/api/v1/transfers/abc/cancel/",
        "/api/v1/distributors/1.5/",
        f"/api/v1/customers/{10**30}/",
    ],
)
def test_a_non_numeric_id_is_a_404_in_the_error_body(api, url):
    client = api("admin")
    response = client.post(url, {}, format="json") if "cancel" in url else client.get(url)
    assert error(response, 404)["code"] == "not_found"


def test_every_id_in_a_url_is_a_number():
    """API routes come from the core router; pages use ``<int:pk>``; admin checks its own."""
    for route, _pattern in walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        assert "[^/.]+" not in route, route
        for name in ("pk", "id"):
            plain = route.replace(f"(?P<{name}>", "")
            assert f"<{name}>" not in plain and f"<str:{name}>" not in plain, route
            assert f"(?P<{name}>" not in route or f"(?P<{name}>\\d+)" in route, route


# --- NUL and other control characters ----------------------------------------------------


def test_nul_in_a_query_parameter_is_400_naming_it(api):
    scan = api("warehouse").get("/api/v1/scan/?code=SN%00001")
    body = error(scan, 400)
    assert body["field"] == "code" and body["rows"][0]["code"] == "control_character"
    search = api("sales").get("/api/v1/customers/?q=%00")
    assert error(search, 400)["field"] == "q"
    public = APIClient().get("/p/verify/?code=AU%00002")
    assert public.status_code == 400 and "code" in public.content.decode()


def test_nul_in_a_json_body_is_400_naming_the_field(api, warehouse):
    client = api("admin")
    transfer = client.post(
        "/api/v1/transfers/",
        {"from_warehouse": "W\u0000", "to_warehouse": warehouse.code, "serials": ["A1"]},
        format="json",
    )
    assert error(transfer, 400)["field"] == "from_warehouse"
    order = client.post(
        "/api/v1/sales-orders/",
        {"buyer": "C1", "lines": [{"sku": "AC\u0000", "quantity": 1}]},
        format="json",
    )
    body = error(order, 400)
    assert body["field"] == "lines.0.sku" and body["rows"][0]["code"] == "control_character"
    customer = client.post("/api/v1/customers/", {"name": "张\u0007三"}, format="json")
    assert error(customer, 400)["field"] == "name"
    key = client.post("/api/v1/verify/", {"code\u0000": "x"}, format="json")
    assert error(key, 400)["field"] == "code\u0000"


def test_nul_in_a_form_body_to_the_api_is_400(api, warehouse):
    response = api("admin").post(
        "/api/v1/transfers/", {"from_warehouse": "W\u0000", "to_warehouse": warehouse.code}
    )
    assert error(response, 400)["field"] == "from_warehouse"


def test_tab_newline_and_the_gs1_separator_pass(api, sku, warehouse):
    f.units_in_stock(sku, ["SN1"], warehouse, registered=T0, received=T0 + timedelta(days=1))
    response = api("warehouse").get("/api/v1/scan/", {"code": "SN1"})
    assert response.status_code == 200
    gs1 = api("warehouse").get("/api/v1/scan/", {"code": "0106901234567892\x1d21SN1"})
    assert gs1.status_code == 200  # may or may not match; never refused for the separator
    notes = api("admin").post(
        "/api/v1/customers/", {"name": "张三", "address": "一楼\n\t二号"}, format="json"
    )
    assert notes.status_code == 201, notes.json()


def test_nul_in_a_page_form_post_is_400_naming_the_field(login):
    client = login("sales")
    response = client.post("/sales/customers/new/", {"name": "张\u0000三", "phone": ""})
    assert response.status_code == 400
    assert "name" in response.content.decode()
    listed = client.get("/sales/customers/?q=%00")
    assert listed.status_code == 400


# --- moments -----------------------------------------------------------------------------


@pytest.fixture
def unit(sku, warehouse):
    return f.units_in_stock(
        sku, ["AT1"], warehouse, registered=T0, received=T0 + timedelta(days=1)
    )[0]


@pytest.mark.parametrize("suffix", ["", "components/", "where-used/"])
@pytest.mark.parametrize("raw", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "1999-12-31"])
def test_a_moment_out_of_range_is_400(api, unit, suffix, raw):
    response = api("agent").get(f"/api/v1/units/{unit.pk}/{suffix}", {"at": raw})
    assert error(response, 400)["field"] == "at"


def test_the_unit_page_refuses_a_moment_out_of_range(unit, login):
    response = login("agent").get(f"/units/{unit.pk}/", {"at": "0001-01-01"})
    assert response.status_code == 200
    assert "between 2000 and a year from now" in response.content.decode()


def test_moments_in_range_are_taken(api, unit):
    client = api("agent")
    for raw in ["2000-01-01T00:00:00", timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S")]:
        assert client.get(f"/api/v1/units/{unit.pk}/components/", {"at": raw}).status_code == 200


# --- nested input, pages, integers -------------------------------------------------------


def test_a_region_without_province_in_a_patch_is_400(api, distributor):
    response = api("sales").patch(
        f"/api/v1/distributors/{distributor.pk}/", {"regions": [{}]}, format="json"
    )
    body = error(response, 400)
    assert body["field"] == "regions.0.province" and body["rows"][0]["code"] == "required"


def test_a_huge_limit_is_clamped_to_the_page_cap(api, settings, sku):
    f.registered_units(sku, [f"L{i}" for i in range(5)])
    settings.API_MAX_PAGE_SIZE = 3
    client = api("admin")
    page = client.get("/api/v1/units/", {"limit": "99999999999999999999"})
    assert page.status_code == 200
    assert len(page.json()["results"]) == 3 and page.json()["next"]
    far = client.get("/api/v1/units/", {"offset": "99999999999999999999", "limit": "2"})
    assert far.status_code == 200 and far.json()["results"] == []
    junk = client.get("/api/v1/units/", {"limit": "-1", "offset": "x"})
    assert junk.status_code == 200 and len(junk.json()["results"]) == 3


def test_a_quantity_beyond_the_column_is_400(api, customer, sku):
    response = api("sales").post(
        "/api/v1/sales-orders/",
        {"buyer": customer.code, "lines": [{"sku": sku.code, "quantity": 10_000_000_000}]},
        format="json",
    )
    body = error(response, 400)
    assert body["field"] == "lines.0.quantity" and body["rows"][0]["code"] == "max_value"


def test_a_page_quantity_beyond_the_column_is_a_form_error(login, customer, sku):
    response = login("sales").post(
        "/sales/orders/new/",
        {
            "buyer": customer.code,
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-sku": sku.code,
            "lines-0-quantity": "10000000000",
        },
    )
    assert response.status_code == 200
    assert "2147483647" in response.content.decode().replace(",", "")


def _serializer_classes(cls=serializers.Serializer):
    for sub in cls.__subclasses__():
        yield sub
        yield from _serializer_classes(sub)


OUTPUT_ONLY = {"unitrace.core.schema.RowErrorSerializer"}  # documents the error body


def test_every_integer_input_has_a_maximum():
    """Plain serializers have no model field to take the column's range from."""
    for _route, _pattern in walk(get_resolver().url_patterns):
        pass  # resolving the URLs imports every API module and its serializers
    seen = 0
    for cls in set(_serializer_classes()):
        name = f"{cls.__module__}.{cls.__name__}"
        if not name.startswith("unitrace.") or ".tests" in name or name in OUTPUT_ONLY:
            continue
        try:
            fields = cls().fields
        except Exception:
            continue
        for field_name, field in fields.items():
            if isinstance(field, serializers.IntegerField) and not field.read_only:
                seen += 1
                assert field.max_value is not None, f"{name}.{field_name}"
                assert field.max_value <= 2**63 - 1
    assert seen >= 5
    assert INTEGER[1] == 2**31 - 1


# --- schema ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_nullable_fields_are_marked_nullable(schema):
    components = schema["components"]["schemas"]
    for name, prop in [
        ("UnitList", "holder"),
        ("UnitList", "warehouse"),
        ("UnitList", "batch"),
        ("Stocktake", "closed_by"),
        ("Suspect", "decided_by"),
    ]:
        assert components[name]["properties"][prop].get("nullable") is True, (name, prop)


def test_low_part_stock_is_documented_as_the_list_it_returns(schema, api):
    operation = schema["paths"]["/api/v1/part-stock/low/"]["get"]
    content = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert content["type"] == "array"
    response = api("admin").get("/api/v1/part-stock/low/")
    assert response.status_code == 200 and isinstance(response.json(), list)


def test_nul_in_an_uploaded_table_is_refused_naming_row_and_column(api, sku):
    """Beyond the first 4 KB a NUL does not make the file look like UTF-16."""
    rows = "".join(f"P{i},ok\n" for i in range(600))
    upload = SimpleUploadedFile("u.csv", ("序列号,备注\n" + rows + "N1,a\x00b\n").encode())
    response = api("warehouse").post(
        "/api/v1/units/import/",
        {"file": upload, "sku": sku.code, "mode": "valid-only"},
        format="multipart",
    )
    body = error(response, 400)
    assert "Row 602, column notes" in body["rows"][0]["message"]


@pytest.mark.parametrize("raw", ["0001-01-01T00:00:00", "9999-12-31T23:59:59"])
def test_a_date_time_filter_out_of_range_is_400(api, raw):
    response = api("admin").get("/api/v1/receipts/", {"opened_at__gte": raw})
    body = error(response, 400)
    assert body["field"] == "opened_at__gte" and body["rows"][0]["code"] == "out_of_range"
    fine = api("admin").get("/api/v1/receipts/", {"opened_at__gte": "2024-01-01T00:00:00"})
    assert fine.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/units/{10**30}/",
        f"/sales/orders/{10**30}/",
        f"/units/?after={10**30}",
        f"/api/v1/jobs/{10**30}/",
        f"/api/v1/part-stock/?quantity__gt={10**30}",
        "/api/v1/units/?limit=0",
    ],
)
def test_numbers_beyond_any_column_in_urls_are_no_crash(api, login, url):
    client = api("admin") if url.startswith("/api/") else login("admin")
    assert client.get(url).status_code in (200, 400, 404)


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00", "9999-12-31T23:59:59"])
def test_an_event_time_out_of_range_is_400(api, customer, sku, warehouse, when):
    f.units_in_stock(sku, ["D1"], warehouse, registered=T0, received=T0 + timedelta(days=1))
    order = f.SalesOrderFactory(buyer=customer, lines=[(sku, 1)])
    response = api("warehouse").post(
        "/api/v1/deliveries/",
        {"order": order.number, "warehouse": warehouse.code, "serials": ["D1"], "time": when},
        format="json",
    )
    body = error(response, 400)
    assert body["field"] == "time" and body["rows"][0]["code"] == "out_of_range"


def test_every_moment_input_is_bounded():
    """DRF's own DateTimeField overflows on the year 1 before any check of ours.

    Input shapes are plain serializers; the model serializers here only answer.
    """
    for _route, _pattern in walk(get_resolver().url_patterns):
        pass
    seen = 0
    for cls in set(_serializer_classes()):
        name = f"{cls.__module__}.{cls.__name__}"
        if not name.startswith("unitrace.") or ".tests" in name:
            continue
        if issubclass(cls, serializers.ModelSerializer):
            continue
        try:
            fields = cls().fields
        except Exception:
            continue
        for field_name, field in fields.items():
            if isinstance(field, serializers.DateTimeField) and not field.read_only:
                seen += 1
                assert isinstance(field, MomentField), f"{name}.{field_name}"
    assert seen >= 5
