"""The procurement API: orders, lines, the supplier's list, receiving, suspects, quality."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from unitrace.procurement.models import ExpectedSerial, PurchaseOrder, SuspectUnit
from unitrace.procurement.tests.conftest import FAKE1, FAN_GTIN
from unitrace.serials.models import Unit

pytestmark = pytest.mark.django_db
AC_GTIN = "06901234567892"


def po_url(order, tail: str = "") -> str:
    return f"/api/v1/purchase-orders/{order.pk}/{tail}"


def test_create_an_order_with_lines(api, supplier, warehouse, sku, fan):
    client = api("procurement")

    response = client.post(
        "/api/v1/purchase-orders/",
        {
            "supplier": "SUP1",
            "warehouse": "HQ",
            "lines": [
                {
                    "sku": "AC-100",
                    "quantity": 10,
                    "unit_price": "1999.00",
                    "expected_date": "2026-12-01",
                },
                {"sku": "FAN-200", "quantity": 5},
            ],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith(f"PO-{timezone.localdate():%Y%m%d}-")
    assert (body["status"], body["supplier"], body["warehouse"]) == ("draft", "SUP1", "HQ")
    assert [(line["sku"], line["quantity"], line["remaining"]) for line in body["lines"]] == [
        ("AC-100", 10, 10),
        ("FAN-200", 5, 5),
    ]
    assert body["lines"][0]["unit_price"] == "1999.0000"


def test_order_errors_are_400s_with_the_reason(api, supplier, customer, sku):
    client = api("procurement")

    twice = client.post(
        "/api/v1/purchase-orders/",
        {
            "supplier": "SUP1",
            "lines": [{"sku": "AC-100", "quantity": 1}, {"sku": "AC-100", "quantity": 2}],
        },
        format="json",
    )
    not_supplier = client.post(
        "/api/v1/purchase-orders/",
        {"supplier": "C1", "lines": [{"sku": "AC-100", "quantity": 1}]},
        format="json",
    )

    assert twice.status_code == 400
    assert twice.json() == {
        "code": "invalid",
        "detail": "SKU AC-100 appears twice; put its whole quantity on one line.",
        "field": "lines",
        "rows": [
            {
                "row": None,
                "field": "lines",
                "code": "invalid",
                "message": "SKU AC-100 appears twice; put its whole quantity on one line.",
                "value": "",
            }
        ],
    }
    assert not_supplier.status_code == 400 and not_supplier.json()["field"] == "supplier"
    assert not PurchaseOrder.objects.exists()


def test_list_filter_edit_lines_and_status(api, draft, other_sku):
    client = api("procurement")

    assert client.get("/api/v1/purchase-orders/", {"status": "draft"}).json()["count"] == 1
    assert client.get("/api/v1/purchase-orders/", {"status": "open"}).json()["count"] == 0
    edited = client.patch(po_url(draft), {"notes": "加急"}, format="json")
    assert edited.status_code == 200 and edited.json()["notes"] == "加急"
    added = client.post(po_url(draft, "lines/"), {"sku": "TV-9", "quantity": 4}, format="json")
    assert added.status_code == 201
    line_id = added.json()["id"]
    changed = client.patch(po_url(draft, f"lines/{line_id}/"), {"quantity": 6}, format="json")
    assert changed.json()["quantity"] == 6
    assert client.delete(po_url(draft, f"lines/{line_id}/")).status_code == 204
    assert len(client.get(po_url(draft, "lines/")).json()) == 2
    assert client.post(po_url(draft, "open/")).json()["status"] == "open"
    refused = client.post(po_url(draft, "open/"))
    assert refused.status_code == 400 and refused.json()["field"] == "status"
    assert refused.json()["detail"] == "Only a draft order can be opened."
    assert client.post(po_url(draft, "close/")).json()["status"] == "closed"


def test_a_draft_can_be_deleted(api, draft):
    assert api("procurement").delete(po_url(draft)).status_code == 204
    assert not PurchaseOrder.objects.exists()


def test_asn_from_json_rows_serials_and_a_file(api, order):
    client = api("procurement")

    rows = client.post(
        po_url(order, "asn/"),
        {"rows": [{"sku": "AC-100", "serial": "J1", "supplier_serial": "VJ1"}]},
        format="json",
    )
    serials = client.post(
        po_url(order, "asn/"), {"sku": "FAN-200", "serials": ["J2"]}, format="json"
    )
    upload = SimpleUploadedFile("asn.csv", "型号,序列号\nAC-100,J3\n".encode("gbk"))
    from_file = client.post(po_url(order, "asn/"), {"file": upload}, format="multipart")

    assert [r.status_code for r in (rows, serials, from_file)] == [201, 201, 201]
    assert rows.json()["created"] == 1
    listing = client.get(po_url(order, "asn/")).json()
    assert [r["serial"] for r in listing["results"]] == ["J1", "J2", "J3"]
    assert listing["results"][0]["supplier_serial"] == "VJ1"
    assert client.get(po_url(order, "asn/"), {"received": "1"}).json()["count"] == 0


def test_asn_refusal_lists_every_row(api, order):
    response = api("procurement").post(
        po_url(order, "asn/"),
        {"rows": [{"sku": "AC-100", "serial": "Z1"}, {"sku": "NOPE", "serial": "Z2"}]},
        format="json",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "1 errors in 1 rows; nothing was imported"
    assert body["code"] == "import_refused" and body["meta"]["error_count"] == 1
    assert body["rows"] == [
        {
            "row": 2,
            "field": "sku",
            "code": "unknown_sku",
            "message": "unknown SKU 'NOPE'",
            "value": "NOPE",
        }
    ]
    assert not ExpectedSerial.objects.exists()


def test_clearing_the_asn(api, order, listed):
    assert api("procurement").delete(po_url(order, "asn/")).json() == {"deleted": 5}


def test_one_scan_answers_with_outcome_message_and_counts(api, order, listed):
    client = api("warehouse")

    accepted = client.post(po_url(order, "receive/"), {"code": "A0001"}, format="json")
    again = client.post(po_url(order, "receive/"), {"code": "A0001"}, format="json")

    assert accepted.status_code == 200
    body = accepted.json()
    assert (body["outcome"], body["ok"], body["message"]) == (
        "accepted",
        True,
        "A0001 accepted (AC-100)",
    )
    assert body["counts"]["receipt"]["number"] == "PO-T1-R01"
    assert body["counts"]["lines"][0]["received"] == 1
    assert body["unit"] == Unit.objects.get(serial="A0001").pk
    assert again.status_code == 200
    assert (again.json()["outcome"], again.json()["ok"]) == ("duplicate", False)
    event = Unit.objects.get(serial="A0001").events.get(type="received")
    assert (event.source, event.actor_name) == ("api", "warehouse-user")


def test_bulk_receiving_by_codes_range_and_file(api, order, listed):
    client = api("warehouse")

    codes = client.post(
        po_url(order, "receive/"), {"codes": ["A0001", f"(01){FAN_GTIN}(21)F0001"]}, format="json"
    )
    ranged = client.post(po_url(order, "receive/"), {"range": "A0002-A0003"}, format="json")
    upload = SimpleUploadedFile("r.csv", b"serial\nF0002\n")
    filed = client.post(po_url(order, "receive/"), {"file": upload}, format="multipart")

    assert [r.status_code for r in (codes, ranged, filed)] == [201, 201, 201]
    assert codes.json()["accepted"] == 2 and ranged.json()["accepted"] == 2
    assert PurchaseOrder.objects.get(pk=order.pk).status == "received"


def test_bulk_refusal_is_a_400_with_rows_and_writes_nothing(api, order, listed, other_sku):
    response = api("warehouse").post(
        po_url(order, "receive/"), {"codes": ["A0001", "(01)06901234567915(21)T"]}, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "1 of 2 rows refused; nothing was received"
    assert body["code"] == "receipt_refused" and body["meta"]["receipt"]
    assert body["rows"][0]["code"] == "wrong_sku"
    assert not Unit.objects.exists()


def test_receiving_needs_a_warehouse(api, supplier, sku):
    client = api("procurement")
    created = client.post(
        "/api/v1/purchase-orders/",
        {"supplier": "SUP1", "lines": [{"sku": "AC-100", "quantity": 1}]},
        format="json",
    ).json()
    client.post(f"/api/v1/purchase-orders/{created['id']}/open/")

    response = api("warehouse", "clerk2").post(
        f"/api/v1/purchase-orders/{created['id']}/receive/", {"code": "X"}, format="json"
    )

    assert response.status_code == 400 and response.json()["field"] == "warehouse"


def test_receipts_and_closing_one(api, order, receipt):
    client = api("warehouse")
    client.post(po_url(order, "receive/"), {"code": f"(01){AC_GTIN}(21)Q1"}, format="json")

    listed = client.get(po_url(order, "receipts/")).json()
    closed = client.post(f"/api/v1/receipts/{receipt.pk}/close/")

    assert listed[0]["figures"]["accepted"] == 1
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.get("/api/v1/receipts/", {"status": "closed"}).json()["count"] == 1


def test_suspects_are_listed_and_decided(api, order, listed):
    api("warehouse").post(
        po_url(order, "receive/"), {"code": f"(01){AC_GTIN}(21){FAKE1}"}, format="json"
    )
    suspect = SuspectUnit.objects.get()
    client = api("quality")

    rows = client.get("/api/v1/suspect-units/", {"decision": "pending"}).json()["results"]
    no_reason = client.post(
        f"/api/v1/suspect-units/{suspect.pk}/decide/", {"decision": "rejected"}, format="json"
    )
    decided = client.post(
        f"/api/v1/suspect-units/{suspect.pk}/decide/",
        {"decision": "rejected", "notes": "假货"},
        format="json",
    )

    assert [(r["unit"]["serial"], r["order"], r["decision"]) for r in rows] == [
        (FAKE1, "PO-T1", "pending")
    ]
    assert no_reason.status_code == 400
    assert decided.status_code == 200
    assert (decided.json()["decision"], decided.json()["unit"]["status"]) == ("rejected", "blocked")
    assert decided.json()["decided_by"] == "quality-user"


def test_suppliers_are_parties_of_kind_supplier(api, supplier, customer):
    client = api("procurement")

    created = client.post(
        "/api/v1/suppliers/",
        {"code": "SUP2", "name": "华南电机", "phone": "13900001111"},
        format="json",
    )
    listing = client.get("/api/v1/suppliers/").json()

    assert created.status_code == 201
    assert [p["code"] for p in listing["results"]] == ["SUP1", "SUP2"]
    assert listing["results"][1]["phone"] == "139****1111"


def test_quality_per_supplier_with_dates(api, order, listed):
    clerk = api("warehouse")
    for code in ("A0001", "A0001", f"(01){AC_GTIN}(21){FAKE1}", "(01)06901234567991(21)X"):
        clerk.post(po_url(order, "receive/"), {"code": code}, format="json")
    client = api("procurement")
    today = timezone.localdate().isoformat()

    body = client.get("/api/v1/suppliers/quality/", {"from": today, "to": today}).json()
    none = client.get("/api/v1/suppliers/quality/", {"to": "2000-01-01"}).json()
    bad = client.get("/api/v1/suppliers/quality/", {"from": "yesterday"})

    row = body["suppliers"][0]
    assert row["supplier"]["code"] == "SUP1"
    assert (row["receipts"], row["scanned"], row["accepted"], row["suspected"]) == (1, 4, 1, 1)
    assert row["refused_by_reason"] == {
        "duplicate": 1,
        "unknown": 1,
        "wrong_sku": 0,
        "over_quantity": 0,
        "invalid": 0,
    }
    assert (row["refusal_rate"], row["suspect_rate"]) == (0.5, 0.5)
    assert row["suspects_by_decision"] == {"pending": 1, "accepted": 0, "rejected": 0}
    assert none["suppliers"] == []
    assert bad.status_code == 400


def test_one_scan_costs_a_bounded_number_of_queries(
    api, order, listed, django_assert_max_num_queries
):
    client = api("warehouse")
    client.post(po_url(order, "receive/"), {"code": "A0001"}, format="json")

    with django_assert_max_num_queries(30):
        response = client.post(po_url(order, "receive/"), {"code": "A0002"}, format="json")

    assert response.json()["outcome"] == "accepted"


def test_large_files_run_as_background_jobs(api, order, settings):
    settings.UNITRACE_SYNC_IMPORT_ROWS = 2  # files of more rows than that are jobs
    buyer, clerk = api("procurement"), api("warehouse")
    asn_file = SimpleUploadedFile("asn.csv", b"sku,serial\nAC-100,J1\nFAN-200,J2\n")
    bad_file = SimpleUploadedFile("r.csv", b"serial\nJ1\nNOT-LISTED-AND-NO-SKU\n")
    good_file = SimpleUploadedFile("r.csv", b"serial\nJ1\nJ2\n")

    imported = buyer.post(po_url(order, "asn/"), {"file": asn_file}, format="multipart")
    refused = clerk.post(po_url(order, "receive/"), {"file": bad_file}, format="multipart")
    received = clerk.post(po_url(order, "receive/"), {"file": good_file}, format="multipart")

    assert imported.status_code == 201 and imported.json()["result"]["created"] == 2
    assert imported.json()["kind"] == "procurement.asn_import"
    assert refused.status_code == 400
    assert refused.json()["rows"][0]["code"] == "unknown"
    assert received.status_code == 201
    assert received.json()["result"]["accepted"] == 2
    assert Unit.objects.filter(status="in_stock").count() == 2
