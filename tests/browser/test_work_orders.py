"""An agent opens a work order from the unit's file in a real browser (zh-Hans), sees
the duplicate guard, and a supervisor takes steps with the buttons the table allows;
screenshots of the list, the detail and the form at desktop and phone size."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.accounts.services import sync_roles
from unitrace.service.models import FaultCategory, FaultCode, WorkOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "wo-browser-2026!"
SHOTS = Path(os.environ.get("WO_SCREENSHOTS", "")) if os.environ.get("WO_SCREENSHOTS") else None


@pytest.fixture
def unit(live_db):
    sync_roles()
    now = timezone.now()
    customer = f.CustomerFactory()
    warehouse = f.WarehouseFactory()
    sku = f.SKUFactory(code="AC-100", name="空调室内机", warranty_months=24)
    category = FaultCategory.objects.create(code="COOL", name_zh="制冷", name_en="Cooling")
    FaultCode.objects.create(category=category, code="E1", name_zh="不制冷", name_en="No cooling")
    noise = FaultCategory.objects.create(code="NOISE", name_zh="噪音", name_en="Noise")
    FaultCode.objects.create(category=noise, code="N1", name_zh="异响", name_en="Rattle")
    f.UserFactory(role="agent", username="agent1", password=PASSWORD)
    f.UserFactory(role="supervisor", username="boss", password=PASSWORD)
    return f.UnitFactory(
        serial="SN-WO-0001",
        sku=sku,
        registered=now - timedelta(days=60),
        history=[
            f.received(warehouse, when=now - timedelta(days=59)),
            f.delivered(customer, when=now - timedelta(days=30)),
        ],
    )


def zh_page(browser, width: int, height: int):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": width, "height": height},
        extra_http_headers={"Accept-Language": "zh-Hans"},
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action*=login] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def shot(page, name: str) -> None:
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_agent_opens_a_work_order_from_the_unit_file(browser, live_server, unit):
    context, page = zh_page(browser, 1280, 900)
    log_in(page, live_server, "agent1")
    page.goto(f"{live_server.url}/units/{unit.pk}/")
    page.click("#new-work-order")
    page.wait_for_url("**/service/work-orders/new/?unit=*")
    assert page.input_value("#id_serial") == "SN-WO-0001"
    assert page.input_value("#id_contact_phone") == "13812341234"
    page.select_option("#id_fault_code", "E1")
    page.fill("#id_description", "开机十分钟后不制冷，外机不转")
    shot(page, "create-desktop")
    page.click("#work-order-form button[type=submit]")
    page.wait_for_url("**/service/work-orders/*/")
    wo = WorkOrder.objects.get()
    assert wo.channel == "agent" and wo.unit_id == unit.pk
    assert page.inner_text("#wo-number") == wo.number
    # the unit's file lists it, and a second intake meets the duplicate guard
    page.goto(f"{live_server.url}/units/{unit.pk}/")
    assert wo.number in page.inner_text("#unit-work-orders")
    page.click("#new-work-order")
    page.locator("#duplicates").wait_for()
    assert wo.number in page.inner_text("#duplicates")
    page.click("#work-order-form button[type=submit]")
    page.locator("#id_allow_duplicate").wait_for()
    assert WorkOrder.objects.count() == 1
    context.close()


def test_supervisor_steps_through_the_buttons(browser, live_server, unit):
    from unitrace.service.workorders import Intake, open_work_order

    wo = open_work_order(
        Intake(
            contact_name="张三",
            contact_phone="13812341234",
            address="浙江省杭州市西湖区文三路 100 号",
            unit=unit,
            fault_code=FaultCode.objects.get(code="E1"),
            priority="urgent",
            description="不制冷",
        ),
        channel="agent",
    )
    for i in range(3):
        open_work_order(
            Intake(
                contact_name=f"客户{i}",
                contact_phone=f"1390000000{i}",
                address="上海市浦东新区世纪大道 100 号",
                serial_given=f"UNKNOWN-{i}",
            ),
            channel="public_page",
        )
    f.UserFactory(role="engineer", username="eng1", password=PASSWORD)
    context, page = zh_page(browser, 1280, 900)
    log_in(page, live_server, "boss")
    page.goto(f"{live_server.url}/service/work-orders/?state=open")
    page.locator("#work-orders").wait_for()
    shot(page, "list-desktop")
    page.click(f"text={wo.number}")
    page.wait_for_url(f"**/service/work-orders/{wo.pk}/")
    page.select_option("#id_assignee", "eng1")
    page.click("#wo-assign button[type=submit]")
    page.wait_for_url(f"**/service/work-orders/{wo.pk}/")
    page.locator("form[data-action=accept]").wait_for()
    wo.refresh_from_db()
    assert wo.state == "assigned" and wo.assignee.username == "eng1"
    assert page.inner_text("#wo-state") == "已派单"
    page.click("form[data-action=accept] button")
    page.locator("form[data-action=arrive]").wait_for()
    wo.refresh_from_db()
    assert wo.state == "accepted"
    shot(page, "detail-desktop")
    context.close()

    context, phone = zh_page(browser, 390, 844)
    log_in(phone, live_server, "boss")
    phone.goto(f"{live_server.url}/service/work-orders/")
    shot(phone, "list-phone")
    phone.goto(f"{live_server.url}/service/work-orders/{wo.pk}/")
    shot(phone, "detail-phone")
    phone.goto(f"{live_server.url}/service/work-orders/new/?unit={unit.pk}")
    shot(phone, "create-phone")
    context.close()
