"""The work-order API: list with the page's filters and scope, detail, create on the
``api`` channel, transitions and their refusals in the one error body."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.parties.models import Party
from unitrace.service.models import FaultCategory, FaultCode, WorkOrder
from unitrace.service.states import State
from unitrace.service.workorders import Intake, open_work_order, transition

pytestmark = pytest.mark.django_db
NOW = timezone.now()
URL = "/api/v1/work-orders/"


@pytest.fixture
def sold_unit(sku, warehouse, customer):
    return f.UnitFactory(
        serial="API1",
        sku=sku,
        registered=NOW - timedelta(days=40),
        history=[
            f.received(warehouse, when=NOW - timedelta(days=39)),
            f.delivered(customer, when=NOW - timedelta(days=30)),
        ],
    )


@pytest.fixture
def fault(db):
    category = FaultCategory.objects.create(code="COOL", name_zh="制冷", name_en="Cooling")
    return FaultCode.objects.create(category=category, code="E1", name_zh="不制冷")


BODY = {
    "serial": "API1",
    "contact_name": "李四",
    "contact_phone": "13700137000",
    "address": "浙江省杭州市西湖区文三路 9 号",
    "fault_code": "E1",
    "priority": "urgent",
}


def test_create_on_the_api_channel_with_entitlement_and_duplicate_guard(sold_unit, fault, api):
    client = api("agent")
    response = client.post(URL, BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "new" and body["channel"] == "api" and body["priority"] == "urgent"
    assert body["unit"]["serial"] == "API1" and body["entitlement"]["covered"] is True
    assert body["fault_code"]["code"] == "E1"
    assert body["actions"] == ["wait_customer", "cancel"]  # an agent does not dispatch
    again = client.post(URL, BODY, format="json")
    assert again.status_code == 409
    error = again.json()
    assert error["code"] == "duplicate_open_work_order"
    assert error["meta"]["open_work_orders"] == [body["number"]]
    third = client.post(URL, {**BODY, "allow_duplicate": True}, format="json")
    assert third.status_code == 201
    assert WorkOrder.objects.filter(channel="api").count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "contact_phone": "12"}, "contact_phone"),
        ({**BODY, "contact_name": "x" * 101}, "contact_name"),
        ({**BODY, "contact_name": "a\x00b"}, "contact_name"),
        ({**BODY, "priority": "asap"}, "priority"),
        ({**BODY, "window_start": "1900-01-01T00:00:00"}, "window_start"),
        ({**BODY, "window_start": "2026-02-30T10:00:00"}, "window_start"),
        ({**BODY, "fault_code": "NOPE"}, "fault_code"),
        ({**BODY, "customer": "NOPE"}, "customer"),
        ({**BODY, "adcode": "999999"}, "adcode"),
        ({**BODY, "address": ""}, "address"),
    ],
)
def test_bad_input_names_the_field(sold_unit, fault, api, body, field):
    response = api("agent").post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()
    assert error["code"] == "invalid"
    assert field in {row["field"] for row in error["rows"]} or error["field"] == field
    assert not WorkOrder.objects.exists()


def test_create_needs_the_permission(sold_unit, fault, api):
    for role in ("dispatcher", "engineer", "auditor", "distributor"):
        assert api(role).post(URL, BODY, format="json").status_code == 403
    assert not WorkOrder.objects.exists()


@pytest.fixture
def order(sold_unit, fault):
    return open_work_order(
        Intake(
            contact_name="李四",
            contact_phone="13700137000",
            address="浙江省杭州市西湖区文三路 9 号",
            unit=sold_unit,
            fault_code=fault,
        ),
        channel="agent",
    )


def test_transition_and_refusal(order, api, make_user):
    engineer = make_user("engineer", "eng-api")
    sup = api("supervisor")
    url = f"{URL}{order.pk}/transition/"
    assigned = sup.post(url, {"action": "assign", "assignee": "eng-api"}, format="json")
    assert assigned.status_code == 200 and assigned.json()["state"] == "assigned"
    refused = sup.post(url, {"action": "close"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "illegal_transition"
    assert refused.json()["field"] == "action"
    no_reason = sup.post(url, {"action": "cancel"}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    unknown = sup.post(url, {"action": "fly"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["field"] == "action"
    eng = f.token_client(engineer)
    accepted = eng.post(url, {"action": "accept"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    # an engineer may not cancel
    assert eng.post(url, {"action": "cancel", "reason": "x"}, format="json").status_code == 403
    order.refresh_from_db()
    assert order.state == State.ACCEPTED


def test_engineer_rejecting_gets_an_answer_not_a_500(order, make_user):
    engineer = make_user("engineer", "eng-r")
    transition(order, "assign", assignee=engineer)
    eng = f.token_client(engineer)
    response = eng.post(
        f"{URL}{order.pk}/transition/", {"action": "reject", "reason": "太远"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "new"
    assert eng.get(f"{URL}{order.pk}/").status_code == 404


def test_list_scope_filters_and_masking(order, sold_unit, api, make_user):
    other = open_work_order(
        Intake(
            contact_name="赵六",
            contact_phone="13600136000",
            address="上海市浦东新区世纪大道 1 号",
            serial_given="X-1",
        ),
        channel="public_page",
    )
    sup = api("supervisor")
    numbers = {r["number"] for r in sup.get(URL).json()["results"]}
    assert numbers == {order.number, other.number}
    assert [r["number"] for r in sup.get(URL, {"region": "31"}).json()["results"]] == [other.number]
    bad = sup.get(URL, {"region": "99"})
    assert bad.status_code == 400 and bad.json()["field"] == "region"
    assert sup.get(URL, {"opened_from": "2026-02-30"}).status_code == 400
    auditor = api("auditor").get(f"{URL}{order.pk}/").json()
    assert auditor["contact_phone"] == "137****7000" and "文三路" not in auditor["address"]
    assert auditor["actions"] == []
    eng = api("engineer", "eng-l")
    assert eng.get(URL).json()["results"] == []
    assert eng.get(f"{URL}{order.pk}/").status_code == 404
    partner = f.PartyFactory(kind=Party.Kind.SERVICE_PARTNER, code="SPA")
    WorkOrder.objects.filter(pk=other.pk).update(partner=partner)
    scoped = f.token_client(f.UserFactory(role="distributor", username="spa", party=partner))
    assert [r["number"] for r in scoped.get(URL).json()["results"]] == [other.number]
    assert scoped.get(f"{URL}{order.pk}/").status_code == 404


def test_no_role_and_anonymous_are_refused(order, api, no_role_api):
    assert api(None).get(URL).status_code == 401
    assert no_role_api.get(URL).status_code == 403
    assert no_role_api.post(f"{URL}{order.pk}/transition/", {"action": "accept"}).status_code == 403
    assert api("warehouse").get(f"{URL}{order.pk}/").status_code == 403


def test_bad_ids(order, api):
    sup = api("supervisor")
    assert sup.get(f"{URL}{2**70}/").status_code == 404
    assert sup.post(f"{URL}{2**70}/transition/", {"action": "accept"}).status_code == 404
    assert sup.get(f"{URL}999999/").status_code == 404
