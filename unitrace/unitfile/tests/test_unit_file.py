"""The unit file composed over serials: same keys in the same order as before the
composition moved out of serials, and no query more than serials' own facts need
plus the warranty's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from unitrace.serials import ledger
from unitrace.serials.models import Unit
from unitrace.serials.registration import NewUnit, register_units
from unitrace.serials.selectors import unit_facts, unit_for_file
from unitrace.unitfile.selectors import unit_file

pytestmark = pytest.mark.django_db

KEYS = [
    "id",
    "serial",
    "supplier_serial",
    "sku",
    "batch",
    "supplier",
    "status",
    "status_label",
    "location",
    "holder",
    "distributor",
    "dates",
    "warranty",
    "events",
    "components",
    "where_used",
    "qr_url",
]


@pytest.fixture
def unit(sku, batch, warehouse, customer):
    register_units(sku, [NewUnit("UF1", "", batch.pk)])
    unit = Unit.objects.get(serial="UF1")
    ledger.receive(unit, warehouse)
    ledger.deliver(unit, customer)
    return unit


def test_api_answers_the_keys_in_their_order(unit, api):
    body = api("agent").get(f"/api/v1/units/{unit.pk}/").json()
    assert list(body) == KEYS
    assert body["warranty"]["state"] == "in_warranty"
    assert body["qr_url"].startswith("http")


def test_composition_is_the_facts_plus_warranty_and_label(unit, make_user):
    user = make_user("agent")
    loaded = unit_for_file(user, unit.pk)
    facts = unit_facts(loaded, user)
    composed = unit_file(loaded, user)
    assert {k: v for k, v in composed.items() if k not in {"warranty", "qr_url"}} == facts
    with CaptureQueriesContext(connection) as facts_queries:
        unit_facts(loaded, user)
    with CaptureQueriesContext(connection) as file_queries:
        unit_file(loaded, user)
    # the warranty of a unit never delivered in an exchange, and the label, read nothing
    assert len(file_queries) == len(facts_queries)


def test_page_shows_warranty_and_authenticity_card(unit, make_user, client):
    client.force_login(make_user("admin"))
    html = client.get(f"/units/{unit.pk}/").content.decode()
    assert "warranty-card" in html
    assert 'id="unit-authenticity"' in html
