"""Scan feedback on the transfer, stocktake and delivery pages, on a desk and a phone.

Every scan gets exactly one tone (counted through ``window.__unitraceTones``), the
page's list and figures follow each scan without a reload, and a problem is told at
the scan: a sold unit on a transfer, a stranger in a stocktake, a duplicate or a held
unit in a delivery.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.accounts.services import sync_roles
from unitrace.inventory import stocktakes, transfers
from unitrace.inventory.models import Stocktake, StocktakeLine, Transfer
from unitrace.sales.models import Delivery
from unitrace.serials import ledger
from unitrace.serials.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "floor-pw-2026!"
SIZES = [pytest.param((1366, 900), id="desk"), pytest.param((390, 844), id="phone")]
SHOTS = os.environ.get("SCAN_SHOTS", "")


@pytest.fixture
def floor(live_db):
    sync_roles()  # the live server's database is flushed between tests
    sku = f.SKUFactory(code="AC-100", name="空调室内机", serial_pattern="AC{SEQ:6}")
    hq = f.WarehouseFactory()
    regional = f.WarehouseFactory(code="R-SH", name="上海区域仓", level="regional", parent=hq)
    f.BinFactory(warehouse=hq, code="A1")
    earlier = timezone.now() - timedelta(days=2)
    f.units_in_stock(sku, ["U1", "U2", "U3", "U4"], hq, registered=earlier)
    f.units_in_stock(sku, ["FAR1"], regional, registered=earlier)
    f.UserFactory(role="warehouse", username="clerk", password=PASSWORD)
    return {"sku": sku, "hq": hq, "regional": regional}


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{live_server.url}/")


def fire(page, code: str) -> None:
    """What a wedge scanner does: type the code at full speed, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def tones(page) -> list[str]:
    return page.evaluate("window.__unitraceTones")


def wait_tones(page, n: int, timeout: float = 20.0) -> list[str]:
    """The tones once ``n`` have sounded, and a moment more: an extra one would show."""
    deadline = time.monotonic() + timeout
    while len(tones(page)) < n and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)
    return tones(page)


def shot(page, name: str, size) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{size[0]}.png", full_page=True)


@pytest.mark.parametrize("size", SIZES)
def test_transfer_list_and_count_follow_each_scan(new_page, live_server, floor, size):
    customer = f.CustomerFactory()
    sold = Unit.objects.get(serial="U4")
    event = ledger.deliver(sold, customer, ref_type="DN", ref_id="DN-20261204-0007")
    day = timezone.localtime(event.occurred_at).strftime("%m/%d/%Y")  # English short date
    transfer = transfers.create_transfer(floor["hq"], floor["regional"])
    page = new_page(*size)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/inventory/transfers/{transfer.pk}/")
    page.wait_for_selector("#scan-input:focus")
    assert page.is_disabled("#dispatch-button")

    fire(page, "U1")
    page.locator("#transfer-lines-body tr:has-text('U1')").wait_for()
    assert wait_tones(page, 1) == ["accept"]
    assert page.inner_text("#line-count") == "1"
    assert not page.locator("#no-lines").count()
    assert page.is_enabled("#dispatch-button")

    # a burst: two more, a repeat, a unit of another warehouse and a sold one
    for code in ["U2", "U3", "U1", "FAR1", "U4"]:
        fire(page, code)
    assert wait_tones(page, 6) == ["accept", "accept", "accept", "duplicate", "refuse", "refuse"]
    page.locator("#line-count:text-is('3')").wait_for()
    assert page.locator("#transfer-lines-body tr").count() == 3
    message = page.inner_text("#scan-message")
    assert message == f"Already sold to 张* on {day} (DN-20261204-0007)"
    log = page.eval_on_selector_all("#scan-log li", "els => els.map(e => e.dataset.scanOutcome)")
    assert log == ["refused", "refused", "duplicate", "accepted", "accepted", "accepted"]
    assert page.input_value("#scan-input") == ""
    assert page.evaluate("document.activeElement.id") == "scan-input"
    shot(page, "transfer-draft", size)

    # the other end: each receipt updates its row and what is still to come
    page.click("#dispatch-button")
    page.wait_for_selector("#waiting")
    assert page.inner_text("#waiting") == "3"
    page.wait_for_selector("#scan-input:focus")
    fire(page, "U2")
    page.locator("#waiting:text-is('2')").wait_for()
    assert wait_tones(page, 1) == ["accept"]
    row = page.locator("#transfer-lines-body tr:has-text('U2')")
    assert "not received" not in row.inner_text()
    assert page.locator("#transfer-lines-body tr:has-text('not received')").count() == 2
    fire(page, "U2")
    assert wait_tones(page, 2) == ["accept", "duplicate"]
    assert Transfer.objects.get().lines.filter(received_at__isnull=False).count() == 1
    shot(page, "transfer-receive", size)


@pytest.mark.parametrize("size", SIZES)
def test_stocktake_one_tone_per_scan_and_strangers_apart(new_page, live_server, floor, size):
    count = stocktakes.open_stocktake(floor["hq"])
    assert count.book_count == 4
    page = new_page(*size)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/inventory/stocktakes/{count.pk}/")
    page.wait_for_selector("#scan-input:focus")

    fire(page, "U1")
    page.locator("#counted:text-is('1')").wait_for()
    assert wait_tones(page, 1) == ["accept"]  # not one per swapped figure

    for code in ["U2", "FAR1", "U2", "NOPE-9", "A1", "U3"]:
        fire(page, code)
    page.locator("#count-figures #scans:text-is('6')").wait_for()
    assert wait_tones(page, 7) == [
        "accept",  # U1
        "accept",  # U2
        "quarantine",  # FAR1: counted apart, set it aside
        "duplicate",  # U2 again
        "refuse",  # unknown code
        "accept",  # the bin label switches the bin
        "accept",  # U3
    ]
    assert page.inner_text("#counted") == "3" and page.inner_text("#book") == "4"
    assert page.inner_text("#unexpected") == "1"
    assert page.inner_text("#duplicates") == "1" and page.inner_text("#unknown") == "1"
    assert page.input_value("#current-bin") == "A1"
    count = Stocktake.objects.get()
    assert (count.counted_count, count.unexpected_count, count.scan_count) == (3, 1, 6)
    # U3 was scanned right after the bin label, before its answer: it counts in A1
    assert StocktakeLine.objects.get(unit__serial="U3").counted_bin.code == "A1"
    shot(page, "stocktake", size)


@pytest.mark.parametrize("size", SIZES)
def test_delivery_checks_each_scan_and_refuses_a_duplicate_at_once(
    new_page, live_server, floor, size
):
    f.CustomerFactory(district="")
    order = f.SalesOrderFactory(
        buyer=f.CustomerFactory(code="C2", name="李四"), lines=[(floor["sku"], 3)]
    )
    ledger.quarantine(Unit.objects.get(serial="U3"), notes="外观检查")
    page = new_page(*size)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/sales/orders/{order.pk}/")
    page.fill("#id_warehouse", "HQ")
    page.click("#deliver-scan")

    fire(page, "U1")
    page.locator("#delivery-scanned li:has-text('U1')").wait_for()
    assert wait_tones(page, 1) == ["accept"]
    assert page.inner_text("#scan-count") == "1"
    assert page.inner_text("tr[data-sku='AC-100'] .line-scanned") == "1"

    # a burst: a repeat, a held unit, a unit of another warehouse, an unknown, a good one
    for code in ["U1", "U3", "FAR1", "NOPE-1", "U2"]:
        fire(page, code)
    assert wait_tones(page, 6) == ["accept", "duplicate", "refuse", "refuse", "refuse", "accept"]
    page.locator("#scan-count:text-is('2')").wait_for()
    kept = page.eval_on_selector_all(
        "#delivery-scanned input[name=scanned]", "els => els.map(e => e.value)"
    )
    assert kept == ["U1", "U2"]
    reasons = page.eval_on_selector_all(
        "#scan-log li", "els => els.map(e => e.dataset.scanReason || e.dataset.scanOutcome)"
    )
    assert reasons == [
        "accepted",
        "unknown_serial",
        "wrong_warehouse",
        "status_quarantined",
        "duplicate",
        "accepted",
    ]
    assert page.inner_text("tr[data-sku='AC-100'] .line-scanned") == "2"
    assert Delivery.objects.count() == 0
    shot(page, "delivery", size)

    # take one off again, then deliver what is kept
    page.click("#delivery-scanned li:has-text('U2') [data-unscan]")
    assert page.inner_text("#scan-count") == "1"
    assert page.inner_text("tr[data-sku='AC-100'] .line-scanned") == "1"
    page.click("#deliver-form button[type=submit]")
    page.wait_for_url("**/sales/deliveries/*/")
    delivery = Delivery.objects.get()
    assert list(delivery.items.values_list("unit__serial", flat=True)) == ["U1"]
