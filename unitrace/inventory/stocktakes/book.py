"""What every stage of a count shares: the book's statuses and what a scan answers.

The stages of a stocktake sit one above the other, each importing only those below:
``book`` (this module) → ``opening`` (the snapshot), ``scanning`` (one code) and
``batch`` (a handheld's upload) → ``closing`` (the report and the adjustments).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from unitrace.inventory.models import StocktakeScan
from unitrace.places.models import Bin
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


def _not_in_book(unit: Unit) -> str:
    status = Status(unit.status).label if unit.status in Status.values else unit.status
    if unit.warehouse_id:
        return _("not in the book: the ledger places it in %(where)s (%(status)s)") % {
            "where": unit.warehouse.code,
            "status": status,
        }
    return _("not in the book: the unit is %(status)s") % {"status": status}
