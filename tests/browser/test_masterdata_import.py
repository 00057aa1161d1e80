"""A master-data import in a real browser: the list page's import box, the job page."""

from __future__ import annotations

import pytest

from tests import factories as f
from unitrace.accounts.services import sync_roles
from unitrace.places.models import Bin, Warehouse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "admin-pw-2026!"
FILE = (
    "仓库编码,仓库名称,级别,上级仓库编码,地区,库位编码\n"
    "WH-C,杭州仓,区域,WH-P,浙江省 杭州市,A-01\n"
    "WH-P,总仓,总部,,,\n"
)


def test_warehouses_from_the_list_page_then_back_to_the_list(live_db, live_server, new_page):
    sync_roles()
    f.UserFactory(role="admin", username="boss", password=PASSWORD)
    page = new_page(1366, 900)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/places/")
    assert page.locator("#import-template").is_visible()
    page.click("#import summary")
    page.set_input_files(
        "#import-form input[type=file]",
        files=[{"name": "w.csv", "mimeType": "text/csv", "buffer": FILE.encode()}],
    )
    page.click("#import-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    page.wait_for_selector("#job-state[data-status=succeeded]")
    assert Warehouse.objects.get(code="WH-C").parent.code == "WH-P"
    assert Bin.objects.filter(warehouse__code="WH-C", code="A-01").exists()
    page.click("#job-state a[href='/places/']")
    page.wait_for_url(f"{live_server.url}/places/")
