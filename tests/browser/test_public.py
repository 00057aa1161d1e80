"""The end customer on a phone: activate the product from its QR code, then check it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tests import factories as f
from unitrace.serials.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)


@pytest.fixture
def sold_unit(live_db) -> Unit:
    """A unit delivered to a distributor of 浙江, not yet sold on or activated."""
    distributor = f.DistributorFactory(code="D-ZJ", name="浙江经销商", regions=[("浙江省",)])
    sku = f.SKUFactory(
        code="AC-100",
        name="空调室内机",
        gtin=f.AIRCON_GTIN,
        warranty_months=24,
        warranty_start="sale",
    )
    batch = f.BatchFactory(sku=sku, code="B2601", production_date="2026-01-15")
    warehouse = f.WarehouseFactory()
    start = timezone.now() - timedelta(days=30)
    return f.UnitFactory(
        sku=sku,
        serial="AC2601000017",
        batch=batch,
        registered=start,
        history=[
            f.received(warehouse, when=start + timedelta(days=1)),
            f.delivered(distributor, when=start + timedelta(days=2), ref_type="DN", ref_id="DN-7"),
        ],
    )


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_activate_then_verify_on_a_phone(new_page, live_server, sold_unit):
    page = new_page(*PHONE)

    # 1. the QR code leads to the activation form: the serial shown once, as text
    page.goto(f"{live_server.url}/p/activate/{sold_unit.public_token}/")
    assert page.inner_text("#unit-serial") == "AC2601000017"
    assert page.locator("main").inner_text().count("AC2601000017") == 1
    assert page.locator("#activation-form input[readonly]").count() == 0
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
    warranty = page.inner_text("#warranty")
    assert f"In warranty until {end:%m/%d/%Y}" in warranty
    assert warranty.count("In warranty") == 1  # said once, not again in the line below
    assert fits_the_screen(page)
    sold_unit.refresh_from_db()
    assert sold_unit.status == "activated" and sold_unit.holder.kind == "customer"

    # 4. authenticity: genuine, and this is the first check of the label
    page.click("#verify-link")
    result = page.locator("#verify-result[data-result='genuine']")
    result.wait_for()
    assert "Genuine product" in result.inner_text()
    history = page.inner_text("#verify-history")
    assert history.startswith(f"First verified on {timezone.localdate():%m/%d/%Y}")
    assert history.endswith("this is check number 1.")
    assert "13900001111" not in page.content() and "139****1111" not in page.content()
    assert fits_the_screen(page)

    # 5. activating again from the same QR code is refused with the date
    page.goto(f"{live_server.url}/p/activate/{sold_unit.public_token}/")
    refused = page.inner_text("#activation-refused")
    assert f"already activated on {timezone.localdate():%m/%d/%Y}" in refused


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
