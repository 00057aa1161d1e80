"""Return and exchange pages: permissions, and that they call the same services."""

from __future__ import annotations

import pytest

from unitrace.sales.delivery import deliver_order
from unitrace.sales.scanning import rows_from_text
from unitrace.serials.models import Unit
from unitrace.service.models import RMA

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(order, stock, warehouse):
    stock(["V1", "V2", "V3"])
    return deliver_order(order, warehouse, rows_from_text("V1"))


PAGES = [
    # url, role without permission, role with it
    ("/sales/returns/", "distributor", "quality"),
    ("/sales/returns/new/", "quality", "agent"),
]


@pytest.mark.parametrize(("url", "denied", "allowed"), PAGES)
def test_page_permissions(delivered, login, client, url, denied, allowed):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(None).get(url).status_code == 403
    assert login(denied, "denied").get(url).status_code == 403
    assert login(allowed, "allowed").get(url).status_code == 200


def test_return_and_inspect_on_the_pages(delivered, login):
    client = login("agent")
    response = client.post(
        "/sales/returns/new/",
        {
            "action": "return",
            "ret-warehouse": "HQ",
            "ret-serials": "V1",
            "ret-reason": "退货",
            "ret-result": "pending",
        },
    )
    assert response.status_code == 302
    rma = RMA.objects.get()
    line = rma.lines.get()
    client.post(f"/sales/returns/{rma.pk}/", {f"result-{line.pk}": "resaleable"})
    assert Unit.objects.get(serial="V1").status == "in_stock"
    rma.refresh_from_db()
    assert rma.status == "closed"


def test_exchange_on_the_page(delivered, login):
    client = login("sales")
    response = client.post(
        "/sales/returns/new/",
        {
            "action": "exchange",
            "ex-old_serial": "V1",
            "ex-new_serial": "V2",
            "ex-warehouse": "HQ",
            "ex-reason": "坏了",
            "ex-result": "scrap",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(serial="V2").holder.code == "C1"
    assert Unit.objects.get(serial="V1").status == "scrapped"
    refused = client.post(
        "/sales/returns/new/",
        {
            "action": "exchange",
            "ex-old_serial": "V2",
            "ex-new_serial": "V1",
            "ex-warehouse": "HQ",
            "ex-reason": "x",
            "ex-result": "pending",
        },
    )
    assert "cannot be delivered" in refused.content.decode()
