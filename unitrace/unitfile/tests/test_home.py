"""The home page per role: the scan box for a clerk, the look-up for an agent, the figures
for a manager; and the unit file's warranty verdict before its identity rows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories as f
from unitrace.serials.statuses import Status
from unitrace.unitfile.home import FIGURES, SCAN, SEARCH, home_kind

pytestmark = pytest.mark.django_db


def figures_on(html: str) -> dict[str, int]:
    return {
        key: int(count)
        for key, count in re.findall(
            r'id="figure-([a-z_]+)">\s*<span class="figure-count">(\d+)</span>', html
        )
    }


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("warehouse", SCAN),
        ("procurement", SCAN),
        ("engineer", SCAN),
        ("agent", SEARCH),
        ("dispatcher", SEARCH),
        ("supervisor", SEARCH),
        ("sales", SEARCH),
        ("distributor", SEARCH),
        ("manager", FIGURES),
        ("quality", FIGURES),
        ("auditor", FIGURES),
        ("admin", FIGURES),
    ],
)
def test_each_role_has_its_home(make_user, role, kind):
    assert home_kind(make_user(role)) == kind


def test_a_login_without_a_role_known_here_gets_the_scan_page(make_user):
    from django.contrib.auth.models import Group

    user = make_user("warehouse")
    user.groups.set([Group.objects.create(name="night-shift")])
    assert home_kind(user) == SCAN


def test_clerk_lands_on_the_scan_box(login):
    html = login("warehouse").get(reverse("serials:home")).content.decode()
    assert html.count('id="scan-input"') == 1 and "autofocus" in html
    assert 'id="figures"' not in html


def test_agent_lands_on_the_look_up_box_that_finds_units(login, sku):
    unit = f.UnitFactory(sku=sku, serial="AC7700123")
    client = login("agent")
    html = client.get(reverse("serials:home")).content.decode()
    assert 'id="scan-input"' not in html  # not the clerk's scan page
    assert re.search(r'<input id="search-input" name="q" type="search"[^>]*autofocus', html)
    assert f'hx-get="{reverse("serials:lookup")}"' in html
    assert f'action="{reverse("serials:home")}"' in html  # works without htmx too
    found = client.get(reverse("serials:home"), {"q": "0123"}).content.decode()
    assert reverse("serials:unit_detail", args=[unit.pk]) in found
    none = client.get(reverse("serials:home"), {"q": "ZZZ9"}).content.decode()
    assert "No unit matches" in none


def test_agent_finds_a_customer_by_phone_tail_or_name_and_reaches_the_units(login, customer):
    target = reverse("serials:customer_units", args=[customer.pk])
    client = login("agent")
    for query in (customer.phone[-4:], customer.name[:1]):
        page = client.get(reverse("serials:home"), {"q": query}).content.decode()
        assert target in page, query
        typed = client.get(reverse("serials:lookup"), {"q": query}, HTTP_HX_REQUEST="true")
        assert typed.status_code == 200 and target in typed.content.decode(), query
        assert "<html" not in typed.content.decode()  # the partial, not the page


def test_look_up_by_digits_without_personal_data_says_why(login, customer):
    client = login("warehouse")  # sees masked phones only
    html = client.get(reverse("serials:lookup"), {"q": customer.phone[-4:]}).content.decode()
    assert 'role="alert"' in html
    assert reverse("serials:customer_units", args=[customer.pk]) not in html


def test_manager_lands_on_the_figures(login, sku, warehouse, customer):
    f.units_in_stock(sku, ["FG1", "FG2", "FG3"], warehouse)
    f.PurchaseOrderFactory(lines=[(sku, 2)], warehouse=warehouse)
    f.PurchaseOrderFactory(lines=[(sku, 2)], warehouse=warehouse, opened=False)  # a draft
    f.SalesOrderFactory(buyer=customer, lines=[(sku, 1)])
    html = login("manager").get(reverse("serials:home")).content.decode()
    figures = figures_on(html)
    assert figures["units_in_stock"] == 3
    assert figures["purchase_orders_open"] == 1
    assert figures["sales_orders_open"] == 1
    assert figures["returns_open"] == 0 and figures["alerts_open"] == 0
    assert f'href="{reverse("serials:unit_list")}?status={Status.IN_STOCK}"' in html
    assert 'id="search-input"' in html  # and the look-up beside them


def test_figures_follow_the_permissions_of_the_pages_they_link(login):
    quality = figures_on(login("quality", "q-user").get(reverse("serials:home")).content.decode())
    assert "suspects_pending" in quality
    assert "sales_orders_open" not in quality  # quality may not open the sales orders


def test_figures_count_only_what_the_login_may_see(sku, warehouse, distributor):
    from unitrace.unitfile.home import figures_for

    f.units_in_stock(sku, ["SC1", "SC2"], warehouse)
    scoped = f.UserFactory(role="manager", username="scoped", party=distributor)
    counts = {fig.key: fig.count for fig in figures_for(scoped)}
    assert counts["units_in_stock"] == 0  # none of these is held by the scoping party


def test_scan_page_without_a_code_shows_no_result(login):
    html = login("agent").get(reverse("serials:scan")).content.decode()
    assert html.count('id="scan-input"') == 1
    assert "data-outcome" not in html  # no "nothing was scanned" before anything was


def test_unit_file_shows_the_warranty_verdict_before_the_identity(login, sku):
    unit = f.UnitFactory(sku=sku, serial="WV0001")
    html = login("warehouse").get(reverse("serials:unit_detail", args=[unit.pk])).content.decode()
    assert html.index('id="warranty-title"') < html.index('id="identity-title"')
