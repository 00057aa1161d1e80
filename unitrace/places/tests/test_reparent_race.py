"""Two opposite re-parentings at the same moment cannot make the hierarchy loop.

Each thread waits at a barrier right after its loop check, so without row locks both
checks see the other's old parent, both pass and both save: A under B and B under A.
With the locks the second thread is still waiting for them while the first one waits
at the barrier; the barrier gives up, the first saves, and the second then checks
against the committed change and is refused.
"""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError

from tests import factories as f
from unitrace.core.testing.threads import race
from unitrace.places import hierarchy
from unitrace.places.models import Warehouse

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _loops() -> list[str]:
    """Codes of warehouses that are their own ancestor."""
    parents = dict(Warehouse.objects.values_list("pk", "parent_id"))
    codes = dict(Warehouse.objects.values_list("pk", "code"))
    looping = []
    for start in parents:
        seen, current = set(), parents[start]
        while current is not None and current not in seen:
            if current == start:
                looping.append(codes[start])
                break
            seen.add(current)
            current = parents.get(current)
    return looping


def _checks_meet_at(barrier: threading.Barrier, monkeypatch) -> None:
    original = Warehouse.ancestor_codes

    def checked_then_wait(self):
        chain = original(self)
        # the other thread may be waiting for a lock: then go on alone
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)
        return chain

    monkeypatch.setattr(Warehouse, "ancestor_codes", checked_then_wait)


def _move(code: str, parent_code: str) -> Warehouse:
    warehouse = Warehouse.objects.get(code=code)
    warehouse.parent = Warehouse.objects.get(code=parent_code)
    return hierarchy.save_warehouse(warehouse)


def test_opposite_reparentings_one_wins_the_other_is_refused(monkeypatch):
    f.WarehouseFactory(code="RA", name="A仓")
    f.WarehouseFactory(code="RB", name="B仓")
    _checks_meet_at(threading.Barrier(2), monkeypatch)

    moves = [("RA", "RB"), ("RB", "RA")]
    results, errors = race(2, lambda i: _move(*moves[i]))

    assert len(results) == 1 and len(errors) == 1, (results, errors)
    refusal = errors[0]
    assert isinstance(refusal, ValidationError)
    assert "parent" in refusal.message_dict
    assert "loop" in refusal.message_dict["parent"][0]
    assert _loops() == []
    parents = dict(Warehouse.objects.values_list("code", "parent__code"))
    assert sorted([parents["RA"], parents["RB"]], key=str) == sorted(
        [None, results[0].parent.code], key=str
    )


def test_a_loop_closed_through_a_longer_chain_is_refused(monkeypatch):
    """A under B (B under C) while C goes under D (D under A): no moved row in common
    with the other's new parent, but each chain passes through the other's moved row."""
    a = f.WarehouseFactory(code="LA", name="A仓")
    c = f.WarehouseFactory(code="LC", name="C仓")
    f.WarehouseFactory(code="LB", name="B仓", parent=c)
    f.WarehouseFactory(code="LD", name="D仓", parent=a)
    _checks_meet_at(threading.Barrier(2), monkeypatch)

    moves = [("LA", "LB"), ("LC", "LD")]
    results, errors = race(2, lambda i: _move(*moves[i]))

    assert len(results) == 1 and len(errors) == 1, (results, errors)
    assert isinstance(errors[0], ValidationError)
    assert _loops() == []
