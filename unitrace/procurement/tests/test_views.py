"""The procurement pages: what a clerk, a buyer and a quality engineer see and do."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from unitrace.parties.models import Party
from unitrace.procurement.models import ExpectedSerial, PurchaseOrder, SuspectUnit
from unitrace.procurement.receiving import receive_scan
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db
AC_GTIN = "06901234567892"


def test_order_list_and_detail(login, order, listed):
    client = login("warehouse")

    listing = client.get(reverse("procurement:order_list"), {"status": "open"})
    detail = client.get(reverse("procurement:order_detail", args=[order.pk]))

    assert listing.status_code == 200 and "PO-T1" in listing.content.decode()
    page = detail.content.decode()
    assert detail.status_code == 200
    assert 'id="receive-link"' in page and "A0001" in page
    assert 'id="asn-form"' not in page  # clerks don't import the supplier's list


def test_create_an_order_from_the_form(login, supplier, warehouse, sku):
    client = login("procurement")
    data = {
        "supplier": "SUP1",
        "warehouse": "HQ",
        "currency": "CNY",
        "number": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-sku": "AC-100",
        "lines-0-quantity": "7",
        "lines-0-unit_price": "10.5",
        "lines-1-sku": "",
        "lines-1-quantity": "",
    }

    response = client.post(reverse("procurement:order_create"), data)

    order = PurchaseOrder.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "procurement:order_detail", args=[order.pk]
    )
    assert list(order.lines.values_list("sku__code", "quantity")) == [("AC-100", 7)]


def test_order_form_shows_service_errors(login, supplier, sku):
    data = {
        "supplier": "SUP1",
        "currency": "CNY",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-sku": "",
        "lines-0-quantity": "",
    }

    response = login("procurement").post(reverse("procurement:order_create"), data)

    assert response.status_code == 200
    assert "An order needs at least one line." in response.content.decode()


def test_status_buttons(login, draft):
    client = login("procurement")

    client.post(reverse("procurement:order_status", args=[draft.pk]), {"action": "open"})
    refused = client.post(
        reverse("procurement:order_status", args=[draft.pk]), {"action": "open"}, follow=True
    )

    assert PurchaseOrder.objects.get(pk=draft.pk).status == "open"
    assert "Only a draft order can be opened." in refused.content.decode()


def test_asn_upload_shows_row_errors_or_stores(login, order):
    client = login("procurement")
    url = reverse("procurement:asn_upload", args=[order.pk])

    bad = client.post(
        url,
        {
            "mode": "all",
            "file": SimpleUploadedFile("asn.csv", "型号,序列号\nAC-100,U1\nNOPE,U2\n".encode()),
        },
    )
    good = client.post(
        url,
        {"mode": "all", "file": SimpleUploadedFile("asn.csv", "型号,序列号\nAC-100,U1\n".encode())},
    )

    assert bad.status_code == 400
    assert "unknown SKU &#x27;NOPE&#x27;" in bad.content.decode()
    assert good.status_code == 302
    assert list(ExpectedSerial.objects.values_list("serial", flat=True)) == ["U1"]


def test_receiving_page_has_one_focused_scan_field(login, order, listed):
    response = login("warehouse").get(reverse("procurement:receive", args=[order.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('name="code"') == 1
    assert 'id="receive-input"' in page and "autofocus" in page
    assert "unitrace/scanner.js" in page and "unitrace/scanner.css" in page
    assert 'data-scanner data-scanner-target="#receive-feedback"' in page
    assert "data-scanner-input" in page
    assert 'value="HQ"' in page


def test_a_scan_by_htmx_returns_feedback_counts_and_a_log_line(login, order, listed):
    client = login("warehouse")
    url = reverse("procurement:receive_scan", args=[order.pk])

    response = client.post(url, {"code": "A0001", "warehouse": "HQ"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-scan-outcome="accepted" data-scan-reason="accepted"' in page
    assert "A0001 accepted (AC-100)" in page
    assert 'id="receive-counts" hx-swap-oob="true"' in page
    assert (
        'data-scan-counts="{&quot;scanned&quot;: 1, &quot;accepted&quot;: 1, '
        "&quot;suspected&quot;: 0, &quot;refused&quot;: 0, &quot;received&quot;: 1}" in page
    )
    assert '<dd id="count-accepted" data-scan-count="accepted">1</dd>' in page
    # the first unit makes the order partially received: the header says so at once
    assert '<span id="po-status" hx-swap-oob="true">' in page and 'data-status="partial"' in page
    assert "<extends" not in page and "<html" not in page


def test_refused_scans_declare_refused_with_the_reason(login, order, listed):
    client = login("warehouse")
    url = reverse("procurement:receive_scan", args=[order.pk])

    response = client.post(
        url, {"code": "(01)06901234567915(21)Q", "warehouse": "HQ"}, HTTP_HX_REQUEST="true"
    )

    page = response.content.decode()
    assert 'data-scan-outcome="refused" data-scan-reason="unknown"' in page
    assert "alert-success" not in page


def test_a_scan_without_javascript_renders_the_whole_page(login, order, listed):
    response = login("warehouse").post(
        reverse("procurement:receive_scan", args=[order.pk]), {"code": "A0002", "warehouse": "HQ"}
    )

    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page
    assert "A0002 accepted (AC-100)" in page


def test_the_chosen_sku_applies_to_plain_serials(login, order, fan):
    login("warehouse").post(
        reverse("procurement:receive_scan", args=[order.pk]),
        {"code": "PLAIN1", "warehouse": "HQ", "sku": "FAN-200"},
        HTTP_HX_REQUEST="true",
    )

    assert Unit.objects.get(serial="PLAIN1").sku == fan


def test_bulk_receiving_from_the_page(login, order, listed):
    client = login("warehouse")
    url = reverse("procurement:receive_bulk", args=[order.pk])

    refused = client.post(url, {"warehouse": "HQ", "serials": "A0001-A0003 ZZZ"})
    done = client.post(url, {"warehouse": "HQ", "serials": "A0001-A0003"})

    assert refused.status_code == 400
    assert "1 of 4 rows refused; nothing was received" in refused.content.decode()
    assert done.status_code == 302
    assert Unit.objects.filter(status="in_stock").count() == 3


def test_bulk_receiving_from_a_file(login, order, listed):
    upload = SimpleUploadedFile("r.csv", b"serial\nF0001\nF0002\n")

    response = login("warehouse").post(
        reverse("procurement:receive_bulk", args=[order.pk]),
        {"warehouse": "HQ", "file": upload, "serials": ""},
    )

    assert response.status_code == 302
    assert Unit.objects.filter(sku__code="FAN-200").count() == 2


def test_closing_a_receipt(login, order, receipt):
    login("warehouse").post(reverse("procurement:receipt_close", args=[receipt.pk]))

    receipt.refresh_from_db()
    assert receipt.status == "closed"


def test_deciding_a_suspect_from_the_list(login, receipt, listed):
    receive_scan(receipt, f"(01){AC_GTIN}(21)FAKE")
    suspect = SuspectUnit.objects.get()
    client = login("quality")

    listing = client.get(reverse("procurement:suspect_list"))
    no_reason = client.post(
        reverse("procurement:suspect_decide", args=[suspect.pk]),
        {"decision": "rejected", "notes": ""},
        follow=True,
    )
    client.post(
        reverse("procurement:suspect_decide", args=[suspect.pk]),
        {"decision": "accepted", "notes": "OK"},
    )

    assert "FAKE" in listing.content.decode()
    assert "Say why the unit is rejected." in no_reason.content.decode()
    suspect.refresh_from_db()
    assert suspect.decision == "accepted"
    assert Unit.objects.get(serial="FAKE").status == "in_stock"


def test_quality_page(login, receipt, listed):
    receive_scan(receipt, "A0001")
    receive_scan(receipt, "A0001")

    response = login("procurement").get(reverse("procurement:quality"))

    page = response.content.decode()
    assert 'data-supplier="SUP1"' in page
    assert ">50%<" in page


def test_supplier_list_and_create(login, supplier):
    client = login("procurement")

    created = client.post(reverse("procurement:supplier_list"), {"code": "S9", "name": "新供应商"})
    listing = client.get(reverse("procurement:supplier_list"))

    assert created.status_code == 302
    assert Party.objects.get(code="S9").kind == "supplier"
    assert "新供应商" in listing.content.decode()
