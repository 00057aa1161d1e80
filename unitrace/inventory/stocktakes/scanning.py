"""One scan, in as few round trips as the rules allow: a clerk waits on every one.

1. ``UPDATE stocktake … WHERE status = 'open'`` claims the stocktake's row lock, checks
   it is still open and bumps the counters in one statement (optimistically as
   "counted"; the rare repeat or unknown code corrects them);
2. ``UPDATE line … WHERE counted_at IS NULL RETURNING`` counts the unit if nobody
   has, and says whether the book expected it and in which bin;
3. ``INSERT`` the scan row.

Taking the stocktake lock first keeps the lock order of scans and of the close the
same (stocktake, then lines), so they queue instead of deadlocking.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import Stocktake, StocktakeLine, StocktakeScan
from unitrace.inventory.resolving import Resolved, resolve_code
from unitrace.inventory.stocktakes.book import (
    SCAN_FIELDS,
    Outcome,
    ScanResult,
    _not_in_book,
    _user,
)
from unitrace.places.models import Bin, Warehouse
from unitrace.serials.models import Unit

_STOCKTAKE = Stocktake._meta.db_table
_LINE = StocktakeLine._meta.db_table
CLAIM = (
    f"UPDATE {_STOCKTAKE} SET scan_count = scan_count + 1, "  # noqa: S608 - table names from models
    f"counted_count = counted_count + 1 WHERE id = %s AND status = %s "
    f"RETURNING warehouse_id, book_count, scan_count, counted_count"
)
COUNT = (
    f"UPDATE {_LINE} SET counted_at = %s, counted_by_id = %s, counted_bin_id = %s, "  # noqa: S608
    f"scans = scans + 1 WHERE stocktake_id = %s AND unit_id = %s AND counted_at IS NULL "
    f"RETURNING in_book, book_bin_id"
)

# Outcomes that are not a unit of the book found: the optimistic "counted" is moved
# to the figure they belong to.
CORRECTED = {
    Outcome.DUPLICATE: "duplicate_count",
    Outcome.UNKNOWN: "unknown_count",
    Outcome.AMBIGUOUS: "unknown_count",
    Outcome.UNEXPECTED: "unexpected_count",
}


def scan(
    stocktake: Stocktake | int,
    code: str,
    *,
    user=None,
    bin: Bin | None = None,
    units: QuerySet[Unit] | None = None,
) -> ScanResult:
    """Count one scanned code. Scanning a unit again is noted, never counted twice."""
    pk = stocktake.pk if isinstance(stocktake, Stocktake) else stocktake
    units = Unit.objects.all() if units is None else units
    found = resolve_code(code, units.select_related("sku", "warehouse").only(*SCAN_FIELDS))
    return scan_one(pk, found, _user(user), bin)


def _refused(stocktake_id: int) -> InventoryError:
    stocktake = Stocktake.objects.get(pk=stocktake_id)
    return InventoryError(
        _("stocktake %(number)s is %(status)s: scans are no longer accepted")
        % {"number": stocktake.number, "status": stocktake.get_status_display()},
        code="not_open",
    )


def scan_one(stocktake_id: int, found: Resolved, user, bin: Bin | None) -> ScanResult:
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CLAIM, [stocktake_id, Stocktake.Status.OPEN])
        claimed = cursor.fetchone()
        if claimed is None:
            raise _refused(stocktake_id)
        warehouse_id, book, scans, counted = claimed
        if bin is not None and bin.warehouse_id != warehouse_id:
            raise InventoryError(
                _("bin %(bin)s is not in %(warehouse)s")
                % {"bin": bin.code, "warehouse": Warehouse.objects.get(pk=warehouse_id).code},
                code="wrong_bin",
            )
        result = _count(cursor, stocktake_id, found, user, bin, now)
        StocktakeScan.objects.create(
            stocktake_id=stocktake_id,
            unit=found.unit,
            code=found.code.strip()[:200],
            bin=bin,
            outcome=result.outcome,
            scanned_at=now,
            scanned_by=user,
        )
        if result.outcome in CORRECTED:
            field = CORRECTED[result.outcome]
            Stocktake.objects.filter(pk=stocktake_id).update(
                counted_count=F("counted_count") - 1, **{field: F(field) + 1}
            )
            counted -= 1
    result.book, result.scans, result.counted = book, scans, counted
    return result


def _count(cursor, stocktake_id: int, found: Resolved, user, bin: Bin | None, now) -> ScanResult:
    unit = found.unit
    if unit is None:
        outcome = Outcome.AMBIGUOUS if found.outcome == "ambiguous" else Outcome.UNKNOWN
        return ScanResult(found.code, outcome, found.message, bin=bin)
    user_id = user.pk if user is not None else None
    bin_id = bin.pk if bin is not None else None
    cursor.execute(COUNT, [now, user_id, bin_id, stocktake_id, unit.pk])
    counted = cursor.fetchone()
    if counted is not None:
        in_book, book_bin_id = counted
        if not in_book:  # pragma: no cover - unexpected lines are created counted
            return ScanResult(found.code, Outcome.UNEXPECTED, _not_in_book(unit), unit, bin)
        if bin_id is not None and book_bin_id and book_bin_id != bin_id:
            message = _("counted; the book has it in bin %(bin)s") % {
                "bin": Bin.objects.get(pk=book_bin_id).code
            }
            return ScanResult(found.code, Outcome.WRONG_BIN, message, unit, bin)
        return ScanResult(found.code, Outcome.COUNTED, _("counted"), unit, bin)
    line = (
        StocktakeLine.objects.filter(stocktake_id=stocktake_id, unit=unit)
        .values("id", "counted_at", "counted_by__username")
        .first()
    )
    if line is None:
        StocktakeLine.objects.create(
            stocktake_id=stocktake_id,
            unit=unit,
            in_book=False,
            counted_at=now,
            counted_by=user,
            counted_bin=bin,
            scans=1,
        )
        return ScanResult(found.code, Outcome.UNEXPECTED, _not_in_book(unit), unit, bin)
    StocktakeLine.objects.filter(pk=line["id"]).update(scans=F("scans") + 1)
    message = _("already counted at %(time)s by %(user)s") % {
        "time": time_format(timezone.localtime(line["counted_at"]), "H:i:s"),
        "user": line["counted_by__username"] or "—",
    }
    return ScanResult(found.code, Outcome.DUPLICATE, message, unit, bin)
