"""The agent console in a browser: results as one types, Enter opens the one match."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.accounts.services import sync_roles
from unitrace.service.workorders import Intake, open_work_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "agent-pw-2026!"
SHOTS = os.environ.get("UNITRACE_SHOTS", "")  # a folder to keep screenshots in


@pytest.fixture
def calls(live_db):
    sync_roles()  # the live server's database is flushed between tests
    now = timezone.now()
    sku = f.SKUFactory(aircon=True)
    warehouse = f.WarehouseFactory()
    caller = f.CustomerFactory()
    units = []
    for serial in ("AC-7001", "AC-7002"):
        units.append(
            f.UnitFactory(
                serial=serial,
                sku=sku,
                registered=now - timedelta(days=40),
                history=[
                    f.received(warehouse, when=now - timedelta(days=39)),
                    f.delivered(caller, when=now - timedelta(days=30)),
                ],
            )
        )
    open_work_order(
        Intake(
            unit=units[0],
            contact_name="张三",
            contact_phone="13812341234",
            address="浙江省杭州市西湖区文三路 100 号",
            description="不制冷",
        ),
        channel="agent",
    )
    f.UserFactory(role="agent", username="agent", password=PASSWORD)
    return units


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "agent")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize("size", [(390, 844), (1280, 900)])
def test_an_agent_finds_a_caller_by_the_last_four_digits(new_page, live_server, calls, size):
    page = new_page(*size)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/service/search/")
    box = page.locator("#agent-search-input")
    assert box.evaluate("el => document.activeElement === el")  # autofocused
    box.press_sequentially("1234", delay=30)
    results = page.locator("#agent-search-results")
    results.locator(".search-customer").first.wait_for()
    text = results.inner_text()
    assert "张三" in text and "AC-7001" in text and "AC-7002" in text
    assert results.locator(".search-wo").count() >= 1
    scroll, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, "the results scroll sideways"
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"agent-search-{size[0]}.png"), full_page=True)


def test_a_scanned_serial_and_enter_open_the_unit_file(new_page, live_server, calls):
    page = new_page(1280, 900)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/service/search/")
    page.wait_for_function("document.activeElement.id === 'agent-search-input'")
    page.locator("h1").click()  # the focus is elsewhere when the gun reads the label
    page.keyboard.type("AC-7002")  # a keyboard-wedge scanner types, then sends Enter
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/units/{calls[1].pk}/")
    assert "AC-7002" in page.content()


def test_a_partial_serial_lists_the_candidates(new_page, live_server, calls):
    page = new_page(390, 844)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/service/search/?q=ac-70")
    units = page.locator("#agent-search-results .search-unit")
    assert units.count() == 2
    # the arrow keys walk the results' titles in order (a unit, its open work order,
    # the next unit), from the box on
    titles = [
        t.strip() for t in page.locator("#agent-search-results a.hit-title").all_inner_texts()
    ]
    assert titles[0] == "AC-7001" and "AC-7002" in titles and len(titles) >= 3
    walked = []
    for _ in titles:
        page.keyboard.press("ArrowDown")
        walked.append(page.evaluate("document.activeElement.textContent").strip())
    assert walked == titles
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.textContent").strip() == titles[-2]
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "agent-search-partial-390.png"), full_page=True)
