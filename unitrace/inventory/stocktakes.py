"""Stocktakes: open a count (snapshot of the book), then scan, by many clerks at once.

Every scan takes the stocktake's row lock (``FOR NO KEY UPDATE``) for the few
milliseconds it needs: scans of one count are serialized, so counters stay exact and a
scan can never slip in after the count was closed. The unique (stocktake, unit) line
is the last line of defence against double counting. Closing is in
``stocktake_close``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import Stocktake, StocktakeLine, StocktakeScan
from unitrace.inventory.numbering import create_numbered
from unitrace.inventory.resolving import resolve_code, resolve_codes
from unitrace.places.models import Bin, Warehouse
from unitrace.serials.models import Unit
from unitrace.serials.statuses import IN_STOCK_GROUP, Status

# What "in the warehouse" means for a count: the statuses of units on its shelves.
BOOK_STATUSES = sorted(IN_STOCK_GROUP)
ANALYZE_FROM = 10_000
# What a scan reads about a unit (a narrower query: the scanner waits on it).
SCAN_FIELDS = ("id", "serial", "status", "warehouse_id", "bin_id", "sku__gtin", "warehouse__code")
Outcome = StocktakeScan.Outcome


def _user(user):
    return user if user is not None and user.is_authenticated else None


def open_stocktake(warehouse: Warehouse, *, user=None, notes: str = "") -> Stocktake:
    """Start a count: the units the ledger places in ``warehouse`` now are the book."""
    current = Stocktake.objects.filter(warehouse=warehouse, status=Stocktake.Status.OPEN).first()
    if current is not None:
        raise InventoryError(
            _("stocktake %(number)s is already counting %(warehouse)s")
            % {"number": current.number, "warehouse": warehouse.code},
            code="already_open",
        )
    try:
        with transaction.atomic():
            stocktake = create_numbered(
                Stocktake, "ST", warehouse=warehouse, opened_by=_user(user), notes=notes
            )
            stocktake.book_count = _snapshot(stocktake)
            stocktake.save(update_fields=["book_count"])
    except IntegrityError:  # another clerk opened one at the same moment
        raise InventoryError(
            _("a stocktake of %(warehouse)s was opened at the same moment")
            % {"warehouse": warehouse.code},
            code="already_open",
        )
    return stocktake


def _snapshot(stocktake: Stocktake) -> int:
    """Copy the book into lines with one INSERT … SELECT (no rows through Python)."""
    line, unit = StocktakeLine._meta.db_table, Unit._meta.db_table
    marks = ", ".join(["%s"] * len(BOOK_STATUSES))
    sql = (
        f"INSERT INTO {line} (stocktake_id, unit_id, in_book, book_bin_id, book_status, "  # noqa: S608
        f"scans, outcome, adjustment) "
        f"SELECT %s, id, %s, bin_id, status, 0, '', '' FROM {unit} "
        f"WHERE warehouse_id = %s AND status IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [stocktake.pk, True, stocktake.warehouse_id, *BOOK_STATUSES])
        count = cursor.rowcount
        if connection.vendor == "postgresql" and count >= ANALYZE_FROM:
            # Fresh statistics, or the report's joins are planned for an empty table.
            cursor.execute(f"ANALYZE {line}")
    return count


def cancel_stocktake(stocktake: Stocktake, *, user=None) -> Stocktake:
    """Drop a count without touching the ledger (its scans stay for the record)."""
    with transaction.atomic():
        stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
        if stocktake.status != Stocktake.Status.OPEN:
            raise InventoryError(
                _("stocktake %(number)s is already %(status)s")
                % {"number": stocktake.number, "status": stocktake.get_status_display()},
                code="not_open",
            )
        stocktake.status = Stocktake.Status.CANCELLED
        stocktake.closed_at = timezone.now()
        stocktake.closed_by = _user(user)
        stocktake.save(update_fields=["status", "closed_at", "closed_by"])
    return stocktake


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


@dataclass
class ScanResult:
    code: str
    outcome: str
    message: str = ""
    unit: Unit | None = None
    bin: Bin | None = None
    counted: int = 0
    book: int = 0
    scans: int = 0

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "outcome": self.outcome,
            "message": self.message,
            "unit": {"id": self.unit.pk, "serial": self.unit.serial} if self.unit else None,
            "bin": self.bin.code if self.bin else None,
            "counted": self.counted,
            "book": self.book,
            "scans": self.scans,
        }


def _check_bin(stocktake: Stocktake, bin: Bin | None) -> None:
    if bin is not None and bin.warehouse_id != stocktake.warehouse_id:
        raise InventoryError(
            _("bin %(bin)s is not in %(warehouse)s")
            % {"bin": bin.code, "warehouse": stocktake.warehouse.code},
            code="wrong_bin",
        )


def _not_in_book(unit: Unit) -> str:
    status = Status(unit.status).label if unit.status in Status.values else unit.status
    if unit.warehouse_id:
        return _("not in the book: the ledger places it in %(where)s (%(status)s)") % {
            "where": unit.warehouse.code,
            "status": status,
        }
    return _("not in the book: the unit is %(status)s") % {"status": status}


def scan(
    stocktake: Stocktake | int,
    code: str,
    *,
    user=None,
    bin: Bin | None = None,
    units: QuerySet[Unit] | None = None,
) -> ScanResult:
    """Count one scanned code. Scanning a unit again is noted, never counted twice."""
    from unitrace.inventory.stocktake_scan import scan_one

    pk = stocktake.pk if isinstance(stocktake, Stocktake) else stocktake
    units = Unit.objects.all() if units is None else units
    found = resolve_code(code, units.select_related("sku", "warehouse").only(*SCAN_FIELDS))
    return scan_one(pk, found, _user(user), bin)


def _bump(stocktake: Stocktake, outcomes: Sequence[str]) -> None:
    """Running figures, updated under the row lock the caller holds."""
    stocktake.scan_count += len(outcomes)
    for outcome in outcomes:
        if outcome in (Outcome.COUNTED, Outcome.WRONG_BIN, Outcome.UNEXPECTED):
            stocktake.counted_count += 1
        elif outcome == Outcome.DUPLICATE:
            stocktake.duplicate_count += 1
        else:
            stocktake.unknown_count += 1
    stocktake.save(
        update_fields=["scan_count", "counted_count", "duplicate_count", "unknown_count"]
    )


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
    from unitrace.inventory.stocktake_batch import count_batch

    pk = stocktake.pk if isinstance(stocktake, Stocktake) else stocktake
    units = Unit.objects.all() if units is None else units
    found = resolve_codes(codes, units.select_related("warehouse"))
    with transaction.atomic():
        locked = _locked(pk)
        _check_bin(locked, bin)
        results = count_batch(locked, found, _user(user), bin, timezone.now())
        _bump(locked, [r.outcome for r in results])
    return BatchResult(results, locked.counted_count, locked.book_count, locked.scan_count)
