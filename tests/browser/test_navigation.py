"""Every role reaches every page it may use by clicks from its home, on a 1366×900 desktop
and a 390×844 phone, with nothing wider than the screen; the menus work by keyboard and
without JavaScript."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories as f
from tests.browser.navigation import nav_link, nav_to, open_menu_of
from unitrace.accounts.roles import role_names
from unitrace.accounts.services import sync_roles
from unitrace.core.plugins import nav_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "nav-pw-2026!"
DESKTOP = (1366, 900)
PHONE = (390, 844)


@pytest.fixture
def staff(live_db):
    """One login per role (the distributor's scoped to its company)."""
    sync_roles()  # the live server's database is flushed between tests
    company = f.DistributorFactory(code="D-NAV", name="导航经销商")
    for role in role_names():
        f.UserFactory(
            role=role,
            username=role,
            password=PASSWORD,
            party=company if role == "distributor" else None,
        )


def pages_of(role: str) -> list[tuple[str, str]]:
    """(label, path) of every navigation entry the role's permissions open."""
    user = get_user_model().objects.get(username=role)
    return [(str(label), reverse(name)) for name, label, perm in nav_items() if user.has_perm(perm)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in(page, live_server, role: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", role)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url(f"{live_server.url}/")


def assert_inside(page, locator) -> None:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("role", role_names())
def test_every_page_of_the_role_is_reached_by_clicks(new_page, live_server, staff, role, size):
    page = new_page(*size)
    log_in(page, live_server, role)
    assert fits(page), f"{role}'s home is wider than the screen"
    pages = pages_of(role)
    assert pages
    for label, path in pages:
        page.click("a.brand")  # back to the home page, by a click
        page.wait_for_url(f"{live_server.url}/")
        link = open_menu_of(page, label)
        assert_inside(page, link)  # an open menu stays on the screen
        with page.expect_navigation() as navigation:
            link.click()
        assert navigation.value.status == 200, (role, label, path)
        assert page.url.split("?")[0] == f"{live_server.url}{path}", (role, label)
        assert fits(page), f"{path} is wider than the screen for {role}"
        current = page.locator('nav.mainnav [aria-current="page"]')
        assert current.count() == 1, (role, label)


def test_menus_work_by_keyboard(new_page, live_server, staff):
    page = new_page(*DESKTOP)
    log_in(page, live_server, "manager")
    stock = page.locator('.nav-group[data-group="stock"] details')
    stock.locator("summary").focus()
    page.keyboard.press("Enter")
    assert stock.get_attribute("open") is not None
    page.keyboard.press("Escape")  # closes, and the focus goes back to the menu's name
    assert stock.get_attribute("open") is None
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Warehouses"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{reverse('inventory:warehouse_list')}")


def test_one_menu_open_at_a_time_and_a_click_elsewhere_closes_it(new_page, live_server, staff):
    page = new_page(*PHONE)
    log_in(page, live_server, "admin")
    units = page.locator('.nav-group[data-group="units"] details')
    sales = page.locator('.nav-group[data-group="sales"] details')
    units.locator("summary").click()
    sales.locator("summary").click()
    assert units.get_attribute("open") is None and sales.get_attribute("open") is not None
    page.click("#lookup-title")  # below the open menu
    assert sales.get_attribute("open") is None


def test_the_scan_page_keeps_a_scanner_out_of_the_menus(new_page, live_server, staff):
    """On the scan page typed keys go to the scan field, except while a menu has focus."""
    page = new_page(*DESKTOP)
    log_in(page, live_server, "warehouse")
    menu = page.locator('.nav-group[data-group="units"] details')
    menu.locator("summary").focus()
    page.keyboard.press("Space")
    assert menu.get_attribute("open") is not None
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_navigation_works_without_javascript(browser, live_server, staff):
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": PHONE[0], "height": PHONE[1]},
        locale="en-US",
        extra_http_headers={"Accept-Language": "en"},
    )
    try:
        page = context.new_page()
        log_in(page, live_server, "manager")
        nav_to(page, "Diversion alerts")
        page.wait_for_url(f"{live_server.url}{reverse('authenticity:alert_list')}")
        assert nav_link(page, "Jobs").is_visible()  # a group of one: a plain link
        nav_to(page, "Jobs")
        page.wait_for_url(f"{live_server.url}{reverse('core:job_list')}")
    finally:
        context.close()


def test_date_inputs_and_flush_card_titles_are_styled(new_page, live_server, staff):
    page = new_page(*DESKTOP)
    log_in(page, live_server, "manager")
    nav_to(page, "Diversion alerts")
    page.locator("summary", has_text="Filter").first.click()
    date = page.locator('input[type="date"]').first
    looks = "e => [getComputedStyle(e).minHeight, getComputedStyle(e).borderRadius]"
    text = page.locator('input[type="search"], input[type="text"]').first
    # the same height and corners as the other fields, not the browser's bare control
    assert date.evaluate(looks) == text.evaluate(looks) == ["48px", "8px"]
    # a title inside a flush (padding-less) list card keeps the card's inner spacing
    gap = page.evaluate(
        """() => {
          const card = document.createElement("section");
          card.className = "card list-card";
          card.innerHTML = '<h2 class="card-title">T</h2>';
          document.querySelector("main").append(card);
          const title = card.querySelector("h2");
          const inset = title.getBoundingClientRect().left - card.getBoundingClientRect().left;
          return inset + parseFloat(getComputedStyle(title).paddingLeft);
        }"""
    )
    assert gap >= 12


def test_the_clerk_home_is_the_scan_box_and_the_agent_home_the_look_up(
    new_page, live_server, staff
):
    page = new_page(*PHONE)
    log_in(page, live_server, "warehouse")
    page.wait_for_selector("#scan-input:focus")
    agent = new_page(*PHONE)
    log_in(agent, live_server, "agent")
    agent.wait_for_selector("#search-input:focus")
    assert agent.locator("#scan-input").count() == 0
    manager = new_page(*PHONE)
    log_in(manager, live_server, "manager")
    assert manager.locator("#figures a.figure").count() >= 5
    assert fits(manager)
