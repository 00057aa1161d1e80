"""A handheld's upload: counting a batch of scans with set-based writes, under the
stocktake's row lock (``FOR NO KEY UPDATE``) for the whole batch.

Same outcomes as one scan at a time, in input order: the first scan of a unit counts
it, later ones (in this batch or before) are duplicates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import Stocktake, StocktakeLine, StocktakeScan
from unitrace.inventory.resolving import Resolved, resolve_codes
from unitrace.inventory.stocktakes.book import Outcome, ScanResult, _not_in_book, _user
from unitrace.places.models import Bin
from unitrace.serials.models import Unit

CHUNK = 2000


def _lines(stocktake: Stocktake, unit_ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    for start in range(0, len(unit_ids), CHUNK):
        for line in StocktakeLine.objects.filter(
            stocktake=stocktake, unit_id__in=unit_ids[start : start + CHUNK]
        ).values("id", "unit_id", "in_book", "book_bin_id", "counted_at"):
            found[line["unit_id"]] = line
    return found


def count_batch(
    stocktake: Stocktake, found: Sequence[Resolved], user, bin: Bin | None, now: datetime
) -> list[ScanResult]:
    said = {  # translated once per batch, not once per code
        "counted": _("counted"),
        "other_bin": _("counted; the book has it in another bin"),
        "again": _("already counted"),
    }
    unit_ids = sorted({r.unit.pk for r in found if r.unit is not None})
    lines = _lines(stocktake, unit_ids)
    results: list[ScanResult] = []
    first_count: list[int] = []  # line ids counted now
    repeats: Counter[int] = Counter()  # line id -> extra scans
    new_lines: dict[int, StocktakeLine] = {}
    for item in found:
        unit = item.unit
        if unit is None:
            outcome = Outcome.AMBIGUOUS if item.outcome == "ambiguous" else Outcome.UNKNOWN
            results.append(ScanResult(item.code, outcome, item.message, bin=bin))
            continue
        line = lines.get(unit.pk)
        if line is None and unit.pk not in new_lines:
            new_lines[unit.pk] = StocktakeLine(
                stocktake=stocktake,
                unit=unit,
                in_book=False,
                counted_at=now,
                counted_by=user,
                counted_bin=bin,
                scans=1,
            )
            results.append(ScanResult(item.code, Outcome.UNEXPECTED, _not_in_book(unit), unit, bin))
        elif line is None or line["counted_at"] is not None:
            if line is None:
                new_lines[unit.pk].scans += 1
            else:
                repeats[line["id"]] += 1
            results.append(ScanResult(item.code, Outcome.DUPLICATE, said["again"], unit, bin))
        else:
            line["counted_at"] = now
            first_count.append(line["id"])
            wrong = bin is not None and line["book_bin_id"] and line["book_bin_id"] != bin.pk
            outcome = Outcome.WRONG_BIN if wrong else Outcome.COUNTED
            message = said["other_bin"] if wrong else said["counted"]
            results.append(ScanResult(item.code, outcome, message, unit, bin))
    for start in range(0, len(first_count), CHUNK):
        StocktakeLine.objects.filter(pk__in=first_count[start : start + CHUNK]).update(
            counted_at=now, counted_by=user, counted_bin=bin, scans=F("scans") + 1
        )
    for line_id, extra in repeats.items():
        StocktakeLine.objects.filter(pk=line_id).update(scans=F("scans") + extra)
    StocktakeLine.objects.bulk_create(new_lines.values(), batch_size=CHUNK)
    StocktakeScan.objects.bulk_create(
        [
            StocktakeScan(
                stocktake=stocktake,
                unit=r.unit,
                code=r.code.strip()[:200],
                bin=bin,
                outcome=r.outcome,
                scanned_at=now,
                scanned_by=user,
            )
            for r in results
        ],
        batch_size=CHUNK,
    )
    return results


@dataclass
class BatchResult:
    results: list[ScanResult] = field(default_factory=list)
    counted: int = 0
    book: int = 0
    scans: int = 0

    def totals(self) -> dict[str, int]:
        totals = dict.fromkeys(Outcome.values, 0)
        for result in self.results:
            totals[result.outcome] += 1
        return totals


def scan_many(
    stocktake: Stocktake | int,
    codes: Sequence[str],
    *,
    user=None,
    bin: Bin | None = None,
    units: QuerySet[Unit] | None = None,
) -> BatchResult:
    """A handheld's upload: the same rules as ``scan`` for each code, in a few queries."""
    pk = stocktake.pk if isinstance(stocktake, Stocktake) else stocktake
    units = Unit.objects.all() if units is None else units
    found = resolve_codes(codes, units.select_related("warehouse"))
    with transaction.atomic():
        locked = _locked(pk)
        _check_bin(locked, bin)
        results = count_batch(locked, found, _user(user), bin, timezone.now())
        _bump(locked, [r.outcome for r in results])
    return BatchResult(results, locked.counted_count, locked.book_count, locked.scan_count)


def _locked(stocktake_id: int) -> Stocktake:
    stocktake = (
        Stocktake.objects.select_for_update(no_key=True)
        .select_related("warehouse")
        .get(pk=stocktake_id)
    )
    if stocktake.status != Stocktake.Status.OPEN:
        raise InventoryError(
            _("stocktake %(number)s is %(status)s: scans are no longer accepted")
            % {"number": stocktake.number, "status": stocktake.get_status_display()},
            code="not_open",
        )
    return stocktake


def _check_bin(stocktake: Stocktake, bin: Bin | None) -> None:
    if bin is not None and bin.warehouse_id != stocktake.warehouse_id:
        raise InventoryError(
            _("bin %(bin)s is not in %(warehouse)s")
            % {"bin": bin.code, "warehouse": stocktake.warehouse.code},
            code="wrong_bin",
        )


def _bump(stocktake: Stocktake, outcomes: Sequence[str]) -> None:
    """Running figures, updated under the row lock the caller holds."""
    stocktake.scan_count += len(outcomes)
    for outcome in outcomes:
        if outcome in (Outcome.COUNTED, Outcome.WRONG_BIN):
            stocktake.counted_count += 1
        elif outcome == Outcome.UNEXPECTED:
            stocktake.unexpected_count += 1
        elif outcome == Outcome.DUPLICATE:
            stocktake.duplicate_count += 1
        else:
            stocktake.unknown_count += 1
    stocktake.save(
        update_fields=[
            "scan_count",
            "counted_count",
            "unexpected_count",
            "duplicate_count",
            "unknown_count",
        ]
    )
