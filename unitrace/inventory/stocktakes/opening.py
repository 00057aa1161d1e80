"""Opening a count (a snapshot of the book) and dropping it.

Every scan takes the stocktake's row lock (``FOR NO KEY UPDATE``) for the few
milliseconds it needs: scans of one count are serialized, so counters stay exact and a
scan can never slip in after the count was closed. The unique (stocktake, unit) line
is the last line of defence against double counting. Scanning is in ``scanning`` and
``batch``, closing in ``closing``.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.audit import log_change, snapshot
from unitrace.core.models import ChangeLog
from unitrace.core.numbering import create_numbered
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import Stocktake, StocktakeLine
from unitrace.inventory.stocktakes.book import ANALYZE_FROM, BOOK_STATUSES, _user
from unitrace.places.models import Warehouse
from unitrace.serials.models import Unit


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
            log_change(stocktake, ChangeLog.Action.CREATE)
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
        before = snapshot(stocktake)
        stocktake.status = Stocktake.Status.CANCELLED
        stocktake.closed_at = timezone.now()
        stocktake.closed_by = _user(user)
        stocktake.save(update_fields=["status", "closed_at", "closed_by"])
        log_change(stocktake, ChangeLog.Action.CANCEL, before)
    return stocktake
