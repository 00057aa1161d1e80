"""A stocktake in a real browser: a keyboard-wedge scanner firing faster than the server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from unitrace.accounts.services import create_user, sync_roles
from unitrace.catalog.models import SKU
from unitrace.inventory.models import Stocktake, StocktakeLine
from unitrace.places.models import Bin, Warehouse
from unitrace.serials.ledger import EventData, record_many
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.statuses import EventType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "clerk-pw-2026!"
SERIALS = [f"BST{i:04d}" for i in range(25)]


@pytest.fixture
def shelf(live_db):
    sync_roles()  # the live server's database is flushed between tests
    sku = SKU.objects.create(code="AC-100", name="空调室内机", serial_pattern="AC{SEQ:6}")
    warehouse = Warehouse.objects.create(code="HQ", name="总仓", level=Warehouse.Level.HQ)
    bins = [Bin.objects.create(warehouse=warehouse, code=code) for code in ("A1", "A2")]
    register_units(sku, [NewUnit(s) for s in SERIALS], when=timezone.now() - timedelta(days=1))
    ids = list(Unit.objects.values_list("pk", flat=True))
    record_many(ids, EventData(EventType.RECEIVED, warehouse=warehouse, bin=bins[0]))
    create_user("clerk", PASSWORD, "warehouse")
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
    page.click("nav.mainnav >> text=Stocktakes")
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
