"""The end customer on a phone: activate the product from its QR code, then check it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from unitrace.catalog.models import SKU, Batch
from unitrace.parties.models import AuthorizedRegion, Party
from unitrace.places.models import Warehouse
from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)


@pytest.fixture
def sold_unit(live_db) -> Unit:
    """A unit delivered to a distributor of 浙江, not yet sold on or activated."""
    distributor = Party.objects.create(kind=Party.Kind.DISTRIBUTOR, code="D-ZJ", name="浙江经销商")
    AuthorizedRegion.objects.create(party=distributor, province="浙江省")
    sku = SKU.objects.create(
        code="AC-100", name="空调室内机", gtin="06901234567892", warranty_months=24,
        warranty_start="sale",
    )  # fmt: skip
    batch = Batch.objects.create(sku=sku, code="B2601", production_date="2026-01-15")
    warehouse = Warehouse.objects.create(code="HQ", name="总仓", level=Warehouse.Level.HQ)
    start = timezone.now() - timedelta(days=30)
    register_units(sku, [NewUnit("AC2601000017", "", batch.pk)], when=start)
    unit = Unit.objects.get(serial="AC2601000017")
    ledger.receive(unit, warehouse, when=start + timedelta(days=1))
    ledger.deliver(unit, distributor, when=start + timedelta(days=2), ref_type="DN", ref_id="DN-7")
    return unit


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_activate_then_verify_on_a_phone(new_page, live_server, sold_unit):
    page = new_page(*PHONE)

    # 1. the QR code leads to the activation form: serial shown, read-only
    page.goto(f"{live_server.url}/p/activate/{sold_unit.public_token}/")
    serial = page.locator("#serial-readonly")
    assert serial.input_value() == "AC2601000017"
    assert serial.get_attribute("readonly") is not None
    assert fits_the_screen(page)

    # 2. a mistyped phone number is explained next to the field, nothing is activated
    page.fill("#id_phone", "1390000")
    page.select_option("#id_province", "浙江省")
    page.fill("#id_city", "杭州市")
    page.fill("#id_district", "西湖区")
    page.click("button:has-text('Activate')")
    error = page.locator(".field.has-error .field-error")
    error.wait_for()
    assert "11-digit Chinese mobile number" in error.inner_text()
    assert page.input_value("#id_city") == "杭州市"  # the rest of the form is kept

    # 3. the right number activates it and shows the warranty
    page.fill("#id_phone", "139 0000 1111")
    page.click("button:has-text('Activate')")
    page.wait_for_url("**/done/")
    assert "Activated" in page.inner_text("#activation-done")
    end = timezone.localdate() + relativedelta(months=24) - timedelta(days=1)
    assert f"In warranty until {end.isoformat()}" in page.inner_text("#warranty")
    assert fits_the_screen(page)
    sold_unit.refresh_from_db()
    assert sold_unit.status == "activated" and sold_unit.holder.kind == "customer"

    # 4. authenticity: genuine, and this is the first check of the label
    page.click("#verify-link")
    result = page.locator("#verify-result[data-result='genuine']")
    result.wait_for()
    assert "Genuine product" in result.inner_text()
    history = page.inner_text("#verify-history")
    assert history.startswith(f"First verified on {timezone.localdate().isoformat()}")
    assert history.endswith("this is check number 1.")
    assert "13900001111" not in page.content() and "139****1111" not in page.content()
    assert fits_the_screen(page)

    # 5. activating again from the same QR code is refused with the date
    page.goto(f"{live_server.url}/p/activate/{sold_unit.public_token}/")
    refused = page.inner_text("#activation-refused")
    assert f"already activated on {timezone.localdate().isoformat()}" in refused


def test_check_by_serial_and_printed_code_on_a_phone(new_page, live_server, sold_unit):
    from unitrace.authenticity.codes import format_code, verification_code

    page = new_page(*PHONE)
    page.goto(f"{live_server.url}/p/verify/")
    page.fill("#id_serial", sold_unit.serial)
    page.fill("#id_code", "ABCD-EFGH")
    page.click("button:has-text('Check')")
    page.locator("#verify-result[data-result='unknown']").wait_for()

    page.fill("#id_serial", sold_unit.serial)
    page.fill("#id_code", format_code(verification_code(sold_unit)).lower())
    page.click("button:has-text('Check')")
    page.locator("#verify-result[data-result='genuine']").wait_for()
    assert "this is check number 1." in page.inner_text("#verify-history")
    assert page.locator("#activate-link").is_visible()
    assert fits_the_screen(page)
