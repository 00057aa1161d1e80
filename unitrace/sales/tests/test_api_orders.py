"""Orders and deliveries over the API: shapes, 201/400 with rows, the PDF note."""

from __future__ import annotations

import pytest

from unitrace.core.testing.errors import field_errors
from unitrace.sales.models import Delivery

pytestmark = pytest.mark.django_db


def test_create_order_then_deliver_in_two_parts(api, customer, sku, channel, stock, warehouse):
    client = api("sales")
    response = client.post(
        "/api/v1/sales-orders/",
        {"buyer": "C1", "channel": "JD", "lines": [{"sku": "AC-100", "quantity": 3}]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    order = response.json()
    assert order["number"].startswith("SO-") and order["status"] == "open"
    assert order["lines"] == [
        {
            "id": order["lines"][0]["id"],
            "sku": "AC-100",
            "sku_name": "空调室内机",
            "quantity": 3,
            "delivered": 0,
            "remaining": 3,
            "unit_price": None,
        }
    ]
    stock(["A1", "A2", "A3"])
    first = client.post(
        "/api/v1/deliveries/",
        {"order": order["number"], "warehouse": "HQ", "serials": ["A1", "A2"]},
        format="json",
    )
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["units"] == [
        {"sku": "AC-100", "name": "空调室内机", "count": 2, "serials": ["A1", "A2"]}
    ]
    assert client.get(f"/api/v1/sales-orders/{order['id']}/").json()["status"] == "partial"
    second = client.post(
        "/api/v1/deliveries/",
        {"order": str(order["id"]), "warehouse": "HQ", "serials": ["A3"]},
        format="json",
    )
    assert second.status_code == 201
    detail = client.get(f"/api/v1/sales-orders/{order['id']}/").json()
    assert detail["status"] == "delivered"
    assert [d["unit_count"] for d in detail["deliveries"]] == [2, 1]
    listed = client.get("/api/v1/deliveries/", {"order": order["number"]}).json()
    assert listed["count"] == 2


def test_refused_delivery_is_400_with_rows(api, order, stock):
    stock(["A1"])
    response = api("warehouse").post(
        "/api/v1/deliveries/",
        {"order": order.number, "warehouse": "HQ", "serials": ["A1", "ZZ9"]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["rows"] == [
        {
            "row": 2,
            "field": "serial",
            "value": "ZZ9",
            "message": "no unit with serial ZZ9",
            "code": "unknown_serial",
        }
    ]
    assert "nothing was delivered" in body["detail"]
    assert body["code"] == "delivery_refused" and body["field"] is None
    assert Delivery.objects.count() == 0


def test_bad_references_are_400(api, order, warehouse):
    client = api("sales")
    bad = client.post(
        "/api/v1/deliveries/", {"order": "SO-x", "warehouse": "HQ", "serials": ["A"]}, format="json"
    )
    assert bad.status_code == 400 and "unknown order" in field_errors(bad.json())["order"][0]
    bad = client.post(
        "/api/v1/deliveries/",
        {"order": order.number, "warehouse": "NOPE", "serials": ["A"]},
        format="json",
    )
    assert (
        bad.status_code == 400 and "unknown warehouse" in field_errors(bad.json())["warehouse"][0]
    )
    empty = client.post(
        "/api/v1/deliveries/",
        {"order": order.number, "warehouse": "HQ", "serials": []},
        format="json",
    )
    assert empty.status_code == 400, empty.json()
    assert "at least one" in empty.json()["detail"], empty.json()
    bad = client.post(
        "/api/v1/sales-orders/",
        {"buyer": "C1", "lines": [{"sku": "AC-100", "quantity": 0}]},
        format="json",
    )
    assert bad.status_code == 400
    bad = client.post(
        "/api/v1/sales-orders/",
        {"buyer": "SUP1", "lines": [{"sku": "AC-100", "quantity": 1}]},
        format="json",
    )
    assert bad.status_code == 400


def test_supplier_is_not_a_buyer(api, supplier, sku):
    response = api("sales").post(
        "/api/v1/sales-orders/",
        {"buyer": "SUP1", "lines": [{"sku": "AC-100", "quantity": 1}]},
        format="json",
    )
    assert response.status_code == 400
    assert "not a customer or distributor" in field_errors(response.json())["buyer"][0]


def test_delivery_from_an_uploaded_file(api, order, stock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    stock(["F1", "F2"])
    upload = SimpleUploadedFile("dn.csv", "序列号\nF1\nF2\n".encode("utf-8-sig"))
    response = api("warehouse").post(
        "/api/v1/deliveries/",
        {"order": order.number, "warehouse": "HQ", "file": upload},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["unit_count"] == 2


def test_delivery_note_pdf_lists_serials_by_sku(api, order, stock, warehouse):
    from unitrace.sales.delivery import deliver_order
    from unitrace.sales.scanning import rows_from_text

    stock(["N1", "N2"])
    delivery = deliver_order(order, warehouse, rows_from_text("N1 N2"))
    client = api("sales")
    response = client.get(f"/api/v1/deliveries/{delivery.pk}/note.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="{delivery.number}.pdf"'
    assert b"STSong-Light" not in response.content  # the font is embedded, not named
    assert b"/FontFile2" in response.content


def test_cancel_order(api, order):
    client = api("sales")
    response = client.post(f"/api/v1/sales-orders/{order.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
