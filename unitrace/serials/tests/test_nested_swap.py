"""A part inside a fitted sub-assembly (a chip on a board inside a product) is swapped
in one transaction, with the history right on the chips, the board and the product."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.core.testing.threads import race
from unitrace.serials import genealogy
from unitrace.serials.ledger import LedgerError
from unitrace.serials.models import ComponentLink, Unit, UnitEvent
from unitrace.serials.rebuild import check_links, check_units
from unitrace.serials.statuses import EventType, Status

T0 = timezone.now() - timedelta(days=100)


def at(days: int):
    return T0 + timedelta(days=days)


def assembled(sku, component_skus):
    """AC1 ⊃ PB1 ⊃ CP1, CP2; spare chips CP3, CP4 in stock."""
    board_sku, chip_sku = component_skus
    made = [
        *f.registered_units(sku, ["AC1"], when=T0),
        *f.registered_units(board_sku, ["PB1"], when=T0),
        *f.registered_units(chip_sku, ["CP1", "CP2", "CP3", "CP4"], when=T0),
    ]
    u = {unit.serial: unit for unit in made}
    genealogy.install_component(u["PB1"], u["CP1"], when=at(1))
    genealogy.install_component(u["PB1"], u["CP2"], when=at(1))
    genealogy.install_component(u["AC1"], u["PB1"], when=at(2))
    return u


def types_of(unit):
    return list(
        UnitEvent.objects.filter(unit=unit)
        .order_by("occurred_at", "id")
        .values_list("type", flat=True)
    )


@pytest.mark.django_db
def test_chip_swapped_inside_a_fitted_board(sku, component_skus, warehouse):
    u = assembled(sku, component_skus)
    genealogy.replace_component(u["PB1"], u["CP1"], u["CP3"], when=at(10), warehouse=warehouse)
    units = {x.serial: x for x in Unit.objects.all()}
    assert units["PB1"].status == Status.FITTED and units["PB1"].parent_id == u["AC1"].pk
    assert units["CP1"].status == Status.REMOVED and units["CP1"].parent_id is None
    assert units["CP3"].status == Status.FITTED and units["CP3"].parent_id == u["PB1"].pk
    assert types_of(u["CP1"])[-1] == EventType.UNFITTED
    assert types_of(u["CP3"])[-1] == EventType.FITTED
    assert types_of(u["PB1"])[-2:] == [EventType.COMPONENT_REMOVED, EventType.COMPONENT_INSTALLED]
    swap = UnitEvent.objects.get(unit=u["AC1"], type=EventType.PART_SWAPPED)
    assert (swap.details["via_serial"], swap.details["old_serial"], swap.details["new_serial"]) == (
        "PB1",
        "CP1",
        "CP3",
    )
    # both levels answer for any moment, before and after the swap
    chips = lambda when: sorted(  # noqa: E731
        c.unit.serial for c in genealogy.component_tree(u["AC1"], when).children[0].children
    )
    assert chips(at(5)) == ["CP1", "CP2"] and chips(at(11)) == ["CP2", "CP3"]
    assert [p["serial"] for p in genealogy.where_used(u["CP3"])] == ["PB1", "AC1"]
    assert genealogy.where_used(u["CP1"], at(5))[-1]["serial"] == "AC1"
    # the ledger replays to the same state and links
    assert list(check_units()) == [] and list(check_links()) == []


@pytest.mark.django_db
def test_alone_a_part_of_a_fitted_board_is_neither_removed_nor_added(sku, component_skus):
    u = assembled(sku, component_skus)
    with pytest.raises(LedgerError, match="PB1 is fitted in AC1") as refused:
        genealogy.remove_component(u["PB1"], u["CP1"], when=at(10))
    assert refused.value.code == "parent_fitted"
    genealogy.replace_component(u["PB1"], u["CP1"], u["CP3"], when=at(10))
    with pytest.raises(LedgerError, match="PB1 is fitted in AC1"):
        genealogy.install_component(u["PB1"], u["CP4"], when=at(11))


@pytest.mark.django_db
def test_a_refused_nested_swap_changes_nothing(sku, component_skus):
    u = assembled(sku, component_skus)
    with pytest.raises(LedgerError):  # CP2 is fitted already
        genealogy.replace_component(u["PB1"], u["CP1"], u["CP2"], when=at(10))
    assert not UnitEvent.objects.filter(type=EventType.PART_SWAPPED).exists()
    assert Unit.objects.get(serial="CP1").status == Status.FITTED
    assert ComponentLink.objects.filter(removed_at__isnull=True).count() == 3


@pytest.mark.django_db
def test_api_swaps_a_chip_of_a_fitted_board(sku, component_skus, api):
    u = assembled(sku, component_skus)
    response = api("admin").post(
        f"/api/v1/units/{u['PB1'].pk}/assemble/",
        {"action": "replace", "component": u["CP1"].pk, "new_component": u["CP3"].pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert sorted(c["serial"] for c in response.json()["children"]) == ["CP2", "CP3"]
    alone = api("admin").post(
        f"/api/v1/units/{u['PB1'].pk}/assemble/",
        {"action": "remove", "component": u["CP2"].pk},
        format="json",
    )
    assert alone.status_code == 400 and alone.json()["code"] == "parent_fitted"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_swaps_of_the_same_chip_one_wins(sku, component_skus):
    u = assembled(sku, component_skus)
    spares = [u["CP3"], u["CP4"]]
    results, errors = race(2, lambda i: genealogy.replace_component(u["PB1"], u["CP1"], spares[i]))
    assert len(results) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], LedgerError) and errors[0].code == "not_fitted"
    fitted = ComponentLink.objects.filter(parent=u["PB1"], removed_at__isnull=True)
    assert sorted(link.component.serial for link in fitted) == sorted(
        ["CP2", results[0].component.serial]
    )
    assert UnitEvent.objects.filter(unit=u["AC1"], type=EventType.PART_SWAPPED).count() == 1
    assert UnitEvent.objects.filter(unit=u["CP1"], type=EventType.UNFITTED).count() == 1
