"""Stocktakes: snapshot, idempotent scans, the report and all-or-nothing adjustments."""

import pytest

from tests import factories as f
from unitrace.core.errors import RowError
from unitrace.inventory import stocktakes
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import Stocktake, StocktakeLine, StocktakeScan
from unitrace.inventory.stocktakes.closing import close_stocktake, stocktake_report
from unitrace.serials import ledger
from unitrace.serials.models import Unit, UnitEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(make_units, warehouse, bins):
    """HQ holds S1..S4 in bin A1 and S5 without a bin."""
    make_units(["S1", "S2", "S3", "S4"], warehouse, bin=bins["A1"])
    make_units(["S5"], warehouse)
    return bins


@pytest.fixture
def count(shelf, warehouse, make_user):
    return stocktakes.open_stocktake(warehouse, user=make_user("warehouse", "wang"))


def unit(serial: str) -> Unit:
    return Unit.objects.select_related("warehouse", "bin").get(serial=serial)


def test_open_snapshots_the_book_with_bins(count, shelf, make_units, regional):
    make_units(["ELSEWHERE"], regional)
    assert count.number == f"ST{count.pk:06d}" and count.book_count == 5
    book = dict(count.lines.values_list("unit__serial", "book_bin__code"))
    assert book == {"S1": "A1", "S2": "A1", "S3": "A1", "S4": "A1", "S5": None}
    assert set(count.lines.values_list("book_status", flat=True)) == {"in_stock"}


def test_only_one_open_count_per_warehouse(count, warehouse):
    with pytest.raises(InventoryError, match=f"{count.number} is already counting HQ"):
        stocktakes.open_stocktake(warehouse)


def test_scan_counts_once_and_notes_repeats(count, make_user):
    li = make_user("warehouse", "li")
    first = stocktakes.scan(count, "S1", user=li)
    again = stocktakes.scan(count, " S1 ", user=li)
    assert (first.outcome, first.message, first.counted, first.book) == ("counted", "counted", 1, 5)
    assert again.outcome == "duplicate" and again.message.startswith("already counted at ")
    assert again.message.endswith("by li") and again.counted == 1 and again.scans == 2
    line = count.lines.get(unit__serial="S1")
    assert line.scans == 2 and line.counted_by == li
    rows = list(StocktakeScan.objects.filter(stocktake=count).order_by("id"))
    assert [(r.code, r.outcome, r.scanned_by) for r in rows] == [
        ("S1", "counted", li),
        ("S1", "duplicate", li),
    ]


def test_scan_feedback_for_bins_unknown_and_unexpected(count, shelf, make_units, regional):
    wrong = stocktakes.scan(count, "S2", bin=shelf["A2"])
    assert (wrong.outcome, wrong.message) == ("wrong_bin", "counted; the book has it in bin A1")
    unknown = stocktakes.scan(count, "NOPE-1")
    assert (unknown.outcome, unknown.message) == ("unknown", "no unit with serial NOPE-1")
    make_units(["FAR"], regional)
    far = stocktakes.scan(count, "FAR")
    assert far.outcome == "unexpected"
    assert far.message == "not in the book: the ledger places it in R-SH (in stock)"
    count.refresh_from_db()
    # "counted" is units of the book found; the unexpected one has its own figure
    assert (count.scan_count, count.counted_count, count.unknown_count) == (3, 1, 1)
    assert count.unexpected_count == 1
    assert far.counted == 1


def test_bin_of_another_warehouse_is_refused(count, regional):
    other = f.BinFactory(warehouse=regional, code="Z9")
    with pytest.raises(InventoryError, match="bin Z9 is not in HQ"):
        stocktakes.scan(count, "S1", bin=other)


def test_scan_many_matches_single_scans(count, shelf):
    result = stocktakes.scan_many(count, ["S1", "S2", "S1", "GHOST", "S3"], bin=shelf["A1"])
    assert [r.outcome for r in result.results] == [
        "counted",
        "counted",
        "duplicate",
        "unknown",
        "counted",
    ]
    assert result.counted == 3 and result.scans == 5
    assert count.lines.get(unit__serial="S1").scans == 2
    later = stocktakes.scan_many(count, ["S1", "S4"])
    assert [r.outcome for r in later.results] == ["duplicate", "counted"]
    assert StocktakeScan.objects.filter(stocktake=count).count() == 7


def test_counted_never_passes_the_book_single_and_batch_scans_alike(count, make_units, regional):
    """已盘 N / M: N is units of the book found; strangers are counted apart."""
    make_units(["FAR1", "FAR2", "FAR3"], regional)
    stocktakes.scan(count, "FAR1")
    batch = stocktakes.scan_many(count, ["S1", "FAR2", "FAR3", "FAR2"])
    assert [r.outcome for r in batch.results] == [
        "counted",
        "unexpected",
        "unexpected",
        "duplicate",
    ]
    assert batch.counted == 1
    for serial in ["S2", "S3", "S4", "S5"]:
        stocktakes.scan(count, serial)
    count.refresh_from_db()
    assert (count.counted_count, count.book_count, count.unexpected_count) == (5, 5, 3)
    assert (count.scan_count, count.duplicate_count) == (9, 1)


def test_report_lists_missing_unexpected_misplaced(count, shelf, make_units, regional, sku):
    make_units(["FAR"], regional)
    make_units(["NEW"], None)  # registered, never received
    stocktakes.scan_many(count, ["S1", "S2", "FAR", "NEW"], bin=shelf["A1"])
    stocktakes.scan(count, "S3", bin=shelf["A2"])
    stocktakes.scan(count, "S4")  # no bin given: the bin is not judged
    stocktakes.scan(count, "S5", bin=shelf["A2"])  # had no bin: now it gets one
    report = stocktake_report(count)
    assert report["counts"] == {"missing": 0, "unexpected": 2, "misplaced": 2, "changed": 0}
    actions = {line["unit__serial"]: line["action"] for line in report["lines"]["unexpected"]}
    assert actions == {"FAR": "move", "NEW": "receive"}
    misplaced = {
        line["unit__serial"]: line["counted_bin__code"] for line in report["lines"]["misplaced"]
    }
    assert misplaced == {"S3": "A2", "S5": "A2"}


def test_report_lists_the_missing(count):
    stocktakes.scan_many(count, ["S1", "S2", "S3"])
    report = stocktake_report(count)
    assert report["counts"] == {"missing": 2, "unexpected": 0, "misplaced": 0, "changed": 0}
    assert [line["unit__serial"] for line in report["lines"]["missing"]] == ["S4", "S5"]
    assert {line["action"] for line in report["lines"]["missing"]} == {"report_missing"}


def test_ledger_changes_during_the_count_are_not_missing(count, customer):
    ledger.deliver(unit("S4"), customer)  # shipped normally while counting
    report = stocktake_report(count)
    assert report["counts"]["missing"] == 4 and report["counts"]["changed"] == 1


def test_close_posts_the_chosen_adjustments(count, shelf, make_units, regional, make_user):
    make_units(["FAR"], regional)
    make_units(["NEW"], None)
    lost = make_units(["LOST"], regional)[0]
    ledger.report_missing(lost, notes="上次盘点未找到")
    stocktakes.scan_many(count, ["S1", "S2", "FAR", "NEW", "LOST"], bin=shelf["A1"])
    stocktakes.scan(count, "S3", bin=shelf["A2"])
    boss = make_user("manager", "boss")
    closed = close_stocktake(
        count,
        user=boss,
        reason="2026 年终盘点",
        adjust={"missing": [unit("S4").pk], "unexpected": "all", "misplaced": "all"},
    )
    assert closed.status == "closed" and closed.closed_by == boss
    s4, s5 = unit("S4"), unit("S5")
    assert s4.status == "missing" and s5.status == "in_stock"  # S5 left as it was
    event = UnitEvent.objects.get(unit=s4, type="missing")
    assert (event.notes, event.ref_type, event.ref_id) == (
        "2026 年终盘点",
        "stocktake",
        count.number,
    )
    for serial, kind in (("FAR", "moved"), ("NEW", "received"), ("LOST", "found")):
        moved = unit(serial)
        assert (moved.warehouse.code, moved.bin.code, moved.status) == ("HQ", "A1", "in_stock")
        assert UnitEvent.objects.filter(unit=moved, type=kind, ref_id=count.number).exists()
    assert unit("S3").bin.code == "A2"
    outcomes = dict(count.lines.values_list("unit__serial", "outcome"))
    assert outcomes == {
        "S1": "",
        "S2": "",
        "S3": "misplaced",
        "S4": "missing",
        "S5": "missing",
        "FAR": "unexpected",
        "NEW": "unexpected",
        "LOST": "unexpected",
    }
    assert count.lines.get(unit__serial="S4").adjustment == "missing"
    assert count.lines.get(unit__serial="S5").adjustment == ""
    assert closed.summary["adjusted"] == {"missing": 1, "unexpected": 3, "misplaced": 1}
    report = stocktake_report(closed)
    assert report["closed"] and report["counts"]["missing"] == 2


def test_adjustments_need_a_reason(count):
    with pytest.raises(InventoryError, match="give a reason for the adjustments"):
        close_stocktake(count, adjust={"missing": "all"})
    assert Stocktake.objects.get(pk=count.pk).status == "open"


def test_bulk_adjustment_is_all_or_nothing(count, shelf, make_units, regional, customer):
    make_units(["FAR"], regional)
    stocktakes.scan_many(count, ["S1", "S2", "S3", "FAR"])
    # S1 was counted in its own bin: choosing it as misplaced refuses the whole close
    with pytest.raises(InventoryError) as caught:
        close_stocktake(count, reason="r", adjust={"missing": "all", "misplaced": [unit("S1").pk]})
    assert caught.value.rows[0].code == "not_in_category"
    assert unit("S4").status == "in_stock" and unit("FAR").warehouse.code == "R-SH"
    assert Stocktake.objects.get(pk=count.pk).status == "open"


def test_ledger_refusal_rolls_back_every_adjustment(count, make_units, regional, monkeypatch):
    from unitrace.inventory.stocktakes import closing as stocktake_close

    make_units(["FAR"], regional)
    stocktakes.scan_many(count, ["S1", "S2", "S3", "FAR"])
    real = stocktake_close.ledger.record_many

    def refuse_moves(ids, data, **kw):
        if data.type == "moved":
            raise ledger.BulkLedgerError([ledger.LedgerError("refused", unit=unit("FAR"))])
        return real(ids, data, **kw)

    monkeypatch.setattr(stocktake_close.ledger, "record_many", refuse_moves)
    with pytest.raises(InventoryError) as caught:
        close_stocktake(count, reason="r", adjust={"missing": "all", "unexpected": "all"})
    assert caught.value.rows == [
        RowError(None, field="serial", code="refused", message="refused", value="FAR")
    ]
    assert "nothing was posted" in str(caught.value)
    assert unit("S4").status == "in_stock" and unit("S5").status == "in_stock"
    assert not UnitEvent.objects.filter(type="missing").exists()
    assert StocktakeLine.objects.filter(stocktake=count).exclude(outcome="").count() == 0


def test_in_transit_unit_cannot_be_adjusted_here(count, make_units, warehouse, regional):
    from unitrace.inventory import transfers

    units = make_units(["TR1"], regional)
    transfer = transfers.create_transfer(regional, warehouse, units=units)
    transfers.dispatch_transfer(transfer)
    stocktakes.scan(count, "TR1")
    with pytest.raises(InventoryError) as caught:
        close_stocktake(count, reason="r", adjust={"unexpected": [units[0].pk]})
    assert caught.value.rows[0].message == "in transit: receive it on its transfer"


def test_closed_count_refuses_scans(count):
    close_stocktake(count)
    with pytest.raises(InventoryError, match="is closed: scans are no longer accepted"):
        stocktakes.scan(count, "S1")
    with pytest.raises(InventoryError, match="already closed"):
        close_stocktake(count)
