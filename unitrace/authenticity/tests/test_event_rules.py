"""``POST /api/v1/units/{id}/events/`` applies every rule of each event kind: the same
checks as the ledger's constructors (a reason for a loss or a correction, a warehouse,
a party, a destination), not only the transition table."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.serials.models import UnitEvent

pytestmark = pytest.mark.django_db
T0 = timezone.now() - timedelta(days=20)


@pytest.fixture
def in_stock(sku, warehouse):
    return f.play(
        f.UnitFactory(sku=sku, serial="RULE1", registered=T0),
        f.received(warehouse, when=T0 + timedelta(days=1)),
    )


def post(client, unit, **body):
    return client.post(f"/api/v1/units/{unit.pk}/events/", body, format="json")


@pytest.mark.parametrize("kind", ["missing", "adjusted"])
@pytest.mark.parametrize("notes", [None, "", "   "])
def test_a_loss_or_a_correction_needs_a_reason(in_stock, api, kind, notes):
    body = {"type": kind} if notes is None else {"type": kind, "notes": notes}
    response = post(api("admin"), in_stock, **body)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "reason_required"
    assert not UnitEvent.objects.filter(unit=in_stock, type=kind).exists()


@pytest.mark.parametrize("kind", ["missing", "adjusted"])
def test_with_a_reason_they_are_recorded(in_stock, api, kind):
    response = post(api("admin"), in_stock, type=kind, notes="count 2024-05 short by one")
    assert response.status_code == 201, response.content
    assert UnitEvent.objects.get(unit=in_stock, type=kind).notes == "count 2024-05 short by one"


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("moved", "warehouse_required"),
        ("transfer_out", "destination_required"),
    ],
)
def test_stock_events_need_their_places(in_stock, api, kind, code):
    response = post(api("admin"), in_stock, type=kind)
    assert response.status_code == 400 and response.json()["code"] == code


def test_transfer_out_with_a_destination(in_stock, api):
    other = f.WarehouseFactory(code="RDC-SH", name="上海仓")
    response = post(api("admin"), in_stock, type="transfer_out", to_warehouse=other.code)
    assert response.status_code == 201, response.content
    event = UnitEvent.objects.get(unit=in_stock, type="transfer_out")
    assert event.details["to_warehouse_id"] == other.pk


def test_delivery_needs_a_party(in_stock, api):
    response = post(api("admin"), in_stock, type="shipped")
    assert response.status_code == 201
    response = post(api("admin"), in_stock, type="delivered")
    assert response.status_code == 400 and response.json()["code"] == "party_required"


def test_found_needs_a_warehouse(in_stock, api):
    assert post(api("admin"), in_stock, type="missing", notes="not on shelf").status_code == 201
    response = post(api("admin"), in_stock, type="found")
    assert response.status_code == 400 and response.json()["code"] == "warehouse_required"


def test_bulk_path_refuses_a_missing_without_reason_too(in_stock):
    from unitrace.serials import ledger

    with pytest.raises(ledger.LedgerError) as refused:
        ledger.record_many([in_stock.pk], ledger.EventData("missing"))
    assert refused.value.rows[0].code == "reason_required"
