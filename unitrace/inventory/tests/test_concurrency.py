"""Real parallelism on PostgreSQL: row locks and constraints decide, not luck."""

import random

import pytest

from tests import factories as f
from unitrace.core.testing.threads import race
from unitrace.inventory import parts, stocktakes, transfers
from unitrace.inventory.alerts import check_min_stock
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import (
    MinStock,
    PartMove,
    PartStock,
    StockAlert,
    Stocktake,
    StocktakeLine,
    StocktakeScan,
    Transfer,
)
from unitrace.inventory.stocktakes.closing import close_stocktake
from unitrace.serials.models import Unit, UnitEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_issues_never_oversell(part, warehouse):
    parts.receive_parts(warehouse, part, 5, lot="L1")
    results, errors = race(12, lambda i: parts.issue_parts(warehouse, part, 1, reference=f"WO{i}"))
    assert len(results) == 5 and len(errors) == 7
    assert all(isinstance(e, InventoryError) and e.code == "insufficient" for e in errors)
    assert PartStock.objects.get(lot="L1").quantity == 0
    assert PartMove.objects.filter(type="issue").count() == 5
    assert sorted(m.balance for m in PartMove.objects.filter(type="issue")) == [0, 1, 2, 3, 4]


def test_concurrent_fefo_issues_across_lots_and_a_transfer(part, warehouse, van):
    parts.receive_parts(warehouse, part, 3, lot="A")
    parts.receive_parts(warehouse, part, 3, lot="B")

    def work(i: int):
        if i == 0:
            return parts.transfer_parts(warehouse, van, part, 2)
        return parts.issue_parts(warehouse, part, 1)

    results, errors = race(9, work)
    assert len(errors) == 9 - len(results)
    taken = sum(-m.quantity for r in results for m in r if m.warehouse_id == warehouse.pk)
    assert taken == 6
    assert PartStock.objects.filter(warehouse=warehouse, quantity__lt=0).count() == 0
    assert (
        sum(PartStock.objects.filter(warehouse=warehouse).values_list("quantity", flat=True)) == 0
    )


def test_clerks_scanning_the_same_units_count_each_once(make_units, warehouse):
    serials = [f"C{i:04d}" for i in range(120)]
    make_units(serials, warehouse)
    count = stocktakes.open_stocktake(warehouse)
    # Plain users: a transactional test flushes the role groups seeded by migrations.
    clerks = [f.UserFactory(username=f"clerk{i}", password=None) for i in range(4)]

    def work(i: int) -> int:
        mine = serials[:]
        random.Random(i).shuffle(mine)
        for code in mine:
            stocktakes.scan(count.pk, code, user=clerks[i])
        return len(mine)

    results, errors = race(4, work)
    assert errors == [] and sum(results) == 480
    count.refresh_from_db()
    assert (count.counted_count, count.duplicate_count, count.scan_count) == (120, 360, 480)
    lines = StocktakeLine.objects.filter(stocktake=count)
    assert lines.filter(counted_at__isnull=True).count() == 0
    assert set(lines.values_list("scans", flat=True)) == {4}
    scans = StocktakeScan.objects.filter(stocktake=count)
    assert scans.count() == 480 and scans.filter(outcome="counted").count() == 120


def test_batches_and_single_scans_together(make_units, warehouse, regional):
    serials = [f"B{i:04d}" for i in range(200)]
    make_units(serials, warehouse)
    make_units(["FOREIGN"], regional)
    count = stocktakes.open_stocktake(warehouse)

    def work(i: int):
        if i % 2:
            return stocktakes.scan_many(count.pk, [*serials[i::2], "FOREIGN"])
        return [stocktakes.scan(count.pk, s) for s in [*serials[:40], "FOREIGN"]]

    _results, errors = race(4, work)
    assert errors == []
    count.refresh_from_db()
    assert count.counted_count == 120  # 100 odd and the 20 even of the first 40
    assert count.unexpected_count == 1  # FOREIGN, once however many scanned it
    lines = StocktakeLine.objects.filter(stocktake=count, counted_at__isnull=False)
    assert lines.count() == 121
    assert sum(lines.values_list("scans", flat=True)) == count.scan_count == 100 + 99 + 2 * 41 + 2
    assert StocktakeLine.objects.filter(stocktake=count, unit__serial="FOREIGN").count() == 1
    assert count.scan_count == StocktakeScan.objects.filter(stocktake=count).count()


def test_no_scan_slips_in_after_the_close(make_units, warehouse):
    serials = [f"Z{i:03d}" for i in range(60)]
    make_units(serials, warehouse)
    count = stocktakes.open_stocktake(warehouse)

    def work(i: int):
        if i == 0:
            return close_stocktake(count)
        accepted = 0
        for code in serials[i::3]:
            try:
                stocktakes.scan(count.pk, code)
                accepted += 1
            except InventoryError as exc:
                assert exc.code == "not_open"
        return accepted

    results, errors = race(4, work)
    assert errors == []
    closed = Stocktake.objects.get(pk=count.pk)
    scans = StocktakeScan.objects.filter(stocktake=count)
    assert scans.count() == closed.scan_count == sum(r for r in results if isinstance(r, int))
    assert not scans.filter(scanned_at__gt=closed.closed_at).exists()
    counted = StocktakeLine.objects.filter(stocktake=count, counted_at__isnull=False).count()
    assert counted == closed.summary["counted"]


def test_two_clerks_open_the_same_count_one_wins(make_units, warehouse):
    make_units(["O1"], warehouse)
    results, errors = race(3, lambda i: stocktakes.open_stocktake(warehouse))
    assert len(results) == 1 and len(errors) == 2
    assert all(isinstance(e, InventoryError) and e.code == "already_open" for e in errors)
    assert Stocktake.objects.filter(status="open").count() == 1


def test_dispatching_twice_at_once_sends_the_units_once(make_units, warehouse, regional):
    units = make_units(["D1", "D2"], warehouse)
    transfer = transfers.create_transfer(warehouse, regional, units=units)
    results, errors = race(3, lambda i: transfers.dispatch_transfer(transfer))
    assert len(results) == 1 and len(errors) == 2
    assert UnitEvent.objects.filter(type="transfer_out").count() == 2
    assert Transfer.objects.get(pk=transfer.pk).status == "in_transit"


def test_receiving_one_unit_twice_at_once_records_it_once(make_units, warehouse, regional):
    units = make_units(["R1", "R2"], warehouse)
    transfer = transfers.create_transfer(warehouse, regional, units=units)
    transfers.dispatch_transfer(transfer)
    unit = Unit.objects.get(serial="R1")
    results, errors = race(4, lambda i: transfers.receive_units(transfer, [unit]))
    assert errors == []
    assert sum(len(r.received) for r in results) == 1
    assert sum(len(r.already) for r in results) == 3
    assert UnitEvent.objects.filter(type="transfer_in").count() == 1


def test_min_stock_check_twice_at_once_raises_one_alert(part, warehouse):
    MinStock.objects.create(warehouse=warehouse, sku=part, minimum=3)
    _results, errors = race(3, lambda i: check_min_stock())
    assert errors == []
    assert StockAlert.objects.filter(resolved_at__isnull=True).count() == 1
