"""Two warehouse imports re-parenting opposite ways at the same moment: the hierarchy's
row locks let one through and refuse the other as a failed job, never a loop."""

from __future__ import annotations

import contextlib
import threading

import pytest

from tests import factories as f
from unitrace.core.jobs import JobFailed
from unitrace.core.testing.threads import race
from unitrace.places.importing import import_warehouses
from unitrace.places.models import Warehouse

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_opposite_imports_one_wins_the_other_fails_whole(monkeypatch):
    f.WarehouseFactory(code="IA", name="A仓")
    f.WarehouseFactory(code="IB", name="B仓")
    barrier = threading.Barrier(2)
    original = Warehouse.ancestor_codes

    def checked_then_wait(self):
        chain = original(self)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=3)  # the other may be waiting for a lock: go on alone
        return chain

    monkeypatch.setattr(Warehouse, "ancestor_codes", checked_then_wait)
    files = ["仓库编码,上级仓库编码\nIA,IB\n", "仓库编码,上级仓库编码\nIB,IA\n"]
    results, errors = race(2, lambda i: import_warehouses(files[i].encode(), "w.csv"))

    assert len(results) == 1 and len(errors) == 1, (results, errors)
    assert isinstance(errors[0], JobFailed) and "loop" in str(errors[0])
    parents = dict(Warehouse.objects.values_list("code", "parent__code"))
    assert None in (parents["IA"], parents["IB"])
