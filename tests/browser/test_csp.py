"""The Content-Security-Policy blocks nothing the pages and the API docs need."""

from __future__ import annotations

import pytest

from tests import factories as f
from unitrace.accounts.services import sync_roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "manager-pw-2026!"


def watch_csp(page) -> list[str]:
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return refused


def test_pages_run_under_the_policy(live_db, live_server, new_page):
    sync_roles()
    f.UserFactory(role="manager", username="boss", password=PASSWORD)
    page = new_page()
    refused = watch_csp(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("networkidle")
    assert page.locator("nav.mainnav").count() == 1
    assert refused == []


def test_the_swagger_ui_works_under_the_policy(live_db, live_server, new_page):
    page = new_page()
    refused = watch_csp(page)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator(".opblock").count() > 50
    assert refused == []
