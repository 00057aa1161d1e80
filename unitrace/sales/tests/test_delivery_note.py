"""The delivery note PDF: embedded font, company header, prices and amounts when the
order has them, carrier and tracking number, the signature lines, two copies."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image
from pypdf import PdfReader

from unitrace.core.company import save_company
from unitrace.sales.delivery import deliver_order
from unitrace.sales.notes import delivery_note_pdf
from unitrace.sales.orders import create_order
from unitrace.sales.scanning import rows_from_text

pytestmark = pytest.mark.django_db


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def fonts_embedded(pdf: bytes) -> dict[str, bool]:
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            found[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    return found


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 40), (11, 92, 173)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def company(db):
    return save_company(
        values={
            "name": "宁波海川电器有限公司",
            "address": "浙江省宁波市北仑区大港路 8 号",
            "hotline": "400-820-1234",
            "website": "https://www.haichuan.example.cn",
        },
        logo=png(),
    )


def test_the_note_has_the_company_prices_carrier_signatures_and_two_copies(
    company, customer, sku, other_sku, stock, warehouse, make_user
):
    order = create_order(customer, [(sku, 2), (other_sku, 1)], prices={sku.pk: Decimal("2999.00")})
    stock(["P1", "P2"])
    stock(["Q1"], sku_=other_sku)
    delivery = deliver_order(
        order,
        warehouse,
        rows_from_text("P1 P2 Q1"),
        carrier="顺丰速运",
        tracking_number="SF1234567890",
    )
    pdf = delivery_note_pdf(delivery, make_user("sales", "seller"))
    fonts = fonts_embedded(pdf)
    assert fonts and all(fonts.values()), fonts
    pages = pages_text(pdf)
    assert len(pages) == 2
    customer_copy, warehouse_copy = pages
    assert "客户联" in customer_copy and "仓库联" in warehouse_copy
    for text in pages:
        assert "宁波海川电器有限公司" in text and "400-820-1234" in text
        assert "浙江省宁波市北仑区大港路 8 号" in text
        assert "顺丰速运" in text and "SF1234567890" in text
        assert "¥2,999.00" in text and "¥5,998.00" in text  # price and amount of AC-100
        assert "发货人" in text and "审核" in text and "签收" in text
        assert "P1" in text and "Q1" in text and delivery.number in text
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1  # the logo


def test_an_order_without_prices_prints_no_amounts(customer, sku, stock, warehouse, make_user):
    order = create_order(customer, [(sku, 1)])
    stock(["R1"])
    delivery = deliver_order(order, warehouse, rows_from_text("R1"))
    text = pages_text(delivery_note_pdf(delivery, make_user("sales", "seller")))[0]
    assert "¥" not in text and "Unit price" not in text
    assert "R1" in text and "Carrier" not in text


def test_a_missing_font_is_a_clear_503_on_the_page(
    settings, login, customer, sku, stock, warehouse
):
    order = create_order(customer, [(sku, 1)])
    stock(["M1"])
    delivery = deliver_order(order, warehouse, rows_from_text("M1"))
    settings.UNITRACE_PDF_FONT = "/nonexistent/font.ttf"
    client = login("sales")
    page = client.get(f"/sales/deliveries/{delivery.pk}/note.pdf")
    assert page.status_code == 503 and "Chinese font" in page.content.decode()
    from rest_framework.test import APIClient

    from tests import factories as f

    api = f.token_client(f.UserFactory(role="sales", username="api-seller"))
    assert isinstance(api, APIClient)
    answer = api.get(f"/api/v1/deliveries/{delivery.pk}/note.pdf")
    assert answer.status_code == 503
    assert answer.json()["code"] == "pdf_font_missing"


def test_carrier_and_tracking_come_through_the_api(api, customer, sku, stock, warehouse):
    order = create_order(customer, [(sku, 1)])
    stock(["T1"])
    response = api("warehouse").post(
        "/api/v1/deliveries/",
        {
            "order": order.number,
            "warehouse": warehouse.code,
            "serials": ["T1"],
            "carrier": "京东物流",
            "tracking_number": "JD0001",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["carrier"] == "京东物流"
    assert response.json()["tracking_number"] == "JD0001"


def test_order_line_prices_through_the_api(api, customer, sku):
    client = api("sales")
    body = {"buyer": customer.code, "lines": [{"sku": sku.code, "quantity": 2, "unit_price": "-1"}]}
    assert client.post("/api/v1/sales-orders/", body, format="json").status_code == 400
    body["lines"][0]["unit_price"] = "1999.50"
    created = client.post("/api/v1/sales-orders/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["lines"][0]["unit_price"] == "1999.50"


def test_the_printable_page_has_the_company_carrier_and_signature_lines(
    company, login, customer, sku, stock, warehouse
):
    order = create_order(customer, [(sku, 1)])
    stock(["H1"])
    delivery = deliver_order(
        order, warehouse, rows_from_text("H1"), carrier="顺丰速运", tracking_number="SF42"
    )
    html = login("sales").get(f"/sales/deliveries/{delivery.pk}/print/").content.decode()
    assert "宁波海川电器有限公司" in html and "400-820-1234" in html
    assert "顺丰速运" in html and "SF42" in html
    assert "发货人" in html and "审核" in html and "签收" in html
    # styled and printable under the Content-Security-Policy: no inline style or handler
    assert "<style" not in html and "onclick" not in html
    assert "sales/delivery_print.css" in html and "data-print" in html
    assert f"/sales/deliveries/{delivery.pk}/note.pdf" in html
