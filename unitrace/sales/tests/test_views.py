"""Sales pages: permissions, scope, masking, and that they call the same services."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from unitrace.parties.models import Party
from unitrace.sales.models import Delivery, SellThrough
from unitrace.serials import ledger
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(order, stock, warehouse):
    stock(["V1", "V2", "V3"])
    return f.delivery(order, warehouse, "V1")


PAGES = [
    # url, role without permission, role with it
    ("/sales/orders/", "quality", "warehouse"),
    ("/sales/orders/new/", "warehouse", "sales"),
    ("/sales/orders/{order}/", "distributor", "agent"),
    ("/sales/deliveries/", "quality", "auditor"),
    ("/sales/deliveries/{delivery}/", "procurement", "warehouse"),
    ("/sales/deliveries/{delivery}/print/", "distributor", "sales"),
    ("/sales/deliveries/{delivery}/note.pdf", "distributor", "sales"),
    ("/sales/customers/", "distributor", "agent"),
    ("/sales/customers/new/", "agent", "sales"),
    ("/sales/distributors/", "distributor", "manager"),
    ("/sales/distributors/new/", "warehouse", "sales"),
    ("/sales/channels/", "quality", "sales"),
    ("/sales/channels/new/", "warehouse", "sales"),
    ("/sales/my/units/", "warehouse", "distributor"),
    ("/sales/my/sell/", "agent", "distributor"),
    ("/sales/my/sales/", "warehouse", "distributor"),
]


@pytest.mark.parametrize(("url", "denied", "allowed"), PAGES)
def test_page_permissions(delivered, login, client, url, denied, allowed):
    url = url.format(order=delivered.order_id, delivery=delivered.pk)
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(None).get(url).status_code == 403
    assert login(denied, "denied").get(url).status_code == 403
    assert login(allowed, "allowed").get(url).status_code == 200


def test_wrong_scope_pages_are_404(delivered, login, distributor):
    client = login("sales", "dealer", party=distributor)
    assert client.get(f"/sales/orders/{delivered.order_id}/").status_code == 404
    assert client.get(f"/sales/deliveries/{delivered.pk}/").status_code == 404
    assert client.get("/sales/customers/").context["rows"] == []


def test_customer_list_masks_phones_without_pii(customer, login):
    page = login("auditor").get("/sales/customers/").content.decode()
    assert "138****1234" in page and "13812341234" not in page and "文三路" not in page
    page = login("sales", "s2").get("/sales/customers/").content.decode()
    assert "13812341234" in page


def test_order_page_masks_the_buyer_for_roles_without_pii(delivered, login):
    page = login("warehouse").get(f"/sales/orders/{delivered.order_id}/").content.decode()
    assert "138****1234" in page and "13812341234" not in page
    note = login("warehouse", "w2").get(f"/sales/deliveries/{delivered.pk}/print/")
    assert "138****1234" in note.content.decode()


def test_create_customer_and_distributor_pages(login):
    client = login("sales")
    bad = client.post("/sales/customers/new/", {"name": "赵六", "phone": "12345"})
    assert bad.status_code == 200 and "Chinese mobile" in bad.content.decode()
    ok = client.post(
        "/sales/customers/new/",
        {"name": "赵六", "phone": "13900001234", "province": "浙江省", "active": "on"},
    )
    assert ok.status_code == 302
    party = Party.objects.get(name="赵六")
    client.post(f"/sales/customers/{party.pk}/", {"name": "赵六六", "phone": "13900001234"})
    party.refresh_from_db()
    assert party.name == "赵六六"
    client.post(
        "/sales/distributors/new/",
        {"code": "D7", "name": "苏州经销", "active": "on", "regions": "江苏省 苏州市\n浙江省"},
    )
    assert sorted(Party.objects.get(code="D7").regions.values_list("province", "city")) == [
        ("江苏省", "苏州市"),
        ("浙江省", ""),
    ]


def test_order_then_deliver_by_scanning_on_the_page(login, customer, sku, stock, warehouse):
    client = login("sales")
    response = client.post(
        "/sales/orders/new/",
        {
            "buyer": "C1",
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-0-sku": "AC-100",
            "lines-0-quantity": "2",
            "lines-1-sku": "",
            "lines-1-quantity": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    order_url = response["Location"]
    stock(["PG1", "PG2"])
    refused = client.post(order_url, {"warehouse": "HQ", "serials": "PG1\nNOPE\n"})
    assert refused.status_code == 200
    assert "no unit with serial NOPE" in refused.content.decode()
    assert Delivery.objects.count() == 0
    done = client.post(order_url, {"warehouse": "HQ", "serials": "PG1\nPG2\n"})
    delivery = Delivery.objects.get()
    assert done["Location"] == f"/sales/deliveries/{delivery.pk}/"
    page = client.get(done["Location"]).content.decode()
    assert "PG1" in page and "AC-100" in page
    assert client.get(f"/sales/deliveries/{delivery.pk}/note.pdf").content.startswith(b"%PDF")


def test_distributor_records_a_sale_on_the_page(
    login, sku, distributor, other_distributor, stock, warehouse
):
    stock(["M1", "M2"])
    f.delivery(f.SalesOrderFactory(buyer=distributor, lines=[(sku, 1)]), warehouse, "M1")
    f.delivery(f.SalesOrderFactory(buyer=other_distributor, lines=[(sku, 1)]), warehouse, "M2")
    client = login("distributor", party=distributor)
    units = client.get("/sales/my/units/").content.decode()
    # whole words: a random CSRF token on the page may contain "M2" by chance
    assert re.search(r"\bM1\b", units) and not re.search(r"\bM2\b", units)
    theirs = client.post(
        "/sales/my/sell/",
        {"serial": "M2", "customer_name": "钱七", "customer_phone": "13900009999"},
    )
    assert "no unit with serial M2" in theirs.content.decode()
    ok = client.post(
        "/sales/my/sell/",
        {
            "serial": "M1",
            "customer_name": "钱七",
            "customer_phone": "13900009999",
            "province": "浙江省",
        },
    )
    assert ok.status_code == 302
    assert SellThrough.objects.get().unit.serial == "M1"
    sales = client.get("/sales/my/sales/").content.decode()
    assert "钱七" in sales and "139****9999" in sales


def scan(client, order, code: str, scanned=(), warehouse: str = "HQ", **extra) -> str:
    response = client.post(
        f"/sales/orders/{order.pk}/scan/",
        {"code": code, "warehouse": warehouse, "scanned": list(scanned)},
        **extra,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_each_delivery_scan_is_checked_at_once(login, order, stock, warehouse):
    stock(["PS1", "PS2"])
    client = login("sales")
    htmx = {"HTTP_HX_REQUEST": "true"}
    ok = scan(client, order, "PS1", **htmx)
    assert 'data-scan-outcome="accepted"' in ok and "<html" not in ok
    assert 'data-scan-counts="{&quot;scanned&quot;: 1, &quot;sku:AC-100&quot;: 1}"' in ok
    # the kept unit joins the list the delivery form submits
    assert 'hx-swap-oob="beforeend:#delivery-scanned"' in ok
    assert '<input type="hidden" name="scanned" value="PS1">' in ok
    twice = scan(client, order, "PS1", ["PS1"], **htmx)
    assert 'data-scan-outcome="duplicate"' in twice
    assert "Already scanned in this delivery (scan 1)" in twice
    assert 'name="scanned"' not in twice
    nope = scan(client, order, "NOPE", ["PS1"], **htmx)
    assert 'data-scan-outcome="refused"' in nope and 'data-scan-reason="unknown_serial"' in nope
    nowhere = scan(client, order, "PS2", warehouse="XX", **htmx)
    assert 'data-scan-reason="unknown_warehouse"' in nowhere
    assert "No active warehouse has the code XX." in nowhere
    assert Delivery.objects.count() == 0  # a scan writes nothing


def test_a_held_unit_is_refused_at_the_scan(login, order, stock, warehouse):
    stock(["HQ1"])
    ledger.block(Unit.objects.get(serial="HQ1"))
    answer = scan(login("sales"), order, "HQ1", HTTP_HX_REQUEST="true")
    assert 'data-scan-outcome="refused"' in answer and 'data-scan-reason="status_blocked"' in answer
    assert "A unit that is blocked cannot be delivered / sold" in answer


def test_kept_scans_are_delivered_with_the_pasted_list(login, order, stock, warehouse):
    stock(["K1", "K2", "K3"])
    client = login("sales")
    page = client.get(f"/sales/orders/{order.pk}/").content.decode()
    assert 'id="delivery-scan-form"' in page and "data-scanner " in page
    assert "unitrace/scanner.js" in page and 'data-scan-count="sku:AC-100"' in page
    assert 'form="deliver-form"' in page  # the warehouse goes with the delivery
    done = client.post(
        f"/sales/orders/{order.pk}/",
        {"warehouse": "HQ", "scanned": ["K1", "K2"], "serials": "K3"},
    )
    delivery = Delivery.objects.get()
    assert done["Location"] == f"/sales/deliveries/{delivery.pk}/"
    assert sorted(delivery.items.values_list("unit__serial", flat=True)) == ["K1", "K2", "K3"]


def test_a_refused_delivery_keeps_the_scans_on_the_page(login, order, stock, warehouse):
    stock(["R1", "R2"])
    client = login("sales")
    refused = client.post(
        f"/sales/orders/{order.pk}/", {"warehouse": "HQ", "scanned": ["R1", "R1", "R2"]}
    ).content.decode()
    assert "the same unit as row 1" in refused
    assert refused.count('name="scanned"') == 3  # nothing the clerk scanned is lost
    assert Delivery.objects.count() == 0


def test_delivery_scan_without_javascript_and_permissions(login, order, stock, warehouse):
    stock(["N1"])
    page = scan(login("sales"), order, "N1")
    assert "<html" in page and 'data-scan-outcome="accepted"' in page
    assert '<input type="hidden" name="scanned" value="N1">' in page
    denied = login("agent", "a-scan").post(
        f"/sales/orders/{order.pk}/scan/", {"code": "N1", "warehouse": "HQ"}
    )
    assert denied.status_code == 403
