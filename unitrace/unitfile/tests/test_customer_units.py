"""A customer's units page: state, SKU and warranty end of what the customer holds,
reached from the customer list and from the customer search, within the data scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f
from unitrace.core.models import ChangeLog
from unitrace.warranty.services import warranty_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def holdings(sku, warehouse, customer, distributor):
    """The customer holds two units: one bought directly, one through the distributor;
    another customer holds a third."""
    direct = f.UnitFactory(
        serial="CU-DIRECT", sku=sku, history=[f.received(warehouse), f.delivered(customer)]
    )
    via_dealer = f.UnitFactory(
        serial="CU-DEALER",
        sku=sku,
        history=[f.received(warehouse), f.delivered(distributor), f.sold_through(customer)],
    )
    other = f.CustomerFactory(code="C-OTHER", name="王五", phone="13600007777")
    elsewhere = f.UnitFactory(
        serial="CU-OTHER", sku=sku, history=[f.received(warehouse), f.delivered(other)]
    )
    in_stock = f.UnitFactory(serial="CU-STOCK", sku=sku, history=[f.received(warehouse)])
    return {"direct": direct, "dealer": via_dealer, "other": other, "units": [elsewhere, in_stock]}


def page(client, customer):
    return client.get(reverse("serials:customer_units", args=[customer.pk]))


def test_lists_the_customers_units_with_state_sku_and_warranty_end(login, customer, holdings, sku):
    response = page(login("agent"), customer)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CU-DIRECT" in html and "CU-DEALER" in html
    assert "CU-OTHER" not in html and "CU-STOCK" not in html
    assert sku.code in html
    end = warranty_for(holdings["direct"]).end
    assert end is not None and end.isoformat() in html
    assert 'class="badge status-sold"' in html
    assert "张三" in html and "13812341234" in html  # the agent sees personal data


def test_masked_for_a_role_without_personal_data(login, customer, holdings):
    html = page(login("warehouse"), customer).content.decode()
    assert "CU-DIRECT" in html
    assert "张三" not in html and "张*" in html
    assert "13812341234" not in html and "138****1234" in html


def test_a_partner_sees_only_the_units_it_sold_and_nobody_else(
    client, customer, holdings, distributor
):
    f.logged_in(client, f.distributor_login(distributor))
    html = page(client, customer).content.decode()
    assert "CU-DEALER" in html and "CU-DIRECT" not in html
    # a customer holding none of the partner's units is not shown at all
    assert page(client, holdings["other"]).status_code == 404


def test_not_a_customer_or_no_role(login, customer, holdings, distributor, client):
    agent = login("agent")
    assert page(agent, distributor).status_code == 404  # a distributor is no customer
    assert agent.get(reverse("serials:customer_units", args=[999999])).status_code == 404
    client.logout()
    assert page(login(None), customer).status_code == 403


def test_an_unmasked_page_is_recorded(login, customer, holdings):
    page(login("agent"), customer)
    entry = ChangeLog.objects.get(action=ChangeLog.Action.READ, after__what="page:customer_units")
    assert entry.after["rows"] == 2
    assert entry.after["filters"]["customer"] == customer.code
    page(login("warehouse", "clerk"), customer)  # masked: not personal-data access
    assert ChangeLog.objects.filter(after__what="page:customer_units").count() == 1


def test_customer_rows_and_search_results_lead_to_the_page(login, customer, holdings):
    client = login("sales")
    target = reverse("serials:customer_units", args=[customer.pk])
    assert target in client.get(reverse("sales:customers")).content.decode()
    found = client.get(reverse("serials:customer_search"), {"q": "1234"})
    assert found.status_code == 200
    assert target in found.content.decode()
    by_name = client.get(reverse("serials:customer_search"), {"q": "张"})
    assert target in by_name.content.decode()


def test_search_page_refuses_digits_without_personal_data(login, customer, holdings):
    response = login("warehouse").get(reverse("serials:customer_search"), {"q": "1234"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert reverse("serials:customer_units", args=[customer.pk]) not in html
