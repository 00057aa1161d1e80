"""The unit file's fixed-SQL reads: same answer as the ORM, scope, masking, few queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories as f
from unitrace.serials.file_reads import event_rows, load_unit
from unitrace.serials.models import Unit
from unitrace.serials.selectors import event_dict, unit_events

pytestmark = pytest.mark.django_db
T0 = timezone.now() - timedelta(days=40)


@pytest.fixture
def supplier(db):
    return f.SupplierFactory(name="压缩机厂", phone="13900001111")


@pytest.fixture
def sold(sku, warehouse, customer, distributor, component_skus, supplier):
    """A product with a board inside, received, delivered via a distributor, sold on."""
    batch = f.BatchFactory(sku=sku, code="L7", production_date=T0.date(), supplier=supplier)
    board_sku, _chip = component_skus
    unit = f.UnitFactory(
        sku=sku,
        serial="AC7",
        supplier_serial="SUP-77",
        batch=batch,
        production_date=T0.date(),
        registered=T0,
    )
    board = f.UnitFactory(sku=board_sku, serial="PB7", registered=T0)
    return f.play(
        unit,
        f.fitted_with(board, when=T0 + timedelta(1)),
        f.received(warehouse, when=T0 + timedelta(days=2)),
        f.delivered(distributor, when=T0 + timedelta(days=3), ref_type="SO", ref_id="SO-1"),
    )


def test_loaded_unit_matches_the_orm(sold, warehouse, distributor, supplier):
    unit = load_unit(sold.pk, None)
    assert (unit.serial, unit.supplier_serial, unit.status) == ("AC7", "SUP-77", sold.status)
    assert unit.sku.code == "AC-100" and unit.sku.warranty_months == sold.sku.warranty_months
    assert unit.batch.code == "L7" and unit.batch.supplier.code == "SUP1"
    assert unit.holder == sold.holder and unit.distributor_id == distributor.pk
    assert unit.received_at == sold.received_at and unit.production_date == sold.production_date
    # a field that was not selected still loads on access
    assert unit.sku.serial_pattern == sold.sku.serial_pattern


def test_scope_hides_other_parties_units(sold, distributor):
    other = f.DistributorFactory(code="D9", name="另一家")
    assert load_unit(sold.pk, distributor.pk) is not None
    assert load_unit(sold.pk, other.pk) is None
    assert load_unit(10**9, None) is None


def test_event_rows_equal_the_orm_shape(sold, make_user):
    user = make_user("agent")
    expected = [event_dict(e, user) for e in unit_events(sold)]
    assert event_rows(sold.pk, user) == expected
    assert [e["type"] for e in expected][-1] == "delivered"
    assert expected[-1]["reference"] == {"type": "SO", "id": "SO-1"}


def test_unit_file_api_costs_few_queries(sold, api):
    client = api("agent")
    client.get(f"/api/v1/units/{sold.pk}/")  # warm-up (content types, translations)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/api/v1/units/{sold.pk}/").json()
    assert body["serial"] == "AC7" and [c["serial"] for c in body["components"]] == ["PB7"]
    # token + user + profile, permissions, unit with its relations, events, component tree
    assert len(ctx.captured_queries) <= 5, [q["sql"][:80] for q in ctx.captured_queries]


def test_token_login_sees_role_changes_and_deactivation_at_once(sold, api):
    client = api("agent", "bob")
    assert client.get(f"/api/v1/units/{sold.pk}/").status_code == 200
    user = client.user
    user.groups.set([Group.objects.get(name="warehouse")])  # still may view units
    assert client.get(f"/api/v1/units/{sold.pk}/").status_code == 200
    user.groups.clear()
    assert client.get(f"/api/v1/units/{sold.pk}/").status_code == 403
    user.is_active = False
    user.save()
    assert client.get(f"/api/v1/units/{sold.pk}/").status_code == 401


def test_bad_or_unknown_token_is_refused(sold):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get(f"/api/v1/units/{sold.pk}/").status_code == 401


def test_partner_token_sees_only_its_units(sold, distributor, make_user):
    client = f.token_client(f.distributor_login(distributor, "dst"))
    assert client.get(f"/api/v1/units/{sold.pk}/").json()["serial"] == "AC7"
    board = Unit.objects.get(serial="PB7")
    assert client.get(f"/api/v1/units/{board.pk}/").status_code == 404
    assert client.get(f"/api/v1/units/{board.pk}/history/").status_code == 404
    assert client.get("/api/v1/units/not-a-number/").status_code == 404
    assert client.get(f"/api/v1/units/{2**70}/").status_code == 404


@pytest.mark.parametrize("raw", ["2026-02-30T10:00", "yesterday", "2026-13-01"])
def test_an_impossible_moment_is_a_clear_400_not_a_crash(sold, api, raw):
    response = api("agent").get(f"/api/v1/units/{sold.pk}/components/", {"at": raw})
    assert response.status_code == 400
    assert response.json()["field"] == "at"
    assert "is not an ISO 8601 date-time" in response.json()["detail"]


def test_a_moment_without_offset_is_local_time(sold, api):
    fitted = timezone.localtime(sold.events.get(type="component_installed").occurred_at)
    client = api("agent")
    just_before = (fitted - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")
    just_after = (fitted + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")
    url = f"/api/v1/units/{sold.pk}/components/"
    assert client.get(url, {"at": just_before}).json()["children"] == []
    assert [c["serial"] for c in client.get(url, {"at": just_after}).json()["children"]] == ["PB7"]


def test_the_unit_page_refuses_an_impossible_date(sold, client, make_user):
    client.force_login(make_user("agent"))
    response = client.get(f"/units/{sold.pk}/", {"at": "2026-02-30"})
    assert response.status_code == 200
    assert "is not a date and time" in response.content.decode()
