"""The order page takes an optional price per line, checked before the service sees it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from unitrace.sales.models import SalesOrder, SalesOrderLine

pytestmark = pytest.mark.django_db


def _post(client, *lines: tuple[str, str, str]):
    data = {"buyer": "C1", "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0"}
    for i, (sku, quantity, price) in enumerate(lines):
        data |= {
            f"lines-{i}-sku": sku,
            f"lines-{i}-quantity": quantity,
            f"lines-{i}-unit_price": price,
        }
    return client.post("/sales/orders/new/", data)


def test_the_form_shows_a_price_field_per_line(login, customer, sku):
    page = login("sales").get("/sales/orders/new/").content.decode()
    assert 'name="lines-0-unit_price"' in page and 'inputmode="decimal"' in page


def test_a_price_given_on_the_page_is_stored_on_the_line(login, customer, sku):
    response = _post(login("sales"), ("AC-100", "2", "1299.50"))
    assert response.status_code == 302, response.context["lines"].errors
    line = SalesOrderLine.objects.get()
    assert line.unit_price == Decimal("1299.50") and line.quantity == 2


def test_the_price_stays_optional(login, customer, sku):
    response = _post(login("sales"), ("AC-100", "1", ""))
    assert response.status_code == 302
    assert SalesOrderLine.objects.get().unit_price is None


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("-1", "The price cannot be negative."),
        ("12.345", "at most 2 decimal places"),
        ("abc", "Enter the price as a number"),
        ("NaN", "Enter the price as a number"),
        ("100000000", "The price cannot be more than 99999999.99"),
        ("1e30", "The price cannot be more than 99999999.99"),
    ],
)
def test_a_bad_price_is_refused_with_a_clear_error(login, customer, sku, price, message):
    response = _post(login("sales"), ("AC-100", "1", price))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SalesOrder.objects.exists()


def test_a_price_without_a_sku_asks_for_the_sku(login, customer, sku):
    response = _post(login("sales"), ("", "", "10"))
    assert response.status_code == 200
    assert "Give the SKU." in response.content.decode()
    assert not SalesOrder.objects.exists()


def test_one_sku_on_two_lines_with_two_prices_is_refused(login, customer, sku):
    response = _post(login("sales"), ("AC-100", "1", "10"), ("AC-100", "1", "12"))
    assert response.status_code == 200
    assert "is on another line with a different price" in response.content.decode()
    assert not SalesOrder.objects.exists()


def test_one_sku_on_two_lines_with_one_price_is_merged(login, customer, sku):
    response = _post(login("sales"), ("AC-100", "1", "10"), ("AC-100", "2", "10"))
    assert response.status_code == 302
    line = SalesOrderLine.objects.get()
    assert (line.quantity, line.unit_price) == (3, Decimal("10.00"))
