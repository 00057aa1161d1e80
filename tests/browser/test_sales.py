"""The sales clerk's day in a real browser: order, deliver by scanning, the delivery note."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.browser.navigation import nav_to
from unitrace.accounts.services import sync_roles
from unitrace.sales.models import Delivery
from unitrace.serials.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "sales-pw-2026!"
SERIALS = ["SB0001", "SB0002", "SB0003"]


@pytest.fixture
def shop(live_db):
    sync_roles()  # the live server's database is flushed between tests
    f.CustomerFactory(district="")
    sku = f.SKUFactory(code="AC-100", name="空调室内机", warranty_months=12)
    warehouse = f.WarehouseFactory()
    for unit in f.registered_units(sku, [*SERIALS, "SB0009"]):
        f.play(unit, f.received(warehouse))
    f.UserFactory(role="sales", username="seller", password=PASSWORD)
    return sku


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "seller")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{live_server.url}/")


def scan(page, code: str) -> None:
    page.click("#deliver-scan")
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_order_deliver_by_scanning_and_print_the_note(new_page, live_server, shop):
    page = new_page()
    log_in(page, live_server)

    # 1. a new order for customer C1: three units of AC-100
    nav_to(page, "Orders")
    page.click("text=New order")
    page.fill("#id_buyer", "C1")
    page.fill("#id_lines-0-sku", "AC-100")
    page.fill("#id_lines-0-quantity", "3")
    page.click("text=Create order")
    page.wait_for_url("**/sales/orders/*/")
    assert "open" in page.inner_text(".page-head")
    assert "138****1234" not in page.content()  # sales may see the phone
    assert "13812341234" in page.content()

    # 2. each scan is checked at once: a wrong one is refused at the scan
    page.fill("#id_warehouse", "HQ")
    scan(page, "SB0001")
    page.locator("#delivery-scanned li:has-text('SB0001')").wait_for()
    scan(page, "NOPE-1")
    page.locator("#delivery-scan-message:has-text('No unit with serial NOPE-1')").wait_for()
    assert page.inner_text("#scan-count") == "1"

    # 3. a pasted list is still checked row by row at the submit, all or nothing
    page.click("text=Paste a list or upload a file instead")
    page.fill("#id_serials", "NOPE-2\n")
    page.click("#deliver-form button[type=submit]")
    page.wait_for_selector("#delivery-errors")
    assert "no unit with serial NOPE-2" in page.inner_text("#delivery-errors")
    assert Delivery.objects.count() == 0
    assert page.inner_text("#scan-count") == "1"  # the checked scan is kept

    # 4. scan the three units (the scanner types each code and presses Enter)
    page.fill("#id_serials", "")
    for serial in SERIALS:
        scan(page, serial)
    page.locator("#scan-count:text-is('3')").wait_for()
    assert page.evaluate("window.__unitraceTones") == ["duplicate", "accept", "accept"]
    page.click("#deliver-form button[type=submit]")
    page.wait_for_url("**/sales/deliveries/*/")
    note = page.inner_text("#delivery-note")
    for serial in SERIALS:
        assert serial in note
    assert "AC-100" in note and "× 3" in note
    assert {u.status for u in Unit.objects.filter(serial__in=SERIALS)} == {"sold"}

    # 5. the printable note and the PDF
    with page.expect_popup() as popup:
        page.click("text=Print view")
    printed = popup.value
    printed.wait_for_load_state()
    assert "Delivery note" in printed.inner_text("h1")
    assert "SB0002" in printed.content()
    delivery = Delivery.objects.get()
    pdf = page.request.get(f"{live_server.url}/sales/deliveries/{delivery.pk}/note.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # 6. the order is now delivered
    page.goto(f"{live_server.url}/sales/orders/{delivery.order_id}/")
    assert "delivered" in page.inner_text(".page-head")
