"""A clerk receives a purchase order with a keyboard-wedge scanner, in a real browser."""

from __future__ import annotations

import pytest

from tests import factories as f
from unitrace.accounts.services import sync_roles
from unitrace.procurement import asn
from unitrace.serials.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "clerk-pw-2026!"
TV_GTIN = "06901234567915"


@pytest.fixture
def order(live_db):
    sync_roles()  # the live server's database is flushed between tests
    supplier = f.SupplierFactory()
    warehouse = f.WarehouseFactory()
    sku = f.SKUFactory(code="AC-100", name="空调室内机", gtin=f.AIRCON_GTIN)
    f.SKUFactory(code="TV-9", name="电视", gtin=TV_GTIN)
    po = f.PurchaseOrderFactory(
        supplier=supplier, lines=[(sku, 3)], number="PO-B1", warehouse=warehouse
    )
    asn.import_asn_rows(po, [(2, {"serial": "A0001"}), (3, {"serial": "A0002"})])
    f.UserFactory(role="warehouse", username="clerk", password=PASSWORD)
    return po


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{live_server.url}/")


def scan(page, code: str) -> None:
    """What a keyboard-wedge scanner does: type the code into the focused field, then Enter."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def wait_for_scans(page, count: int) -> None:
    page.wait_for_function("n => document.querySelectorAll('#scan-log li').length >= n", arg=count)


def test_scanning_a_purchase_order(new_page, live_server, order):
    page = new_page()
    log_in(page, live_server)
    page.goto(f"{live_server.url}/procurement/orders/{order.pk}/receive/")

    # the one scan field has the focus: the clerk just starts scanning
    assert page.evaluate("document.activeElement.id") == "receive-input"
    assert page.locator("input[name=code]").count() == 1

    # 1. a serial on the supplier's list: accepted, the counts move, the field is ready again
    scan(page, "A0001")
    wait_for_scans(page, 1)
    message = page.locator("#scan-message")
    assert message.inner_text() == "A0001 accepted (AC-100)"
    assert (
        page.locator("#receive-feedback [data-scan-outcome]").get_attribute("data-scan-outcome")
        == "accepted"
    )
    assert page.locator("#count-accepted").inner_text() == "1"
    assert page.locator("tr[data-sku='AC-100'] .line-received").inner_text() == "1"
    assert page.evaluate("window.__unitraceTones") == ["accept"]
    assert page.input_value("#receive-input") == ""
    assert page.evaluate("document.activeElement.id") == "receive-input"

    # 2. the same unit again: a duplicate, refused, nothing counted twice
    scan(page, "A0001")
    wait_for_scans(page, 2)
    assert "A0001 was already received in this receipt at" in message.inner_text()
    assert page.locator("#count-accepted").inner_text() == "1"
    assert page.locator("#count-refused").inner_text() == "1"
    assert page.evaluate("window.__unitraceTones") == ["accept", "duplicate"]

    # 3. a product of another SKU (GS1 barcode): refused as wrong SKU
    scan(page, f"(01){TV_GTIN}(21)T1")
    wait_for_scans(page, 3)
    assert message.inner_text() == "T1 is SKU TV-9, which is not on order PO-B1"
    assert page.locator("#count-refused").inner_text() == "2"
    assert page.locator("tr[data-sku='AC-100'] .line-received").inner_text() == "1"

    # 4. two scans in quick succession: neither is lost, both answered in order
    scan(page, "A0002")
    scan(page, "(01)06901234567892(21)A0099")
    wait_for_scans(page, 5)
    outcomes = page.eval_on_selector_all(
        "#scan-log li", "items => items.map(i => i.dataset.scanReason)"
    )
    assert outcomes == ["suspect", "accepted", "wrong_sku", "duplicate", "accepted"]
    tones = page.evaluate("window.__unitraceTones")
    assert tones == ["accept", "duplicate", "refuse", "accept", "quarantine"]
    assert page.locator("#total-received").inner_text() == "3"
    assert page.locator("#count-suspected").inner_text() == "1"

    assert Unit.objects.get(serial="A0002").status == "in_stock"
    assert Unit.objects.get(serial="A0099").status == "quarantined"
    assert not Unit.objects.filter(serial="T1").exists()
