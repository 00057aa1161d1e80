"""Concurrent writers on PostgreSQL never fork a chain (real threads, real row locks)."""

from __future__ import annotations

import pytest

from tests import factories as f
from unitrace.core.audit import log_event, verify_changelog
from unitrace.core.models import ChainHead, ChangeLog
from unitrace.core.testing.threads import race
from unitrace.serials import ledger
from unitrace.serials.ledger import EventData
from unitrace.serials.models import UnitEvent
from unitrace.serials.statuses import EventType
from unitrace.serials.verify import verify_ledger

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
WORKERS = 8


@pytest.fixture(autouse=True)
def audit_key(settings):
    settings.UNITRACE_AUDIT_KEY = "race-key"


def test_concurrent_events_on_one_unit_form_one_chain(sku, warehouse):
    units = f.units_in_stock(sku, ["RC0001", "RC0002"], warehouse)
    places = [f.WarehouseFactory(code=f"WH-R{i}") for i in range(WORKERS)]

    def work(i: int):
        if i % 2:  # the single path and the bulk path on the same units
            return ledger.move(units[0], places[i])
        return ledger.record_many(
            [u.pk for u in units], EventData(EventType.MOVED, warehouse=places[i])
        )

    results, errors = race(WORKERS, work)
    # a bulk step dated before a move that overtook it is refused as out of order; that
    # is the ledger's rule, not a fork
    assert all(isinstance(e, ledger.LedgerError) for e in errors)
    assert len(results) >= WORKERS // 2
    assert UnitEvent.objects.filter(unit=units[0]).count() == 2 + len(results)
    assert verify_ledger() is None


def test_concurrent_change_log_writers_form_one_chain(db):
    def work(i: int):
        return log_event(ChangeLog.Action.LOGIN_FAILED, username=f"user{i}")

    _results, errors = race(WORKERS, work)
    assert errors == []
    assert sorted(ChangeLog.objects.values_list("seq", flat=True)) == list(range(1, WORKERS + 1))
    assert ChainHead.objects.get().seq == WORKERS
    assert verify_changelog() is None
