"""The agent console's search: each kind of text, scope per role, masking, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from unitrace.parties.models import Party
from unitrace.service.models import WorkOrder
from unitrace.service.search import (
    CODE,
    MAX_QUERY,
    NAME,
    NUMBER,
    PHONE,
    SearchRefused,
    classify,
    search,
)
from unitrace.service.workorders import Intake, open_work_order, transition

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _sold(sku, warehouse, holder, serial: str):
    return f.UnitFactory(
        serial=serial,
        sku=sku,
        registered=NOW - timedelta(days=40),
        history=[
            f.received(warehouse, when=NOW - timedelta(days=39)),
            f.delivered(holder, when=NOW - timedelta(days=30)),
        ],
    )


@pytest.fixture
def world(sku, warehouse, customer, make_user):
    """张三 (C1, 13812341234) holds SRCH-0001 and SRCH-0002 with an open work order on
    the first; 王伟明 (C2) holds ABC-100, whose open work order is an engineer's job
    given to a service partner; SRCH-0003 is in stock."""
    other = f.CustomerFactory(code="C2", name="王伟明", phone="13900005678")
    partner = f.PartyFactory(kind=Party.Kind.SERVICE_PARTNER, code="SP1", name="杭州快修")
    one = _sold(sku, warehouse, customer, "SRCH-0001")
    _sold(sku, warehouse, customer, "SRCH-0002")
    f.UnitFactory(serial="SRCH-0003", sku=sku, history=[f.received(warehouse)])
    abc = _sold(sku, warehouse, other, "ABC-100")
    wo_one = open_work_order(
        Intake(
            unit=one,
            contact_name="张三",
            contact_phone="13812341234",
            address="浙江省杭州市西湖区文三路 100 号",
        ),
        channel="agent",
    )
    engineer = make_user("engineer", "eng")
    wo_abc = open_work_order(
        Intake(
            unit=abc,
            contact_name="王伟明",
            contact_phone="13900005678",
            address="浙江省杭州市西湖区文三路 1 号",
        ),
        channel="agent",
    )
    transition(wo_abc, "assign", user=make_user("supervisor", "sup"), assignee=engineer)
    WorkOrder.objects.filter(pk=wo_abc.pk).update(partner=partner)
    return {
        "customer": customer,
        "other": other,
        "partner": partner,
        "engineer": engineer,
        "wo_one": wo_one,
        "wo_abc": wo_abc,
        "agent": make_user("agent", "agent"),
        "quality": make_user("quality", "quality"),
    }


def serials(result) -> list[str]:
    return [u.serial for u in result.units]


def numbers(result) -> list[str]:
    return [w.number for w in result.work_orders]


def every_number(result) -> list[str]:
    """Each work order wherever it is listed (under a unit, a customer or on its own)."""
    units = [*result.units, *(u for c in result.customers for u in c.units)]
    return sorted(
        [
            *numbers(result),
            *(w.number for u in units for w in u.work_orders),
            *(w.number for c in result.customers for w in c.work_orders),
        ]
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("WO-20261207-000123", NUMBER),
        ("wo20261207000123", NUMBER),
        ("138 1234 1234", PHONE),
        ("5678", PHONE),
        ("0571-88886666", PHONE),
        ("SRCH-00", CODE),
        ("(01)06901234567892(21)A1", CODE),
        ("https://example.com/u/abcdefgh1234/", CODE),
        ("张三", NAME),
        ("John Smith", NAME),
    ],
)
def test_classify(text, kind):
    assert classify(text) == kind


def test_a_whole_serial_finds_the_unit_its_holder_and_its_open_work_order(world):
    result = search(world["agent"], "SRCH-0001")
    assert serials(result) == ["SRCH-0001"]
    unit = result.units[0]
    assert unit.holder_name == "张三" and unit.holder_id == world["customer"].pk
    assert [w.number for w in unit.work_orders] == [world["wo_one"].number]
    assert result.single_url == f"/units/{unit.id}/"


def test_a_serial_typed_in_lower_case_finds_it(world):
    assert serials(search(world["agent"], "srch-0001")) == ["SRCH-0001"]


def test_a_partial_serial_lists_the_units_it_begins(world):
    result = search(world["agent"], "srch-00")
    assert serials(result) == ["SRCH-0001", "SRCH-0002", "SRCH-0003"]
    assert result.single_url is None


def test_a_common_prefix_gives_the_first_serials_in_order(world, sku, warehouse):
    # more units share the prefix than are shown: the first ones in serial order come,
    # however the rows lie in the table (inserted out of order here)
    for n in (17, 3, 25, 9, 11, 1, 30, 22, 5, 14):
        f.UnitFactory(serial=f"LOT7-{n:03d}", sku=sku, history=[f.received(warehouse)])
    f.UnitFactory(serial="LOT8-000", sku=sku, history=[f.received(warehouse)])
    result = search(world["agent"], "lot7-", limit=4)
    assert serials(result) == ["LOT7-001", "LOT7-003", "LOT7-005", "LOT7-009"]
    assert serials(search(world["agent"], "LOT7-03", limit=4)) == ["LOT7-030"]


def test_the_end_of_a_serial_is_not_searched_anywhere_in_it(world):
    # "0001" is four digits (a phone's tail): it is never looked for inside serials
    result = search(world["agent"], "0001")
    assert serials(result) == []


def test_a_whole_phone_finds_the_customer_with_units_and_open_work_orders(world):
    result = search(world["agent"], "138-1234-1234")
    assert [c.customer.code for c in result.customers] == ["C1"]
    found = result.customers[0]
    assert sorted(u.serial for u in found.units) == ["SRCH-0001", "SRCH-0002"]
    # found by the customer and by its contact phone, listed once: under its unit
    unit = next(u for u in found.units if u.serial == "SRCH-0001")
    assert [w.number for w in unit.work_orders] == [world["wo_one"].number]
    assert every_number(result) == [world["wo_one"].number]
    assert found.customer.phone == "13812341234"
    assert result.single_url == f"/customers/{world['customer'].pk}/units/"


def test_an_open_work_order_without_a_unit_shows_under_its_customer(world):
    loose = open_work_order(
        Intake(
            serial_given="NOT-REGISTERED",
            contact_name="张三",
            contact_phone="13812341234",
            address="浙江省杭州市西湖区文三路 100 号",
        ),
        channel="agent",
    )
    WorkOrder.objects.filter(pk=loose.pk).update(customer=world["customer"])
    found = search(world["agent"], "13812341234").customers[0]
    assert [w.number for w in found.work_orders] == [loose.number]
    assert [w.number for w in search(world["agent"], "NOT-REGISTERED").work_orders] == [
        loose.number
    ]


def test_the_last_four_digits_find_the_customer_and_the_work_order(world):
    result = search(world["agent"], "5678")
    assert [c.customer.code for c in result.customers] == ["C2"]
    assert every_number(result) == [world["wo_abc"].number]
    assert search(world["agent"], "+86 139 0000 5678").customers[0].customer.code == "C2"


def test_a_name_finds_the_customer_from_its_beginning(world):
    result = search(world["agent"], "王伟")
    assert [c.customer.code for c in result.customers] == ["C2"]
    assert [u.serial for u in result.customers[0].units] == ["ABC-100"]


def test_a_work_order_number_finds_it_with_or_without_dashes(world):
    number = world["wo_one"].number
    assert numbers(search(world["agent"], number)) == [number]
    assert numbers(search(world["agent"], number.replace("-", "").lower())) == [number]
    assert numbers(search(world["agent"], "WO-20000101-999999")) == []


def test_a_role_without_pii_sees_names_and_phones_masked(world):
    result = search(world["quality"], "SRCH-0001")
    unit = result.units[0]
    assert unit.holder_name == "张*"
    wo = unit.work_orders[0]
    assert wo.contact_name == "张*" and wo.contact_phone == "138****1234"
    by_name = search(world["quality"], "张三")
    assert [c.customer.name for c in by_name.customers] == ["张*"]
    assert by_name.customers[0].customer.phone == "138****1234"


def test_digits_without_pii_find_neither_customers_nor_work_orders(world):
    result = search(world["quality"], "13812341234")
    assert result.customers == [] and result.work_orders == []
    assert result.notice  # the refusal is said, not hidden


def test_an_engineer_sees_only_the_work_orders_assigned_to_it(world):
    engineer = world["engineer"]
    assert numbers(search(engineer, world["wo_one"].number)) == []
    assert numbers(search(engineer, world["wo_abc"].number)) == [world["wo_abc"].number]
    unit = search(engineer, "SRCH-0001").units[0]
    assert unit.work_orders == []
    assert [w.number for w in search(engineer, "ABC-100").units[0].work_orders] == [
        world["wo_abc"].number
    ]


def test_a_service_partner_sees_its_own_work_orders_and_no_customer(world):
    login = f.UserFactory(role="distributor", username="sp", party=world["partner"])
    assert numbers(search(login, world["wo_abc"].number)) == [world["wo_abc"].number]
    assert numbers(search(login, world["wo_one"].number)) == []
    assert search(login, "王伟").customers == []
    assert search(login, "SRCH-0001").units == []  # not a unit of its scope


def test_a_login_without_a_role_finds_nothing(world):
    nobody = f.UserFactory(username="nobody")
    for text in ("SRCH-0001", "13812341234", "张三", world["wo_one"].number):
        assert search(nobody, text).count == 0


@pytest.mark.parametrize("text", ["", "   ", "!!!", "%_%", "' OR 1=1 --", "😀😀", "\x1d\x1d"])
def test_garbage_is_answered_with_nothing(world, text):
    assert search(world["agent"], text).count == 0


@pytest.mark.parametrize("text", ["SRCH\x00", "a\x01b", "x" * (MAX_QUERY + 1)])
def test_nul_control_characters_and_long_text_are_refused_by_name(world, text):
    with pytest.raises(SearchRefused) as refused:
        search(world["agent"], text)
    assert refused.value.field == "q"


def test_a_search_reads_a_bounded_number_of_queries(world):
    search(world["agent"], "SRCH")  # the login's permissions are read once, then cached
    with CaptureQueriesContext(connection) as by_phone:
        search(world["agent"], "13812341234")
    with CaptureQueriesContext(connection) as by_serial:
        search(world["agent"], "SRCH-00")

    # a fixed handful of reads whatever the number of hits (plus the audit of the read)
    def reads(queries):
        return [q for q in queries if q["sql"].startswith("SELECT")]

    assert len(reads(by_phone)) <= 9 and len(reads(by_serial)) <= 7


def test_no_unit_is_searched_with_an_unanchored_pattern(world):
    for text in ("SRCH-00", "0001", "王伟明", "13812341234"):
        with CaptureQueriesContext(connection) as queries:
            search(world["agent"], text)
        unit_sql = [q["sql"] for q in queries if 'FROM "serials_unit"' in q["sql"]]
        assert unit_sql and not any("LIKE '%" in sql or "LIKE %" in sql for sql in unit_sql)


# ---- the page and the API ------------------------------------------------------------


def test_the_page_needs_a_login_and_a_role(world, client, login):
    response = client.get("/service/search/?q=SRCH")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(None).get("/service/search/?q=SRCH").status_code == 403


def test_the_page_lists_matches_and_enter_opens_the_single_one(world, login):
    client = login("agent", "agent")
    page = client.get("/service/search/", {"q": "srch-00"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "SRCH-0001" in html and "SRCH-0003" in html and "autofocus" in html
    single = client.get("/service/search/", {"q": "SRCH-0002"})
    assert single.status_code == 302 and single["Location"].startswith("/units/")


def test_htmx_gets_the_results_partial_and_no_redirect(world, login):
    client = login("agent", "agent")
    partial = client.get("/service/search/", {"q": "SRCH-0002"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    html = partial.content.decode()
    assert "SRCH-0002" in html and "<html" not in html


def test_the_page_answers_bad_input_in_the_page(world, login):
    client = login("agent", "agent")
    page = client.get("/service/search/", {"q": "y" * 500})
    assert page.status_code == 200
    assert 'role="alert"' in page.content.decode()
    # control characters are refused for every page before the view (core.middleware)
    refused = client.get("/service/search/", {"q": "SRCH\x00"})
    assert refused.status_code == 400 and b"'q'" in refused.content


def test_the_page_masks_for_a_role_without_pii(world, login):
    html = login("quality", "quality").get("/service/search/", {"q": "SRCH-00"}).content
    html = html.decode()
    assert "张*" in html and "张三" not in html and "13812341234" not in html


def test_the_api_answers_the_same_search(world, api):
    client = api("agent", "agent")
    body = client.get("/api/v1/service-search/", {"q": "138 1234 1234"}).json()
    assert body["kind"] == PHONE
    assert [c["customer"]["code"] for c in body["customers"]] == ["C1"]
    units = body["customers"][0]["units"]
    assert {u["serial"] for u in units} == {"SRCH-0001", "SRCH-0002"}
    nested = [w["number"] for u in units for w in u["work_orders"]]
    assert nested == [world["wo_one"].number] and body["work_orders"] == []


def test_the_api_masks_and_scopes(world, api):
    body = api("quality", "quality").get("/api/v1/service-search/", {"q": "SRCH-0001"}).json()
    assert body["units"][0]["holder_name"] == "张*"
    assert body["units"][0]["work_orders"][0]["contact_phone"] == "138****1234"
    engineer = f.token_client(world["engineer"])
    body = engineer.get("/api/v1/service-search/", {"q": world["wo_one"].number}).json()
    assert body["work_orders"] == []


def test_the_api_refuses_without_a_role_or_login(world, api, no_role_api):
    assert api(None).get("/api/v1/service-search/", {"q": "SRCH"}).status_code in (401, 403)
    assert no_role_api.get("/api/v1/service-search/", {"q": "SRCH"}).status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "SRCH\x00"}, "q"),
        ({"q": "a\x01b"}, "q"),
        ({"q": "z" * (MAX_QUERY + 1)}, "q"),
        ({"q": ""}, "q"),
        ({}, "q"),
        ({"q": "SRCH", "limit": "0"}, "limit"),
        ({"q": "SRCH", "limit": "99999999999999999999"}, "limit"),
    ],
)
def test_the_api_refuses_bad_input_by_field(world, api, params, field):
    response = api("agent", "agent").get("/api/v1/service-search/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field or field in str(body)


# ---- PostgreSQL: the indexes the search relies on, and input that reaches the database --


@pytest.mark.postgres_only
def test_on_postgresql_a_name_is_found_anywhere_in_it(world):
    result = search(world["agent"], "伟明")  # no trigram in two characters: prefix only
    assert result.customers == []
    world["other"].name = "杭州王伟明电器"
    world["other"].is_company = True
    world["other"].save()
    found = search(world["agent"], "王伟明")
    assert [c.customer.code for c in found.customers] == ["C2"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'party_customer_name_trgm'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "text",
    ["SRCH\x1d0001", "%", "_", "\\", "9" * 40, "WO-99999999-" + "9" * 30, "(21)" + "A" * 190],
)
def test_on_postgresql_odd_input_is_answered_cleanly(world, api, text):
    response = api("agent", "agent").get("/api/v1/service-search/", {"q": text})
    assert response.status_code == 200
    assert response.json()["query"] == text


@pytest.mark.postgres_only
def test_on_postgresql_nul_is_refused_by_name(world, api):
    response = api("agent", "agent").get("/api/v1/service-search/", {"q": "SRCH\x00"})
    assert response.status_code == 400 and response.json()["field"] == "q"
