"""The clerk's day in a real browser: log in, import, fix, scan, read the unit's file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import factories as f
from tests.browser.navigation import nav_to
from unitrace.accounts.services import sync_roles
from unitrace.serials import ledger
from unitrace.serials.models import Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "clerk-pw-2026!"
GTIN = "06901234567892"
BAD_CSV = (
    "型号,序列号,批次\n"
    "AC-100,BRW0001,B2601\n"
    "NOPE-1,BRW0002,B2601\n"
    "AC-100,BRW0001,B2601\n"
    "AC-100,BRW0003,B9\n"
)
GOOD_CSV = "型号,序列号,批次\nAC-100,BRW0001,B2601\nAC-100,BRW0002,B2601\nAC-100,BRW0003,B2601\n"


@pytest.fixture
def master_data(live_db):
    sync_roles()  # the live server's database is flushed between tests
    supplier = f.SupplierFactory()
    customer = f.CustomerFactory(district="")
    sku = f.SKUFactory(aircon=True, gtin=GTIN)
    f.BatchFactory(
        sku=sku, code="B2601", production_date="2026-01-15", factory="宁波工厂", supplier=supplier
    )
    warehouse = f.WarehouseFactory()
    f.UserFactory(role="warehouse", username="clerk", password=PASSWORD)
    return {"sku": sku, "warehouse": warehouse, "customer": customer}


def log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{live_server.url}/")


def upload(page, name: str, text: str) -> None:
    nav_to(page, "Import")
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.click("text=Upload and check")
    page.wait_for_url("**/jobs/*/")


def scan(page, code: str) -> None:
    field = page.locator("#scan-input")
    field.click()
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def history(unit: Unit, master_data) -> None:
    ledger.receive(unit, master_data["warehouse"], ref_type="GRN", ref_id="GRN-7")
    ledger.deliver(unit, master_data["customer"], ref_type="DN", ref_id="DN-42")


def test_import_fix_scan_and_read_the_file(new_page, live_server, master_data):
    page = new_page()
    log_in(page, live_server)

    # 1. a file with errors: nothing is imported and every row says what is wrong
    upload(page, "units.csv", BAD_CSV)
    state = page.locator("#job-state")
    state.locator("text=Failed").wait_for()
    report = state.locator("table.errors-table")
    assert "unknown SKU 'NOPE-1'" in report.inner_text()
    assert "duplicate of row 2 in this file" in report.inner_text()
    assert "unknown batch 'B9' for SKU AC-100" in report.inner_text()
    assert "nothing was imported" in state.inner_text()
    link = page.locator("a:has-text('Download the full error report')")
    assert link.count() == 1
    with page.expect_download() as download:
        link.click()
    csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("row,")
    assert "unknown SKU 'NOPE-1'" in csv_text and "duplicate of row 2 in this file" in csv_text
    assert not Unit.objects.filter(serial__startswith="BRW").exists()

    # 2. the fixed file goes through
    upload(page, "units-fixed.csv", GOOD_CSV)
    state.locator("text=Succeeded").wait_for()
    registered = state.locator(".numbers div:has(dt:has-text('Units registered')) dd")
    assert registered.inner_text().strip() == "3"
    assert Unit.objects.filter(serial__startswith="BRW").count() == 3
    history(Unit.objects.get(serial="BRW0002"), master_data)

    # 3. scan like a keyboard-wedge scanner: type + Enter; the field clears and keeps focus
    nav_to(page, "Scan")
    page.wait_for_selector("#scan-input:focus")
    scan(page, "BRW0002")
    result = page.locator("#scan-result [data-outcome='found']")
    result.wait_for()
    assert "BRW0002" in result.inner_text()
    assert page.input_value("#scan-input") == ""
    assert page.evaluate("document.activeElement.id") == "scan-input"

    scan(page, "NOSUCH9")
    page.locator("#scan-result [data-outcome='not_found']").wait_for()
    assert "No unit with serial NOSUCH9" in page.inner_text("#scan-result")

    scan(page, "BRW0002")
    page.click("#scan-result >> text=Open file")
    page.wait_for_url("**/units/*/")

    # 4. the unit's file: identity, timeline (newest first) and warranty line
    assert page.inner_text("h1.serial-title") == "BRW0002"
    timeline = page.locator("ol.timeline > li")
    assert timeline.count() == 3
    assert "delivered / sold" in timeline.nth(0).inner_text()
    assert "DN-42" in timeline.nth(0).inner_text()
    assert "registered" in timeline.nth(2).inner_text()
    warranty = page.inner_text(".warranty-card")
    assert "In warranty until" in warranty and "12 months from sale" in warranty
    assert "138****1234" in page.content()  # the clerk's role sees masked phone numbers
    assert page.locator(".qr-box svg").count() == 1


def test_gs1_codes_resolve_and_phone_layout(new_page, live_server, master_data):
    from unitrace.serials.importing import import_serial_list

    import_serial_list(["GS0001", "GS0002"], default_sku=master_data["sku"])
    unit = Unit.objects.get(serial="GS0001")
    history(unit, master_data)
    target = f"/units/{unit.pk}/"

    page = new_page()
    log_in(page, live_server)
    for code in (
        f"(01){GTIN}(21)GS0001",
        f"]C101{GTIN}21GS0001",
        f"https://id.example.com/01/{GTIN}/21/GS0001",
    ):
        scan(page, code)
        page.locator("#scan-result .code-chip", has_text=code).wait_for()
        found = page.locator(f"#scan-result [data-outcome='found'] a[href='{target}']")
        assert found.count() == 1, code
        assert page.input_value("#scan-input") == ""

    # "open directly" turns a scan into the unit's file
    page.check("#scan-go")
    scan(page, f"(01){GTIN}(21)GS0001")
    page.wait_for_url(f"**{target}")

    phone = new_page(390, 844)
    log_in(phone, live_server)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto(f"{live_server.url}{target}")
    phone.locator("ol.timeline").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator(".warranty-card").is_visible()
    public = phone.goto(f"{live_server.url}/u/{unit.public_token}/")
    assert public.status == 200
    assert "Registered genuine unit" in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
