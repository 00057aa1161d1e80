"""A repair from the label to the agent: the customer files it on a phone with a photo,
the agent finds it by the customer's phone number, reads entitlement and flags, opens the
work order, and the unit's file shows it."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.accounts.services import sync_roles
from unitrace.authenticity.codes import format_code, verification_code
from unitrace.service.models import FaultCategory, FaultCode, WorkOrder
from unitrace.service.tests.photos import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)
DESKTOP = (1280, 900)
PASSWORD = "agent-pw-2026!"
SHOTS = os.environ.get("UNITRACE_SHOTS", "")


@pytest.fixture
def unit(live_db, settings):
    sync_roles()  # the live server's database is flushed between tests
    settings.REPAIR_RATE_LIMIT = 50
    settings.REPAIR_UNIT_RATE_LIMIT = 50
    sku = f.SKUFactory(code="AC-100", name="空调室内机", warranty_months=24)
    warehouse = f.WarehouseFactory()
    customer = f.CustomerFactory(name="周建国")  # on record in 浙江省杭州市
    start = timezone.now() - timedelta(days=30)
    category = FaultCategory.objects.create(code="COOL", name_zh="制冷", name_en="Cooling")
    FaultCode.objects.create(category=category, code="E1", name_zh="不制冷", name_en="Not cooling")
    f.UserFactory(role="agent", username="agent", password=PASSWORD)
    return f.UnitFactory(
        sku=sku,
        serial="AC2601000077",
        registered=start,
        history=[
            f.received(warehouse, when=start + timedelta(days=1)),
            f.delivered(customer, when=start + timedelta(days=2)),
        ],
    )


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_from_the_label_to_the_agent_and_the_unit_file(new_page, live_server, unit, tmp_path):
    # the customer, on a phone, from the label's QR code
    phone = new_page(*PHONE)
    phone.goto(f"{live_server.url}/u/{unit.public_token}/")
    phone.click("#repair-button")
    assert phone.inner_text("#unit-serial") == "AC2601000077"
    photo = tmp_path / "fault.jpg"
    photo.write_bytes(jpeg(size=(3000, 2000)))
    phone.fill("#id_contact_name", "周先生")
    phone.fill("#id_contact_phone", "13912345678")
    phone.fill("#id_address", "广东省深圳市南山区科技园 8 号")  # not where the unit was sold
    phone.select_option("#id_fault_code", label="Not cooling")
    phone.fill("#id_description", "开机后不制冷")
    phone.set_input_files("#id_photos", str(photo))
    phone.wait_for_selector("[data-photo-list] li")
    phone.fill("#id_label_code", format_code(verification_code(unit)))
    phone.click("#repair-submit")
    phone.wait_for_selector("#repair-received")
    wo = WorkOrder.objects.get()
    assert phone.inner_text("#ticket-number") == wo.number
    assert wo.channel == "public_page" and wo.attachments.count() == 1
    shot(phone, "journey-1-customer")

    # the agent, at a desk, finds it by the number the customer called from
    desk = new_page(*DESKTOP)
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.fill("#id_username", "agent")
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]:has-text('Log in')")
    desk.wait_for_url(f"{live_server.url}/")
    desk.goto(f"{live_server.url}/service/search/")
    desk.locator("#agent-search-input").press_sequentially("13912345678", delay=20)
    hit = desk.locator("#agent-search-results .search-wo a", has_text=wo.number)
    hit.first.wait_for()
    shot(desk, "journey-2-search")
    hit.first.click()
    desk.wait_for_url(f"{live_server.url}/service/work-orders/{wo.pk}/")

    # entitlement and flags, as intake computed them
    assert desk.inner_text("#wo-number") == wo.number
    entitlement = desk.inner_text("#wo-entitlement")
    assert wo.covered is True
    assert "Covered" in entitlement and "ends 20" in entitlement
    flags = desk.inner_text("#wo-flags")
    assert "广东省深圳市" in flags and "浙江" in flags  # the site is outside the sale's region
    assert desk.locator("#wo-attachments-title .count").inner_text() == "1"
    shot(desk, "journey-3-work-order")

    # the unit's file lists the work order, linked back
    desk.click("#unit-file-link")
    desk.wait_for_selector(f"a:has-text('{wo.number}')")
    shot(desk, "journey-4-unit-file")
    desk.click(f"a:has-text('{wo.number}')")
    desk.wait_for_url(f"{live_server.url}/service/work-orders/{wo.pk}/")
