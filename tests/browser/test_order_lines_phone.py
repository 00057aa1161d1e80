"""An order's lines on a phone: every column, "Scanned now" too, without sideways scrolling."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import factories as f
from unitrace.accounts.services import sync_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "sales-pw-2026!"
SHOTS = os.environ.get("UNITRACE_SHOTS", "")  # a folder to keep screenshots in


@pytest.fixture
def order(live_db):
    sync_roles()  # the live server's database is flushed between tests
    buyer = f.CustomerFactory(district="")
    long = f.SKUFactory(code="AC-100-WALL-3P", name="变频冷暖壁挂式空调室内机（三匹）")
    other = f.SKUFactory(code="AC-200", name="空调室外机")
    f.UserFactory(role="sales", username="seller", password=PASSWORD)
    return f.SalesOrderFactory(buyer=buyer, lines=[(long, 12), (other, 3)])


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "seller")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize("size", [(390, 844), (1366, 900)])
def test_the_order_lines_fit_the_screen(new_page, live_server, order, size):
    page = new_page(*size)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/sales/orders/{order.pk}/")
    wrap = page.locator("#order-lines").locator("xpath=..")
    scroll, client = wrap.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll <= client, "the lines table scrolls sideways"
    cells = page.locator("#order-lines .line-scanned")
    assert cells.count() == 2
    for i in range(2):
        box = cells.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["x"] + box["width"] <= size[0]
    row = page.locator("#order-lines tbody tr").first
    text = row.inner_text()
    for label in ("Ordered", "Delivered", "Remaining", "Scanned now"):
        # on a phone the header row is hidden, so each number carries its own label
        assert label in text or page.locator("#order-lines thead").is_visible()
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"order-lines-{size[0]}.png"), full_page=True)


@pytest.mark.parametrize("size", [(390, 844), (1366, 900)])
def test_an_order_with_a_price_is_made_on_the_page(new_page, live_server, order, size):
    page = new_page(*size)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/sales/orders/new/")
    page.fill("#id_buyer", "C1")
    page.fill("#id_lines-0-sku", "AC-200")
    page.fill("#id_lines-0-quantity", "2")
    page.fill("#id_lines-0-unit_price", "-5")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size[0], "the order form scrolls sideways"
    page.click("text=Create order")
    page.locator("text=The price cannot be negative.").wait_for()
    # the error under the price does not stretch the inputs beside it
    heights = {
        round(page.locator(f"#id_lines-0-{name}").bounding_box()["height"])
        for name in ("sku", "quantity", "unit_price")
    }
    assert len(heights) == 1, heights
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"order-form-{size[0]}.png"), full_page=True)
    page.fill("#id_lines-0-unit_price", "1299.50")
    page.click("text=Create order")
    page.wait_for_url("**/sales/orders/*/")
    assert "AC-200" in page.inner_text("#order-lines")
