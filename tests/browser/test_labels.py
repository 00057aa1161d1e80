"""The label print page in a real browser, on a desktop and on a phone: it fits the
screen, a batch prints as a PDF download with its font embedded, a refusal is shown."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests import factories as f
from unitrace.accounts.services import sync_roles
from unitrace.serials.registration import NewUnit, register_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "label-pw-2026!"
SHOTS = os.environ.get("UNITRACE_SHOTS", "")  # a folder to keep screenshots in


@pytest.fixture
def labelled(live_db):
    sync_roles()  # the live server's database is flushed between tests
    sku = f.SKUFactory(aircon=True)
    batch = f.BatchFactory(ningbo=True, sku=sku, supplier=f.SupplierFactory())
    register_units(sku, [NewUnit(f"LB{i:04d}", "", batch.pk) for i in range(6)])
    f.UserFactory(role="warehouse", username="printer", password=PASSWORD)


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "printer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_print_a_batch_from_the_print_page(new_page, live_server, labelled, width, height):
    page = new_page(width, height)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/units/labels/")
    form = page.locator("#label-print-form")
    form.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = form.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"label-print-{width}.png"), full_page=True)

    # a refusal is said on the page, with what was given kept
    page.check("input[name=source][value=filter]")
    page.click("button[type=submit]:has-text('Print labels')")
    page.locator("#label-error").wait_for()
    assert "at least one filter" in page.locator("#label-error").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # a whole batch on 50 × 30 mm rolls with the 1D code: one PDF page per label
    page.check("input[name=source][value=batch]")
    page.fill("#id_batch_code", "B2601")
    page.select_option("#id_template", "roll-70x40")
    page.check("input[name=barcode]")
    with page.expect_download() as download:
        page.click("button[type=submit]:has-text('Print labels')")
    pdf = Path(download.value.path()).read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 6
    assert "LB0003" in reader.pages[3].extract_text()
    assert download.value.suggested_filename.startswith("labels-roll-70x40-6-")
