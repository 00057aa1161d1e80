"""Where every unit is now (grouped counts), and quarantine / block / release."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from unitrace.core.errors import RowError
from unitrace.inventory import transfers
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.holds import hold_units
from unitrace.inventory.resolving import resolve_codes, units_for_codes
from unitrace.inventory.selectors import bin_counts, status_totals, stock_matrix
from unitrace.serials.models import Unit, UnitEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(make_units, warehouse, regional, bins):
    other = f.SKUFactory(code="FR-200", name="冰箱", serial_pattern="F{SEQ:6}")
    make_units(["A1", "A2", "A3"], warehouse, bin=bins["A1"])
    make_units(["F1", "F2"], warehouse, sku_=other)
    make_units(["R1"], regional)
    hold_units("quarantine", [Unit.objects.get(serial="A1")], reason="外观检查")
    hold_units("block", [Unit.objects.get(serial="F1")], reason="召回排查")
    moving = transfers.create_transfer(warehouse, regional, units=[Unit.objects.get(serial="A2")])
    transfers.dispatch_transfer(moving)
    return moving


def test_stock_matrix_groups_by_sku_and_status(stocked, warehouse):
    with CaptureQueriesContext(connection) as queries:
        matrix = stock_matrix(warehouse)
    assert len(queries) <= 3  # the GROUP BY, the SKU names, the inbound transfers
    assert [label for _s, label in matrix["columns"]] == [
        "in stock",
        "quarantined",
        "blocked",
        "in transit",
    ]
    rows = {r["sku"].code: dict(r["cells"]) for r in matrix["rows"]}
    assert rows == {
        "AC-100": {"in_stock": 1, "quarantined": 1, "blocked": 0, "in_transit": 1},
        "FR-200": {"in_stock": 1, "quarantined": 0, "blocked": 1, "in_transit": 0},
    }
    assert matrix["total"] == 5 and dict(matrix["totals"])["in_transit"] == 1


def test_in_transit_shows_as_inbound_at_the_destination(stocked, regional):
    matrix = stock_matrix(regional)
    assert [(r["transfer__number"], r["n"]) for r in matrix["inbound"]] == [(stocked.number, 1)]


def test_status_totals_is_one_query_for_every_warehouse(stocked, warehouse, regional):
    with CaptureQueriesContext(connection) as queries:
        totals = status_totals()
    assert len(queries) == 1
    assert totals[regional.pk] == {"in_stock": 1}
    assert totals[warehouse.pk]["in_transit"] == 1


def test_bin_counts(stocked, warehouse):
    counts = {r["bin__code"]: r["n"] for r in bin_counts(warehouse)}
    assert counts == {"A1": 3, None: 2}


def test_holds_need_a_reason_and_are_all_or_nothing(stocked):
    a3 = Unit.objects.get(serial="A3")
    with pytest.raises(InventoryError, match="give a reason"):
        hold_units("block", [a3], reason="  ")
    with pytest.raises(InventoryError) as caught:
        hold_units("release", [Unit.objects.get(serial="A1"), a3], reason="复检合格")
    assert caught.value.rows == [
        RowError(
            None,
            field="serial",
            code="illegal_transition",
            message="a unit that is in stock cannot be released",
            value="A3",
        )
    ]
    assert Unit.objects.get(serial="A1").status == "quarantined"
    assert hold_units("release", [Unit.objects.get(serial="A1")], reason="复检合格") == 1
    event = UnitEvent.objects.filter(unit__serial="A1").latest("id")
    assert (event.type, event.notes) == ("released", "复检合格")


def test_codes_resolve_in_bulk_with_gs1_and_ambiguity(stocked, sku, make_units):
    make_units(["A3"], None, sku_=f.SKUFactory(code="DUP", name="dup", serial_pattern="X{SEQ:4}"))
    found = resolve_codes(["A1", f"(01){sku.gtin}(21)A3", "A3", "NOPE"], Unit.objects.all())
    assert [r.outcome for r in found] == ["found", "found", "ambiguous", "unknown"]
    assert found[1].unit.sku == sku
    with pytest.raises(InventoryError) as caught:
        units_for_codes(["A1", "NOPE"], Unit.objects.all())
    assert caught.value.rows[0].value == "NOPE"
