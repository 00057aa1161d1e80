"""Stocktakes: open a count (a snapshot of the book), scan by many clerks at once, close.

The stages import one way only: ``book`` (shared: the book's statuses, scan results)
→ ``opening``, ``scanning`` and ``batch`` → ``closing``. Callers use the names below.
"""

from unitrace.inventory.stocktakes.batch import BatchResult, scan_many
from unitrace.inventory.stocktakes.book import BOOK_STATUSES, Outcome, ScanResult
from unitrace.inventory.stocktakes.closing import (
    ADJUSTABLE,
    CATEGORIES,
    CATEGORY_LABELS,
    close_stocktake,
    stocktake_report,
)
from unitrace.inventory.stocktakes.opening import cancel_stocktake, open_stocktake
from unitrace.inventory.stocktakes.scanning import scan

__all__ = [
    "ADJUSTABLE",
    "BOOK_STATUSES",
    "CATEGORIES",
    "CATEGORY_LABELS",
    "BatchResult",
    "Outcome",
    "ScanResult",
    "cancel_stocktake",
    "close_stocktake",
    "open_stocktake",
    "scan",
    "scan_many",
    "stocktake_report",
]
