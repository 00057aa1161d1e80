"""Work-order pages: who may open them, what they show, the buttons the transition
table allows, the duplicate guard, filters, saved views and the export."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests import factories as f
from unitrace.parties.models import Party
from unitrace.service.models import (
    FaultCategory,
    FaultCode,
    SavedView,
    WorkOrder,
    WorkOrderFlag,
)
from unitrace.service.states import ACTIONS, State, actions_from
from unitrace.service.workorders import Intake, open_work_order, transition

pytestmark = pytest.mark.django_db
NOW = timezone.now()
LIST = "/service/work-orders/"


@pytest.fixture
def sold_unit(sku, warehouse, customer):
    return f.UnitFactory(
        serial="PG1",
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
    FaultCode.objects.create(category=category, code="E2", name_zh="漏水", name_en="Leaking")
    return FaultCode.objects.create(
        category=category, code="E1", name_zh="不制冷", name_en="Not cooling"
    )


@pytest.fixture
def partner(db):
    return f.PartyFactory(kind=Party.Kind.SERVICE_PARTNER, code="SP1", name="杭州服务商")


def intake(**kw) -> Intake:
    base = {
        "contact_name": "王先生",
        "contact_phone": "13800138000",
        "address": "浙江省杭州市西湖区文三路 1 号",
    }
    return Intake(**{**base, **kw})


@pytest.fixture
def order(sold_unit, fault):
    return open_work_order(intake(unit=sold_unit, fault_code=fault), channel="agent")


def test_pages_ask_for_a_login_and_a_role(order, login, client):
    for url in (LIST, f"{LIST}{order.pk}/", f"{LIST}new/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for role in (None, "warehouse", "sales", "procurement"):
        c = login(role, f"u-{role}")
        assert c.get(LIST).status_code == 403
        assert c.get(f"{LIST}{order.pk}/").status_code == 403


@pytest.mark.parametrize(
    "role", ["agent", "dispatcher", "supervisor", "manager", "quality", "auditor"]
)
def test_staff_roles_read_list_and_detail(order, login, role):
    c = login(role)
    page = c.get(LIST)
    assert page.status_code == 200 and order.number in page.content.decode()
    detail = c.get(f"{LIST}{order.pk}/")
    assert detail.status_code == 200
    assert order.number in detail.content.decode()


@pytest.mark.parametrize("role", ["manager", "quality", "auditor"])
def test_read_only_roles_get_no_buttons_and_no_new_form(order, login, role):
    c = login(role)
    html = c.get(f"{LIST}{order.pk}/").content.decode()
    assert 'name="action"' not in html and "wo-assign" not in html
    assert c.get(f"{LIST}new/").status_code == 403
    assert (
        c.post(f"{LIST}{order.pk}/transition/", {"action": "cancel", "reason": "x"}).status_code
        == 403
    )
    order.refresh_from_db()
    assert order.state == State.NEW


def test_personal_data_masked_for_roles_without_pii(order, login):
    html = login("auditor").get(f"{LIST}{order.pk}/").content.decode()
    assert "13800138000" not in html and "138****8000" in html
    assert "王*" in html and "文三路" not in html
    listing = login("quality", "q2").get(LIST).content.decode()
    assert "13800138000" not in listing
    full = login("agent").get(f"{LIST}{order.pk}/").content.decode()
    assert "13800138000" in full and "文三路" in full


def test_an_engineer_sees_only_the_orders_assigned_to_them(order, sold_unit, login, make_user):
    mine = make_user("engineer", "eng-a")
    other = make_user("engineer", "eng-b")
    transition(order, "assign", assignee=other)
    c = login("engineer", "eng-a")
    assert c.get(f"{LIST}{order.pk}/").status_code == 404
    assert order.number not in c.get(LIST).content.decode()
    second = open_work_order(intake(unit=sold_unit), channel="agent", allow_duplicate=True)
    transition(second, "assign", assignee=mine)
    assert c.get(f"{LIST}{second.pk}/").status_code == 200
    listed = c.get(LIST).content.decode()
    assert second.number in listed and order.number not in listed


def test_a_partner_sees_only_its_own(order, partner, login):
    c = login("distributor", "sp-user", party=partner)
    assert c.get(f"{LIST}{order.pk}/").status_code == 404
    WorkOrder.objects.filter(pk=order.pk).update(partner=partner)
    assert c.get(f"{LIST}{order.pk}/").status_code == 200
    other = f.PartyFactory(kind=Party.Kind.SERVICE_PARTNER, code="SP2")
    assert (
        login("distributor", "sp2-user", party=other).get(f"{LIST}{order.pk}/").status_code == 404
    )


def test_bad_ids_are_404(order, login):
    c = login("agent")
    assert c.get(f"{LIST}999999/").status_code == 404
    assert c.get(f"{LIST}{2**64}/").status_code == 404
    assert c.get(f"{LIST}new/?unit=abc").status_code == 404
    assert c.get(f"{LIST}new/?unit={2**70}").status_code == 404


def _buttons(html: str) -> set[str]:
    return set(re.findall(r'name="action" value="(\w+)"', html))


@pytest.mark.parametrize(
    "steps",
    [[], ["accept"], ["accept", "arrive"], ["accept", "arrive", "resolve"]],
)
def test_buttons_are_exactly_the_allowed_transitions(order, login, make_user, steps):
    engineer = make_user("engineer", "eng-x")
    transition(order, "assign", assignee=engineer)
    for step in steps:
        transition(order, step, user=engineer)
    order.refresh_from_db()
    supervisor_html = login("supervisor").get(f"{LIST}{order.pk}/").content.decode()
    expected = {a.name for a in actions_from(order.state) if not a.needs_assignee}
    assert _buttons(supervisor_html) == expected
    assert ('name="assignee"' in supervisor_html) == (
        "assign" in {a.name for a in actions_from(order.state)}
    )
    # the engineer's own buttons: the work steps, not closing or cancelling
    eng_html = login("engineer", "eng-x").get(f"{LIST}{order.pk}/").content.decode()
    assert not _buttons(eng_html) & {"cancel", "close", "reopen"}
    assert _buttons(eng_html) <= expected


def test_a_transition_from_the_page_and_a_refusal(order, login):
    c = login("supervisor")
    response = c.post(f"{LIST}{order.pk}/transition/", {"action": "cancel", "reason": ""})
    assert response.status_code == 400
    assert "Say why" in response.content.decode() or "原因" in response.content.decode()
    response = c.post(f"{LIST}{order.pk}/transition/", {"action": "close"})
    assert response.status_code == 409
    order.refresh_from_db()
    assert order.state == State.NEW
    response = c.post(f"{LIST}{order.pk}/transition/", {"action": "cancel", "reason": "客户取消"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == State.CANCELLED and order.cancel_reason == "客户取消"
    assert order.transitions.last().actor.username == "supervisor-user"


def test_htmx_refusal_swaps_in_the_reason(order, login):
    c = login("supervisor")
    response = c.post(
        f"{LIST}{order.pk}/transition/", {"action": "resolve"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="wo-actions"' in html and 'id="wo-problem"' in html
    ok = c.post(
        f"{LIST}{order.pk}/transition/",
        {"action": "wait_customer", "reason": "不在家"},
        HTTP_HX_REQUEST="true",
    )
    assert ok["HX-Redirect"] == f"{LIST}{order.pk}/"
    order.refresh_from_db()
    assert order.state == State.WAITING_CUSTOMER


def test_unknown_action_and_nul_bytes_are_refused(order, login):
    c = login("supervisor")
    assert c.post(f"{LIST}{order.pk}/transition/", {"action": "explode"}).status_code == 400
    assert c.post(f"{LIST}{order.pk}/transition/", {"action": "cancel\x00"}).status_code == 400
    long = c.post(f"{LIST}{order.pk}/transition/", {"action": "cancel", "reason": "x" * 301})
    assert long.status_code == 400
    order.refresh_from_db()
    assert order.state == State.NEW


def test_dispatcher_assigns_an_engineer_and_a_partner(order, partner, login, make_user):
    make_user("engineer", "eng-d")
    c = login("dispatcher")
    response = c.post(f"{LIST}{order.pk}/assign/", {"assignee": "eng-d", "partner": "SP1"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == State.ASSIGNED and order.assignee.username == "eng-d"
    assert order.partner == partner
    bad = c.post(f"{LIST}{order.pk}/assign/", {"assignee": "nobody-here", "partner": ""})
    assert bad.status_code == 400
    # an agent may not dispatch
    assert (
        login("agent").post(f"{LIST}{order.pk}/assign/", {"assignee": "eng-d"}).status_code == 403
    )


def test_fault_code_corrected_at_diagnosis(order, login):
    c = login("dispatcher")
    assert c.post(f"{LIST}{order.pk}/fault/", {"fault_code": "E2"}).status_code == 302
    order.refresh_from_db()
    assert order.fault_code.code == "E2" and order.reported_fault.code == "E1"
    assert c.post(f"{LIST}{order.pk}/fault/", {"fault_code": "NOPE"}).status_code == 400


def test_mail_in_shipping_both_ways(sold_unit, login):
    wo = open_work_order(intake(unit=sold_unit, mode="mail_in", address=""), channel="agent")
    c = login("agent")
    response = c.post(
        f"{LIST}{wo.pk}/shipping/",
        {
            "courier_in": "顺丰",
            "tracking_in": "SF123",
            "courier_out": "京东",
            "tracking_out": "JD9",
        },
    )
    assert response.status_code == 302
    wo.refresh_from_db()
    assert (wo.courier_in, wo.tracking_in, wo.courier_out, wo.tracking_out) == (
        "顺丰",
        "SF123",
        "京东",
        "JD9",
    )
    assert c.post(f"{LIST}{wo.pk}/shipping/", {"tracking_in": "x" * 61}).status_code == 400


def test_shipping_refused_for_an_on_site_order(order, login):
    response = login("agent").post(f"{LIST}{order.pk}/shipping/", {"courier_in": "顺丰"})
    assert response.status_code == 409
    order.refresh_from_db()
    assert order.courier_in == ""


def test_detail_shows_unit_entitlement_and_flags_in_the_readers_language(order, login, settings):
    WorkOrderFlag.objects.create(
        work_order=order,
        code=WorkOrderFlag.Code.UNKNOWN_SERIAL,
        message="stored text",
        details={"serial": "XYZ9"},
        raised_at=NOW,
    )
    c = login("agent")
    html = c.get(f"{LIST}{order.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="unit-file-link"' in html and f"/units/{order.unit_id}/" in html
    assert "No unit has the serial XYZ9." in html and "stored text" not in html
    assert "Covered" in html or "保修" in html
    zh = c.get(f"{LIST}{order.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert order.number in zh


def test_describe_falls_back_to_the_stored_message(order):
    from unitrace.service.flags import describe

    flag = WorkOrderFlag.objects.create(
        work_order=order, code=WorkOrderFlag.Code.LABEL_CLONED, message="克隆", raised_at=NOW
    )
    assert describe(flag) == "克隆"


def test_new_work_order_prefilled_from_the_unit(sold_unit, fault, login):
    c = login("agent")
    html = c.get(f"{LIST}new/?unit={sold_unit.pk}").content.decode()
    assert 'value="PG1"' in html and 'value="C1"' in html and "13812341234" in html
    assert "<optgroup" in html and "E1" in html
    response = c.post(
        f"{LIST}new/",
        {
            "serial": "PG1",
            "customer": "C1",
            "contact_name": "张三",
            "contact_phone": "13812341234",
            "address": "浙江省杭州市西湖区文三路 100 号",
            "kind": "repair",
            "priority": "high",
            "mode": "on_site",
            "fault_code": "E1",
        },
    )
    assert response.status_code == 302
    wo = WorkOrder.objects.get()
    assert wo.channel == "agent" and wo.unit == sold_unit and wo.priority == "high"
    assert wo.created_by.username == "agent-user" and wo.fault_code == fault


def _agent_form(**extra) -> dict:
    return {
        "serial": "PG1",
        "contact_name": "张三",
        "contact_phone": "13812341234",
        "address": "浙江省杭州市西湖区文三路 100 号",
        "kind": "repair",
        "priority": "normal",
        "mode": "on_site",
        **extra,
    }


def test_the_agent_attaches_photos_when_opening(sold_unit, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from unitrace.service.tests.photos import heic, jpeg

    photos = [
        SimpleUploadedFile("front.jpg", jpeg(size=(3000, 2000), gps=True), "image/jpeg"),
        SimpleUploadedFile("label.heic", heic(), "image/heic"),
    ]
    response = login("agent").post(f"{LIST}new/", _agent_form(photos=photos))
    assert response.status_code == 302
    wo = WorkOrder.objects.get()
    stored = list(wo.attachments.order_by("id"))
    assert [a.original_name for a in stored] == ["front.jpg", "label.heic"]
    assert all(a.content_type == "image/jpeg" for a in stored)
    assert max(stored[0].width, stored[0].height) <= 2048


def test_one_bad_photo_refuses_the_work_order_and_stores_nothing(sold_unit, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from unitrace.service.models import WorkOrderAttachment
    from unitrace.service.tests.photos import jpeg

    photos = [
        SimpleUploadedFile("good.jpg", jpeg(), "image/jpeg"),
        SimpleUploadedFile("notes.txt", b"not a picture", "text/plain"),
    ]
    response = login("agent").post(f"{LIST}new/", _agent_form(photos=photos))
    assert response.status_code == 400
    assert "Photo 2 (notes.txt)" in response.context["form"].errors["photos"][0]
    # checked whole before anything is written (files: test_repair_api's photo tests)
    assert not WorkOrder.objects.exists() and not WorkOrderAttachment.objects.exists()


def test_duplicate_guard_on_the_form(order, sold_unit, login):
    c = login("agent")
    html = c.get(f"{LIST}new/?unit={sold_unit.pk}").content.decode()
    assert 'id="duplicates"' in html and order.number in html
    data = {
        "serial": "PG1",
        "contact_name": "张三",
        "contact_phone": "13812341234",
        "address": "浙江省杭州市西湖区文三路 100 号",
        "kind": "repair",
        "priority": "normal",
        "mode": "on_site",
    }
    refused = c.post(f"{LIST}new/", data)
    assert refused.status_code == 400 and order.number in refused.content.decode()
    assert WorkOrder.objects.count() == 1
    assert c.post(f"{LIST}new/", {**data, "allow_duplicate": "on"}).status_code == 302
    assert WorkOrder.objects.count() == 2


def test_new_form_names_each_bad_field(login, fault):
    response = login("agent").post(
        f"{LIST}new/",
        {
            "contact_name": "",
            "contact_phone": "12",
            "kind": "repair",
            "priority": "asap",
            "mode": "on_site",
            "window_start": "2026-13-45T10:00",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"contact_name", "priority", "window_start"} <= set(errors)
    assert not WorkOrder.objects.exists()


@pytest.fixture
def many(sold_unit, fault, partner, customer, sku, warehouse):
    other = f.UnitFactory(
        serial="PG2", sku=sku, history=[f.received(warehouse), f.delivered(customer)]
    )
    a = open_work_order(
        intake(unit=sold_unit, fault_code=fault, priority="urgent"), channel="agent"
    )
    b = open_work_order(
        intake(unit=other, address="上海市浦东新区世纪大道 100 号", contact_phone="13900001111"),
        channel="api",
        when=NOW - timedelta(days=10),
    )
    c = open_work_order(
        intake(serial_given="NOPE", address="北京市朝阳区建国路 1 号", kind="repair"),
        channel="public_page",
        when=NOW - timedelta(days=3),
    )
    WorkOrder.objects.filter(pk=b.pk).update(partner=partner)
    transition(c, "cancel", reason="重复")
    return a, b, c


def _numbers(response) -> set[str]:
    return {r["wo"].number for r in response.context["rows"]}


def test_filters_return_the_right_rows(many, login):
    a, b, c = many
    cl = login("supervisor")
    assert _numbers(cl.get(LIST)) == {a.number, b.number, c.number}
    assert _numbers(cl.get(LIST, {"state": "open"})) == {a.number, b.number}
    assert _numbers(cl.get(LIST, {"state": "cancelled"})) == {c.number}
    assert _numbers(cl.get(LIST, {"priority": "urgent"})) == {a.number}
    assert _numbers(cl.get(LIST, {"channel": "api"})) == {b.number}
    assert _numbers(cl.get(LIST, {"region": "33"})) == {a.number}
    assert _numbers(cl.get(LIST, {"region": "310115"})) == {b.number}
    assert _numbers(cl.get(LIST, {"partner": "SP1"})) == {b.number}
    assert _numbers(cl.get(LIST, {"fault": "E1"})) == {a.number}
    assert _numbers(cl.get(LIST, {"category": "COOL"})) == {a.number}
    assert _numbers(cl.get(LIST, {"flagged": "yes"})) >= {c.number}
    assert a.number not in _numbers(cl.get(LIST, {"flagged": "yes"})) or a.flag_count
    day = timezone.localdate(NOW - timedelta(days=10)).isoformat()
    assert _numbers(cl.get(LIST, {"opened_from": day, "opened_to": day})) == {b.number}
    assert _numbers(cl.get(LIST, {"q": b.number})) == {b.number}
    assert _numbers(cl.get(LIST, {"q": "PG2"})) == {b.number}
    assert _numbers(cl.get(LIST, {"q": "13900001111"})) == {b.number}
    assert _numbers(cl.get(LIST, {"q": "1111"})) == {b.number}
    assert _numbers(cl.get(LIST, {"q": "NOPE"})) == {c.number}


def test_phone_search_needs_personal_data_rights(many, login):
    _a, b, _c = many
    assert _numbers(login("auditor").get(LIST, {"q": "13900001111"})) == set()
    assert _numbers(login("agent").get(LIST, {"q": "13900001111"})) == {b.number}


@pytest.mark.parametrize(
    "params",
    [
        {"region": "99"},
        {"region": "abc"},
        {"opened_from": "2026-02-30"},
        {"opened_from": "1900-01-01"},
        {"state": "exploded"},
        {"partner": "NOPE"},
        {"opened_from": "2026-05-02", "opened_to": "2026-05-01"},
    ],
)
def test_bad_filters_are_named_and_give_no_rows(many, login, params):
    response = login("supervisor").get(LIST, params)
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert response.context["filters"].errors


@pytest.mark.parametrize("params", [{"fault": "x\x00"}, {"q": "a\x00b"}, {"region": "\x00"}])
def test_nul_bytes_in_filters_are_a_400(many, login, params):
    assert login("supervisor").get(LIST, params).status_code == 400


def test_sorting(many, login):
    a, b, c = many
    cl = login("supervisor")
    opened = [r["wo"].number for r in cl.get(LIST, {"sort": "opened"}).context["rows"]]
    assert opened == [b.number, c.number, a.number]
    newest = [r["wo"].number for r in cl.get(LIST).context["rows"]]
    assert newest == [a.number, c.number, b.number]
    prio = [r["wo"].number for r in cl.get(LIST, {"sort": "priority"}).context["rows"]]
    assert prio[0] == a.number


def test_count_is_capped(many, login, monkeypatch):
    from unitrace.service import filters

    assert filters.capped_count(WorkOrder.objects.all(), cap=2) == (2, True)
    assert filters.capped_count(WorkOrder.objects.all(), cap=3) == (3, False)


def test_saved_views_own_and_shared(many, login, make_user):
    _a, b, _c = many
    cl = login("supervisor")
    response = cl.post(f"{LIST}views/", {"name": "上海待办", "state": "open", "region": "31"})
    assert response.status_code == 302
    view = SavedView.objects.get()
    assert view.params == {"state": "open", "region": "31"} and not view.shared
    assert "上海待办" in cl.get(LIST).content.decode()
    # another login does not see a private view
    agent = login("agent", "agent-2")
    assert "上海待办" not in agent.get(LIST).content.decode()
    # nor may delete it
    assert agent.post(f"{LIST}views/{view.pk}/delete/").status_code == 404
    cl = login("supervisor")
    cl.post(f"{LIST}views/", {"name": "上海待办", "state": "open", "region": "31", "shared": "on"})
    view.refresh_from_db()
    assert view.shared
    agent = login("agent", "agent-2")
    html = agent.get(LIST).content.decode()
    assert "上海待办" in html
    applied = agent.get(LIST, view.params)
    assert _numbers(applied) == {b.number}
    # a shared view gives the viewer's scope, not the owner's
    eng = login("engineer", "eng-v")
    assert _numbers(eng.get(LIST, view.params)) == set()
    cl = login("supervisor")
    assert cl.post(f"{LIST}views/{view.pk}/delete/").status_code == 302
    assert not SavedView.objects.exists()


def test_saved_view_name_is_checked(login, many):
    cl = login("supervisor")
    cl.post(f"{LIST}views/", {"name": "x" * 61, "state": "open"})
    cl.post(f"{LIST}views/", {"name": "a\x00b", "state": "open"})
    cl.post(f"{LIST}views/", {"name": "", "state": "open"})
    assert not SavedView.objects.exists()


def test_export_has_the_filtered_rows_masked(many, login):
    a, b, _c = many
    response = login("auditor").get(
        "/jobs/exports/work-orders/", {"state": "open", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    numbers = {r[0] for r in rows[1:]}
    assert numbers == {a.number, b.number}
    flat = " ".join(str(v) for r in rows for v in r if v is not None)
    assert "13900001111" not in flat and "139****1111" in flat
    full = login("supervisor").get("/jobs/exports/work-orders/", {"format": "xlsx", "region": "31"})
    rows = list(load_workbook(io.BytesIO(full.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [b.number] and "13900001111" in {r[11] for r in rows[1:]}


def test_export_refuses_bad_filters_and_engineers(many, login):
    assert (
        login("supervisor").get("/jobs/exports/work-orders/", {"region": "99"}).status_code == 400
    )
    assert login("engineer").get("/jobs/exports/work-orders/").status_code == 403


def test_large_export_runs_as_a_job(many, login, settings):
    settings.UNITRACE_EXPORT_JOB_ROWS = 1
    response = login("supervisor").get("/jobs/exports/work-orders/", {"format": "xlsx"})
    assert response.status_code == 302 and "/jobs/" in response["Location"]


def test_every_table_action_has_a_label():
    assert all(str(a.label) for a in ACTIONS.values())
