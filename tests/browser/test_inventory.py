"""A stocktake in a real browser: a keyboard-wedge scanner firing faster than the server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from tests.browser.navigation import nav_to
from unitrace.accounts.services import sync_roles
from unitrace.inventory.models import Stocktake, StocktakeLine
from unitrace.serials.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "clerk-pw-2026!"
SERIALS = [f"BST{i:04d}" for i in range(25)]


@pytest.fixture
def shelf(live_db):
    sync_roles()  # the live server's database is flushed between tests
    sku = f.SKUFactory(code="AC-100", name="空调室内机", serial_pattern="AC{SEQ:6}")
    warehouse = f.WarehouseFactory()
    bins = [f.BinFactory(warehouse=warehouse, code=code) for code in ("A1", "A2")]
    f.units_in_stock(
        sku, SERIALS, warehouse, bin=bins[0], registered=timezone.now() - timedelta(days=1)
    )
    f.UserFactory(role="warehouse", username="clerk", password=PASSWORD)
    return warehouse


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{live_server.url}/")


def fire(page, code: str) -> None:
    """What a wedge scanner does: type the code at full speed, then Enter, no pause."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_burst_of_scans_loses_nothing_and_counts_repeats_once(new_page, live_server, shelf):
    page = new_page()
    log_in(page, live_server)
    nav_to(page, "Stocktakes")
    page.fill("input[name=warehouse]", "HQ")
    page.click("text=Open and start counting")
    page.wait_for_url("**/inventory/stocktakes/*/")
    page.wait_for_selector("#scan-input:focus")
    count = Stocktake.objects.get()
    assert count.book_count == 25

    # 1. the shelf label switches the bin; the unit scans that follow count in A2
    fire(page, "A2")
    page.locator("#scan-result:has-text('Now counting bin A2')").wait_for()
    assert page.input_value("#current-bin") == "A2"

    # 2. twenty scans and three repeats without waiting for a single answer
    for code in [*SERIALS[:20], SERIALS[0], SERIALS[1], SERIALS[2]]:
        fire(page, code)
    page.locator("#count-figures #scans:text-is('23')").wait_for(timeout=20_000)
    assert page.inner_text("#counted") == "20" and page.inner_text("#duplicates") == "3"
    assert page.input_value("#scan-input") == ""
    assert page.evaluate("document.activeElement.id") == "scan-input"
    count.refresh_from_db()
    assert (count.counted_count, count.duplicate_count, count.scan_count) == (20, 3, 23)
    counted = StocktakeLine.objects.filter(stocktake=count, counted_at__isnull=False)
    assert counted.count() == 20
    assert set(counted.values_list("counted_bin__code", flat=True)) == {"A2"}

    # 3. the report proposes the adjustments; closing posts them
    page.click("text=Report and close")
    page.wait_for_url("**/report/")
    assert page.inner_text("#n-missing") == "5" and page.inner_text("#n-misplaced") == "20"
    page.fill("#id_reason", "月度盘点")
    page.click("text=Close and post adjustments")
    page.locator(".messages:has-text('Stocktake closed.')").wait_for()
    assert Unit.objects.filter(status="missing").count() == 5
    assert Unit.objects.filter(bin__code="A2").count() == 20
