"""rebuild_units checks component links against the events of both sides."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import factories as f
from unitrace.serials import genealogy, ledger
from unitrace.serials.ledger import EventData
from unitrace.serials.models import ComponentLink, Unit
from unitrace.serials.rebuild import LinkDriftKind, check_links, check_units
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
        *f.registered_units(chip_sku, ["CP1", "CP2"], when=T0),
    ]
    return {u.serial: u for u in made}


@pytest.fixture
def assembled(units):
    """AC1 ⊃ PB1 ⊃ CP1, CP2 (PB2 was in AC1 first, then swapped out for PB1)."""
    u = units
    genealogy.install_component(u["PB1"], u["CP1"], when=at(1), position="U1")
    genealogy.install_component(u["PB1"], u["CP2"], when=at(1), position="U2")
    genealogy.install_component(u["AC1"], u["PB2"], when=at(2), position="main")
    genealogy.replace_component(u["AC1"], u["PB2"], u["PB1"], when=at(5))
    return u


def link(parent, component, **filters):
    return ComponentLink.objects.get(parent=parent, component=component, **filters)


def run(*args):
    """(exit status, output) of ``rebuild_units``."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("rebuild_units", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue() + err.getvalue()


def test_links_written_through_the_ledger_do_not_drift(assembled):
    assert list(check_links()) == []
    assert list(check_links(chunk=1)) == []
    status, output = run()
    assert status == 0, output
    assert "0 component links drifted" in output


def test_hand_closed_link_is_reported_and_repaired(assembled):
    u = assembled
    # The audit's case: a removed_at set by hand on an active link. The unit row
    # still says fitted in AC1, but the tree no longer shows the board.
    ComponentLink.objects.filter(component=u["PB1"], removed_at__isnull=True).update(
        removed_at=at(6)
    )
    pb1 = Unit.objects.get(serial="PB1")
    assert (pb1.status, pb1.parent_id) == (Status.FITTED, u["AC1"].pk)
    assert genealogy.component_tree(u["AC1"]).children == []
    assert list(check_units()) == []  # the unit rows alone look fine

    drifts = list(check_links())
    assert [(d.kind, d.parent_serial, d.component_serial) for d in drifts] == [
        (LinkDriftKind.MISMATCH, "AC1", "PB1")
    ]
    assert drifts[0].stored["removed_at"] == at(6).isoformat()
    assert drifts[0].derived["removed_at"] is None
    status, output = run()
    assert status == 1
    assert "AC1 ⊃ PB1" in output and "1 component links drifted" in output

    status, output = run("--fix")
    assert status == 0, output
    assert "1 component links repaired" in output
    assert link(u["AC1"], u["PB1"], installed_at=at(5)).removed_at is None
    assert [c.unit.serial for c in genealogy.component_tree(u["AC1"]).children] == ["PB1"]
    assert run()[0] == 0
    assert list(check_links()) == []


def test_missing_extra_and_position_drift_are_repaired(assembled):
    u = assembled
    link(u["PB1"], u["CP1"]).delete()  # missing
    ComponentLink.objects.filter(parent=u["PB1"], component=u["CP2"]).update(position="X9")
    stray = ComponentLink.objects.create(  # extra: no event fitted PB2 into AC2
        parent=u["AC2"], component=u["PB2"], installed_at=at(7), position="main"
    )
    drifts = {(d.kind, d.parent_serial, d.component_serial): d for d in check_links()}
    assert set(drifts) == {
        (LinkDriftKind.MISSING, "PB1", "CP1"),
        (LinkDriftKind.MISMATCH, "PB1", "CP2"),
        (LinkDriftKind.EXTRA, "AC2", "PB2"),
    }
    assert drifts[(LinkDriftKind.MISSING, "PB1", "CP1")].derived == {
        "installed_at": at(1).isoformat(),
        "removed_at": None,
        "position": "U1",
    }
    assert drifts[(LinkDriftKind.EXTRA, "AC2", "PB2")].stored["id"] == stray.pk

    status, _output = run("--fix")
    assert status == 0
    restored = link(u["PB1"], u["CP1"])
    assert (restored.installed_at, restored.removed_at, restored.position) == (at(1), None, "U1")
    assert link(u["PB1"], u["CP2"]).position == "U2"
    assert not ComponentLink.objects.filter(pk=stray.pk).exists()
    assert list(check_links()) == []
    assert run()[0] == 0


def test_removed_link_row_of_a_swap_is_restored(assembled):
    u = assembled
    old = link(u["AC1"], u["PB2"])
    assert old.removed_at == at(5)
    old.delete()
    [drift] = check_links()
    assert (drift.kind, drift.derived["removed_at"]) == (LinkDriftKind.MISSING, at(5).isoformat())
    list(check_links(fix=True))
    assert link(u["AC1"], u["PB2"]).removed_at == at(5)


def test_each_pair_is_reported_once_whatever_the_scope_and_chunking(assembled):
    u = assembled
    ComponentLink.objects.filter(component=u["PB1"]).update(position="wrong")
    everything = Unit.objects.all()
    finished = Unit.objects.filter(sku=u["AC1"].sku)  # the parent side only
    boards = Unit.objects.filter(sku=u["PB1"].sku)  # the component side only
    for queryset in (everything, finished, boards):
        for chunk in (1, 2, 2000):
            pairs = [
                (d.parent_serial, d.component_serial) for d in check_links(queryset, chunk=chunk)
            ]
            assert pairs == [("AC1", "PB1")], (queryset.query, chunk)
    chips = Unit.objects.filter(sku=u["CP1"].sku)
    assert list(check_links(chips)) == []
    assert run("--sku", u["AC1"].sku.code)[0] == 1
    assert run("--sku", u["CP1"].sku.code)[0] == 0


def test_fix_across_chunks_never_fits_a_component_twice(units):
    u = units
    genealogy.install_component(u["AC1"], u["PB1"], when=at(1), position="main")
    genealogy.remove_component(u["AC1"], u["PB1"], when=at(2))
    genealogy.install_component(u["AC2"], u["PB1"], when=at(3), position="main")
    # Drift: the old link is open again and the current one is gone.
    link(u["AC2"], u["PB1"]).delete()
    ComponentLink.objects.filter(parent=u["AC1"], component=u["PB1"]).update(removed_at=None)
    finished = Unit.objects.filter(sku=u["AC1"].sku)
    # AC1 and AC2 are checked in different chunks: the writes are applied together,
    # closing before opening, or the "fitted once" constraint would refuse them.
    kinds = sorted(d.kind for d in check_links(finished, fix=True, chunk=1))
    assert kinds == [LinkDriftKind.MISMATCH, LinkDriftKind.MISSING]
    assert link(u["AC1"], u["PB1"]).removed_at == at(2)
    assert link(u["AC2"], u["PB1"]).removed_at is None
    assert list(check_links()) == []


def test_events_that_disagree_are_reported_and_left_alone(units):
    u = units
    # A component_installed on the parent that the component never saw.
    ledger.record(
        u["AC1"],
        EventData(
            EventType.COMPONENT_INSTALLED,
            when=at(1),
            details={"component_id": u["PB1"].pk, "component_serial": "PB1", "position": "main"},
        ),
    )
    [drift] = check_links()
    assert drift.kind == LinkDriftKind.EVENTS and not drift.fixable
    assert (drift.parent_serial, drift.component_serial) == ("AC1", "PB1")
    status, output = run("--fix")
    assert status == 1
    assert "disagreeing events" in output
    assert not ComponentLink.objects.exists()


def test_unit_drift_still_counts(assembled):
    Unit.objects.filter(serial="CP1").update(parent=None)
    status, output = run()
    assert status == 1
    assert "parent_id" in output and "0 component links drifted" in output


def test_demo_histories_have_no_link_drift():
    from unitrace.demo.seed import seed_demo

    seed_demo(units=200)
    assert ComponentLink.objects.filter(removed_at__isnull=False).exists()  # swaps happened
    assert list(check_links()) == []
    assert list(check_links(chunk=7)) == []
