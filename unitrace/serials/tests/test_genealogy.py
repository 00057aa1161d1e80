"""Components fitted into units over time: trees and where-used at any moment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from unitrace.serials import genealogy
from unitrace.serials.ledger import LedgerError
from unitrace.serials.models import Unit
from unitrace.serials.statuses import EventType, Status

pytestmark = pytest.mark.django_db
T0 = timezone.now() - timedelta(days=100)


def at(days: int):
    return T0 + timedelta(days=days)


@pytest.fixture
def units(sku, component_skus):
    board_sku, chip_sku = component_skus
    made = [
        *f.registered_units(sku, ["AC1", "AC2"], when=T0),
        *f.registered_units(board_sku, ["PB1", "PB2"], when=T0),
        *f.registered_units(chip_sku, ["CP1", "CP2", "CP3"], when=T0),
    ]
    return {u.serial: u for u in made}


def test_multi_level_tree_and_where_used_over_time(units):
    u = units
    genealogy.install_component(u["PB1"], u["CP1"], when=at(1), position="U1")
    genealogy.install_component(u["PB1"], u["CP2"], when=at(1), position="U2")
    genealogy.install_component(u["AC1"], u["PB1"], when=at(2), position="main")
    genealogy.replace_component(u["AC1"], u["PB1"], u["PB2"], when=at(10))

    tree_before = genealogy.component_tree(u["AC1"], at(5)).as_dict()
    assert [c["serial"] for c in tree_before["children"]] == ["PB1"]
    assert [c["serial"] for c in tree_before["children"][0]["children"]] == ["CP1", "CP2"]
    tree_after = genealogy.component_tree(u["AC1"], at(11)).as_dict()
    assert [c["serial"] for c in tree_after["children"]] == ["PB2"]
    assert tree_after["children"][0]["position"] == "main"

    assert [p["serial"] for p in genealogy.where_used(u["CP1"], at(5))] == ["PB1", "AC1"]
    assert [p["serial"] for p in genealogy.where_used(u["CP1"], at(11))] == ["PB1"]
    assert genealogy.where_used(u["CP1"], at(0)) == []

    pb1 = Unit.objects.get(serial="PB1")
    assert pb1.status == Status.REMOVED and pb1.parent_id is None
    assert Unit.objects.get(serial="PB2").parent_id == u["AC1"].pk
    types = list(Unit.objects.get(serial="AC1").events.values_list("type", flat=True))
    assert types == [
        EventType.REGISTERED,
        EventType.COMPONENT_INSTALLED,
        EventType.COMPONENT_REMOVED,
        EventType.COMPONENT_INSTALLED,
    ]


def test_refusals(units):
    u = units
    with pytest.raises(LedgerError, match="not a key component of AC-100"):
        genealogy.install_component(u["AC1"], u["CP1"], when=at(1))
    genealogy.install_component(u["PB1"], u["CP1"], when=at(1))
    genealogy.install_component(u["PB1"], u["CP2"], when=at(1))
    with pytest.raises(LedgerError, match=r"already holds 2 × CHIP-1"):
        genealogy.install_component(u["PB1"], u["CP3"], when=at(2))
    with pytest.raises(LedgerError, match="fitted in a product cannot be fitted"):
        genealogy.install_component(u["PB2"], u["CP1"], when=at(2))
    with pytest.raises(LedgerError, match="is not fitted in"):
        genealogy.remove_component(u["PB2"], u["CP1"], when=at(3))
    with pytest.raises(LedgerError, match="into itself"):
        genealogy.install_component(u["PB1"], u["PB1"], when=at(3))


def test_failed_replace_changes_nothing(units):
    u = units
    genealogy.install_component(u["AC1"], u["PB1"], when=at(1))
    genealogy.install_component(u["AC2"], u["PB2"], when=at(1))
    with pytest.raises(LedgerError):
        genealogy.replace_component(u["AC1"], u["PB1"], u["PB2"], when=at(5))
    assert Unit.objects.get(serial="PB1").parent_id == u["AC1"].pk
    assert Unit.objects.get(serial="PB1").status == Status.FITTED
