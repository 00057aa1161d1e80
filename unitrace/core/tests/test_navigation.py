"""The main navigation grouped by area: every page a role may use is in exactly one menu,
the grouping follows a default per app, and a group of one is a plain link."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from unitrace.accounts.roles import role_names
from unitrace.core import navigation
from unitrace.core.plugins import nav_items

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="mainnav".*?</nav>', re.S)


def nav_html(client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    match = NAV.search(response.content.decode())
    assert match, "the page has no main navigation"
    return match.group(0)


def allowed_urls(user) -> list[str]:
    return [reverse(name) for name, _label, perm in nav_items() if user.has_perm(perm)]


@pytest.mark.parametrize("role", role_names())
def test_every_page_of_the_role_is_in_the_navigation_once(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    html = nav_html(client)
    expected = allowed_urls(user)
    assert expected, f"{role} may open no page at all"
    linked = re.findall(r'<a [^>]*href="([^"]+)"', html)
    assert sorted(linked) == sorted(expected)
    # grouped: far fewer top-level entries than pages for the roles with many pages
    top = html.count('<li class="nav-group')
    assert top <= len(navigation.GROUPS)


def test_admin_gets_menus_by_area_in_order(make_user):
    groups = navigation.menu_for(make_user("admin"), "/")
    keys = [g.key for g in groups]
    assert keys == [
        "units",
        "purchasing",
        "stock",
        "sales",
        "channel",
        "service",
        "masterdata",
        "system",
    ]
    by_key = {g.key: g for g in groups}
    assert [str(e.label) for e in by_key["channel"].entries] == [
        "Distributors",
        "My units",
        "Record a sale",
        "Sell-through",
        "Diversion alerts",
    ]
    assert [str(e.label) for e in by_key["service"].entries] == [
        "Agent console",
        "Work orders",
        "Returns",
    ]


def test_a_group_of_one_is_a_plain_link_and_a_menu_is_a_details(login):
    # the warehouse sees returns alone in after-sales: a link, not a menu
    assert re.search(r'<a class="nav-top" href="/sales/returns/"', nav_html(login("warehouse")))
    html = nav_html(login("admin"))
    assert '<details class="nav-menu" data-nav-menu>' in html
    assert '<summary class="nav-top">Units</summary>' in html


def test_the_current_page_and_its_group_are_marked(login):
    html = nav_html(login("warehouse"), reverse("serials:import"))
    assert re.search(r'<li class="nav-group is-active" data-group="units">', html)
    assert f'<a href="{reverse("serials:import")}" class="is-active" aria-current="page">' in html
    # the longest prefix wins: "Units" (/units/) is not marked on /units/import/
    assert f'<a href="{reverse("serials:unit_list")}" class="is-active"' not in html


def test_an_app_without_a_group_gets_its_own_before_system(monkeypatch, make_user):
    """An app nobody mapped still shows up: in a group named by its verbose_name."""
    entries = {
        ("serials:scan", "Scan", "serials.view_unit"): "serials",
        ("core:job_list", "Jobs", "core.view_job"): "core",
        ("accounts:tokens", "Tokens", "serials.view_unit"): "warranty",
        ("audit:changelog", "Audit", "core.view_changelog"): "core",
    }
    monkeypatch.setattr(navigation, "nav_owners", lambda: entries)
    groups = navigation.menu_for(make_user("admin"), "/")
    assert [g.key for g in groups] == ["units", "warranty", "system"]
    assert str(groups[1].label) == "Warranty"
    assert [str(e.label) for e in groups[2].entries] == ["Jobs", "Audit"]


def test_group_of_prefers_the_entry_then_the_app():
    assert navigation.group_of("sales:record_sale", "sales") == "channel"
    assert navigation.group_of("sales:order_list", "sales") == "sales"
    assert navigation.group_of("sales:rma_list", "service") == "service"
    assert navigation.group_of("new:page", "newapp") == "newapp"


def test_anonymous_visitors_get_no_navigation(client):
    assert navigation.menu_for(None, "/") == []
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'class="mainnav"' not in html


def test_account_links_sit_in_the_account_menu(login):
    html = login("admin").get("/").content.decode()
    menu = re.search(r'<details class="account-menu".*?</details>', html, re.S).group(0)
    assert reverse("accounts:tokens") in menu
    assert reverse("accounts:two_factor") in menu
    assert reverse("accounts:logout") in menu
