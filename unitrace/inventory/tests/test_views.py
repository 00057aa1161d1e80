"""Inventory pages: who may open them, what they show, and that they call the services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from unitrace.core.display import shown_date
from unitrace.inventory import parts, stocktakes, transfers
from unitrace.inventory.models import MinStock, PartStock, Stocktake, Transfer
from unitrace.serials import ledger
from unitrace.serials.models import Unit, UnitEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_units, warehouse, regional, bins, part):
    make_units(["W1", "W2", "W3"], warehouse, bin=bins["A1"])
    transfer = transfers.create_transfer(warehouse, regional, units=[Unit.objects.get(serial="W3")])
    count = stocktakes.open_stocktake(warehouse)
    parts.receive_parts(warehouse, part, 4, lot="L1", expiry=timezone.localdate() + timedelta(5))
    return {"transfer": transfer, "count": count, "hq": warehouse}


def pages(s) -> list[tuple[str, dict, str]]:
    """(url name, kwargs, a role that may open it)."""
    return [
        ("inventory:warehouse_list", {}, "agent"),
        ("inventory:warehouse_detail", {"pk": s["hq"].pk}, "sales"),
        ("inventory:holds", {}, "quality"),
        ("inventory:transfer_list", {}, "auditor"),
        ("inventory:transfer_detail", {"pk": s["transfer"].pk}, "auditor"),
        ("inventory:stocktake_list", {}, "auditor"),
        ("inventory:stocktake_count", {"pk": s["count"].pk}, "warehouse"),
        ("inventory:stocktake_report", {"pk": s["count"].pk}, "manager"),
        ("inventory:part_stock", {}, "engineer"),
        ("inventory:part_move", {}, "warehouse"),
        ("inventory:part_moves", {}, "auditor"),
        ("inventory:low_stock", {}, "manager"),
    ]


def test_pages_need_login_and_permission(setup, client, login):
    for name, kwargs, _role in pages(setup):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    login(None)
    for name, kwargs, _role in pages(setup):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403, name
    login("distributor", "dist")
    for name, kwargs, _role in pages(setup):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403, name


def test_pages_open_for_their_roles_without_external_urls(setup, login):
    for name, kwargs, role in pages(setup):
        client = login(role, f"{role}-{name}")
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'src="http' not in html and 'href="http' not in html


@pytest.mark.parametrize(
    ("role", "name", "data"),
    [
        ("agent", "inventory:transfer_list", {"from_warehouse": "HQ", "to_warehouse": "R-SH"}),
        ("quality", "inventory:stocktake_list", {"warehouse": "HQ"}),
        ("engineer", "inventory:part_move", {"type": "issue"}),
        ("sales", "inventory:holds", {"action": "block"}),
        ("auditor", "inventory:stocktake_report", {"action": "close"}),
    ],
)
def test_writes_need_their_permission(setup, login, role, name, data):
    kwargs = {"pk": setup["count"].pk} if name == "inventory:stocktake_report" else {}
    assert login(role).post(reverse(name, kwargs=kwargs), data).status_code == 403


def test_navigation_lists_inventory_pages_by_permission(setup, login):
    clerk = login("warehouse", "clerk").get(reverse("inventory:warehouse_list")).content.decode()
    for name in ("warehouse_list", "transfer_list", "stocktake_list", "part_stock"):
        assert reverse(f"inventory:{name}") in clerk
    agent = login("agent", "agent2").get(reverse("inventory:warehouse_list")).content.decode()
    assert reverse("inventory:stocktake_list") not in agent


def test_warehouse_pages_count_units_with_drill_down(setup, login):
    client = login("warehouse")
    listing = client.get(reverse("inventory:warehouse_list")).content.decode()
    assert "总仓" in listing and "R-SH" in listing
    html = client.get(reverse("inventory:warehouse_detail", args=[setup["hq"].pk])).content.decode()
    assert 'id="stock-matrix"' in html and "AC-100" in html
    assert "/units/?warehouse=HQ&amp;sku=AC-100&amp;status=in_stock" in html
    assert "SEAL-9" in html and "A1" in html


def test_holds_page_quarantines_with_reason(setup, login):
    client = login("quality")
    refused = client.post(
        reverse("inventory:holds"),
        {"action": "quarantine", "serials": "W1\nNOPE", "reason": "划伤"},
    )
    assert "No unit with serial NOPE" in refused.content.decode()
    no_reason = client.post(
        reverse("inventory:holds"), {"action": "quarantine", "serials": "W1", "reason": ""}
    )
    assert "Give a reason" in no_reason.content.decode()
    done = client.post(
        reverse("inventory:holds"),
        {"action": "quarantine", "serials": "W1 W2", "reason": "划伤"},
        follow=True,
    )
    assert "2 units: Quarantine" in done.content.decode()
    assert set(Unit.objects.filter(serial__in=["W1", "W2"]).values_list("status", flat=True)) == {
        "quarantined"
    }


def test_transfer_pages_create_scan_dispatch_receive(setup, login, warehouse):
    client = login("warehouse")
    created = client.post(
        reverse("inventory:transfer_list"),
        {"from_warehouse": "HQ", "to_warehouse": "R-SH", "notes": "x"},
    )
    transfer = Transfer.objects.latest("id")
    assert created["Location"] == reverse("inventory:transfer_detail", args=[transfer.pk])
    scan_url = reverse("inventory:transfer_scan", args=[transfer.pk])
    added = client.post(scan_url, {"code": "W1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-scan-outcome="accepted"' in added and "Added" in added and "<html" not in added
    # the answer carries the new row and the count: the list follows every scan
    line = transfer.lines.get()
    assert 'hx-swap-oob="afterbegin:#transfer-lines-body"' in added
    assert f'<tr id="line-{line.pk}"' in added and "W1" in added
    assert 'data-scan-counts="{&quot;units&quot;: 1, &quot;waiting&quot;: 1}"' in added
    assert 'id="no-lines" hx-swap-oob="delete"' in added
    assert 'id="dispatch-button"' in added and "disabled" not in added
    again = client.post(scan_url, {"code": "W1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-scan-outcome="duplicate"' in again and "Already on this transfer" in again
    assert "<tr" not in again
    busy = client.post(scan_url, {"code": "W3"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-scan-outcome="refused"' in busy and 'data-scan-reason="on_other_transfer"' in busy
    assert f"Already on transfer {setup['transfer'].number}" in busy
    nothing = client.post(scan_url, {"code": "NOPE"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-scan-outcome="refused"' in nothing and "No unit with serial NOPE" in nothing
    client.post(reverse("inventory:transfer_action", args=[transfer.pk, "dispatch"]))
    assert Unit.objects.get(serial="W1").status == "in_transit"
    stranger = client.post(scan_url, {"code": "W2"}, HTTP_HX_REQUEST="true").content.decode()
    assert f"Not on transfer {transfer.number}" in stranger
    received = client.post(scan_url, {"code": "W1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Received; 0 still to come" in received
    # a receipt replaces the unit's row in place and brings "still to come" down
    assert f'<tr id="line-{line.pk}" hx-swap-oob="true">' in received
    assert 'data-scan-counts="{&quot;units&quot;: 1, &quot;waiting&quot;: 0}"' in received
    transfer.refresh_from_db()
    assert transfer.status == "received"


def test_transfer_page_shows_the_table_without_a_refresh_link(setup, login):
    client = login("warehouse")
    transfer = transfers.create_transfer(setup["hq"], setup["transfer"].to_warehouse)
    page = client.get(reverse("inventory:transfer_detail", args=[transfer.pk])).content.decode()
    assert 'id="transfer-lines-body"' in page and 'id="no-lines"' in page
    assert "Refresh the list" not in page
    assert (
        "data-scanner " in page and "unitrace/scanner.js" in page and "data-scanner-input" in page
    )
    assert 'data-scan-count="units"' in page
    assert 'id="dispatch-button"' in page and "disabled" in page


def test_transfer_scan_of_a_sold_unit_says_to_whom_and_which_delivery(
    setup, login, warehouse, customer
):
    sold = Unit.objects.get(serial="W2")
    event = ledger.deliver(sold, customer, ref_type="DN", ref_id="DN-20261204-0001")
    day = shown_date(event.occurred_at)
    client = login("warehouse")
    transfer = transfers.create_transfer(warehouse, setup["transfer"].to_warehouse)
    answer = client.post(
        reverse("inventory:transfer_scan", args=[transfer.pk]),
        {"code": "W2"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'data-scan-outcome="refused"' in answer and 'data-scan-reason="already_sold"' in answer
    assert f"Already sold to 张* on {day} (DN-20261204-0001)" in answer
    assert "no warehouse" not in answer


def test_transfer_page_without_javascript_and_close(setup, login):
    client = login("warehouse")
    transfer = setup["transfer"]
    page = client.post(reverse("inventory:transfer_scan", args=[transfer.pk]), {"code": "W2"})
    assert "<html" in page.content.decode() and "W2" in page.content.decode()
    client.post(reverse("inventory:transfer_action", args=[transfer.pk, "dispatch"]))
    closed = client.post(
        reverse("inventory:transfer_action", args=[transfer.pk, "close"]),
        {"reason": "丢件"},
        follow=True,
    ).content.decode()
    assert "Receipt closed; 2 units reported missing." in closed


def test_stocktake_pages_open_scan_and_close(setup, login, regional, van, make_units):
    make_units(["FAR"], van)
    client = login("warehouse")
    opened = client.post(reverse("inventory:stocktake_list"), {"warehouse": "R-SH"}, follow=True)
    assert "opened: 0 units in the book" in opened.content.decode()
    count = setup["count"]
    page = client.get(reverse("inventory:stocktake_count", args=[count.pk])).content.decode()
    assert page.count('id="scan-input"') == 1 and "autofocus" in page
    assert (
        "data-scanner " in page and "unitrace/scanner.js" in page and "data-scanner-input" in page
    )
    url = reverse("inventory:stocktake_scan", args=[count.pk])
    first = client.post(url, {"code": "W1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-result="counted"' in first and 'data-scan-outcome="accepted"' in first
    assert "data-outcome=" not in first  # the old page-wide beep must not sound as well
    assert first.count("data-scan-outcome=") == 1  # one answer, one tone
    assert 'id="count-figures" hx-swap-oob="true"' in first
    assert '<span id="counted">1</span> / <span id="book">3</span>' in first
    twice = client.post(url, {"code": "W1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-result="duplicate"' in twice and "Already counted at" in twice
    assert 'data-scan-outcome="duplicate"' in twice
    shelf = client.post(url, {"code": "A2"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Now counting bin A2" in shelf and 'value="A2"' in shelf
    moved = client.post(url, {"code": "W2", "bin": "A2"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-result="wrong_bin"' in moved and 'data-scan-tone="duplicate"' in moved
    unknown = client.post(url, {"code": "ZZZ"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-scan-outcome="refused"' in unknown and "No unit with serial ZZZ" in unknown
    assert 'data-scan-reason="unknown"' in unknown
    far = client.post(url, {"code": "FAR"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-scan-outcome="unexpected"' in far and 'data-scan-tone="quarantine"' in far
    # "counted N / M" counts the book's units only; the stranger is counted apart
    assert '<span id="counted">2</span> / <span id="book">3</span>' in far
    assert '<dd id="unexpected">1</dd>' in far
    report = client.get(reverse("inventory:stocktake_report", args=[count.pk])).content.decode()
    assert 'id="n-misplaced">1<' in report and 'name="misplaced"' in report
    no_reason = client.post(
        reverse("inventory:stocktake_report", args=[count.pk]),
        {"action": "close", "misplaced": [str(Unit.objects.get(serial="W2").pk)]},
    )
    assert "Give a reason for the adjustments" in no_reason.content.decode()
    closed = client.post(
        reverse("inventory:stocktake_report", args=[count.pk]),
        {
            "action": "close",
            "reason": "季度盘点",
            "misplaced": [str(Unit.objects.get(serial="W2").pk)],
        },
        follow=True,
    ).content.decode()
    assert "Stocktake closed." in closed
    assert Unit.objects.get(serial="W2").bin.code == "A2"
    assert UnitEvent.objects.get(unit__serial="W2", type="moved").notes == "季度盘点"
    after = client.post(url, {"code": "W2"}, HTTP_HX_REQUEST="true").content.decode()
    assert "is closed: scans are no longer accepted" in after
    assert 'data-scan-outcome="refused"' in after and 'data-scan-reason="not_open"' in after


def test_stocktake_cancel_leaves_the_ledger_alone(setup, login):
    client = login("warehouse")
    count = setup["count"]
    client.post(reverse("inventory:stocktake_report", args=[count.pk]), {"action": "cancel"})
    assert Stocktake.objects.get(pk=count.pk).status == "cancelled"
    assert not UnitEvent.objects.filter(ref_type="stocktake").exists()


def test_part_pages_issue_fefo_and_refuse_expired(setup, login, warehouse, part):
    parts.receive_parts(warehouse, part, 2, lot="OLD", expiry=timezone.localdate() - timedelta(1))
    MinStock.objects.create(warehouse=warehouse, sku=part, minimum=9)
    client = login("warehouse")
    stock = client.get(reverse("inventory:part_stock"), {"warehouse": "HQ"}).content.decode()
    assert "L1" in stock and "OLD" in stock and "expired" in stock
    suggestion = client.get(
        reverse("inventory:part_move"),
        {"type": "issue", "warehouse": "HQ", "sku": "SEAL-9", "quantity": "3"},
    )
    assert 'id="fefo"' in suggestion.content.decode()
    refused = client.post(
        reverse("inventory:part_move"),
        {"type": "issue", "warehouse": "HQ", "sku": "SEAL-9", "quantity": "1", "lot": "OLD"},
    )
    assert "Lot OLD expired on" in refused.content.decode()
    done = client.post(
        reverse("inventory:part_move"),
        {"type": "issue", "warehouse": "HQ", "sku": "SEAL-9", "quantity": "3", "reference": "WO-5"},
        follow=True,
    ).content.decode()
    assert "1 part moves recorded" in done and "WO-5" in done
    assert PartStock.objects.get(lot="L1").quantity == 1
    low = client.get(reverse("inventory:low_stock")).content.decode()
    assert "SEAL-9" in low and ">8<" in low  # short: 9 - 1 usable
