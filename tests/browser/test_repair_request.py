"""A customer on a phone scans the label, asks for a repair with a photo, follows it."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.authenticity.codes import format_code, verification_code
from unitrace.service.models import FaultCategory, FaultCode, WorkOrder
from unitrace.service.tests.photos import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)
DESKTOP = (1280, 900)
SHOTS = Path(os.environ.get("UNITRACE_SHOTS", "var/shots"))


@pytest.fixture
def unit(live_db, settings):
    settings.REPAIR_RATE_LIMIT = 50
    settings.REPAIR_UNIT_RATE_LIMIT = 50
    sku = f.SKUFactory(code="AC-100", name="空调室内机", warranty_months=24)
    warehouse = f.WarehouseFactory()
    customer = f.CustomerFactory(name="周建国")
    start = timezone.now() - timedelta(days=30)
    category = FaultCategory.objects.create(code="COOL", name_zh="制冷", name_en="Cooling")
    FaultCode.objects.create(category=category, code="E1", name_zh="不制冷", name_en="Not cooling")
    return f.UnitFactory(
        sku=sku,
        serial="AC2601000042",
        registered=start,
        history=[
            f.received(warehouse, when=start + timedelta(days=1)),
            f.delivered(customer, when=start + timedelta(days=2)),
        ],
    )


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_customer_files_a_repair_from_the_label_and_follows_it(
    new_page, live_server, unit, tmp_path
):
    page = new_page(*PHONE)
    page.goto(f"{live_server.url}/u/{unit.public_token}/")
    assert page.locator("#repair-button").is_visible()
    shot(page, "label_page_phone")
    page.click("#repair-button")
    assert page.inner_text("#unit-serial") == "AC2601000042"
    assert "周建国" not in page.content()
    assert fits_the_screen(page)
    shot(page, "repair_phone")

    # sent with gaps: every problem is said next to its field, nothing is opened
    page.fill("#id_contact_phone", "1390000")
    page.click("#repair-submit")
    page.wait_for_selector("#repair-errors")
    assert page.locator(".field-error").count() >= 4
    assert WorkOrder.objects.count() == 0
    assert fits_the_screen(page)
    shot(page, "repair_errors_phone")

    # a large photo is shrunk on the phone before it is sent
    big = tmp_path / "fault.jpg"
    big.write_bytes(jpeg(size=(4000, 3000)))
    page.fill("#id_contact_name", "周先生")
    page.fill("#id_contact_phone", "13912345678")
    page.fill("#id_address", "浙江省杭州市西湖区文三路 1 号")
    page.select_option("#id_fault_code", label="Not cooling")
    page.fill("#id_description", "开机后不制冷")
    page.set_input_files("#id_photos", str(big))
    page.wait_for_selector("[data-photo-list] li")
    assert "fault.jpg" in page.inner_text("[data-photo-list]")
    page.fill("#id_label_code", format_code(verification_code(unit)))
    page.click("#repair-submit")
    page.wait_for_selector("#repair-received")
    wo = WorkOrder.objects.get()
    attachment = wo.attachments.get()
    assert max(attachment.width, attachment.height) <= 2048
    assert page.inner_text("#ticket-number") == wo.number
    assert "139****5678" in page.inner_text("#repair-contact")
    assert "13912345678" not in page.content()
    assert fits_the_screen(page)
    shot(page, "repair_confirmation_phone")

    # the link, opened later: the progress page
    follow = new_page(*PHONE)
    follow.goto(f"{live_server.url}/r/{wo.public_token}/")
    assert "Received" in follow.inner_text("#repair-state")
    shot(follow, "repair_progress_phone")
    wide = new_page(*DESKTOP)
    wide.goto(f"{live_server.url}/p/repair/{unit.public_token}/")
    shot(wide, "repair_desktop")
    wide.goto(f"{live_server.url}/r/{wo.public_token}/")
    shot(wide, "repair_progress_desktop")


def test_without_the_label_code_a_code_comes_by_sms(new_page, live_server, unit, settings):
    import re

    from unitrace.core import notify

    settings.UNITRACE_TEXT_SENDER = "unitrace.core.notify.MemorySender"
    notify.outbox.clear()
    page = new_page(*PHONE)
    page.goto(f"{live_server.url}/p/repair/{unit.public_token}/")
    page.fill("#id_contact_name", "吴女士")
    page.fill("#id_contact_phone", "13812345678")
    page.fill("#id_address", "上海市浦东新区世纪大道 100 号")
    page.fill("#id_description", "漏水")
    page.click("#send-code")
    page.wait_for_selector("#code-sent")
    assert "138****5678" in page.inner_text("#code-sent")
    assert page.input_value("#id_address") == "上海市浦东新区世纪大道 100 号"
    assert fits_the_screen(page)
    shot(page, "repair_code_sent_phone")
    code = re.search(r"\b(\d{6})\b", notify.outbox[-1][1]).group(1)
    page.fill("#id_phone_code", code)
    page.click("#repair-submit")
    page.wait_for_selector("#repair-received")
    assert WorkOrder.objects.get().flags.filter(code="label_unverified").exists()
