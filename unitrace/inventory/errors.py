"""The one error type inventory services raise, with a row per refused unit or code."""

from __future__ import annotations

from unitrace.core.errors import DomainError, RowError
from unitrace.serials.ledger import BulkLedgerError, LedgerError
from unitrace.serials.ledger import ledger_rows as _ledger_rows


class InventoryError(DomainError, ValueError):
    """A refused operation. Nothing was written; ``rows`` say which input was wrong and why."""

    code = "refused"

    def __init__(
        self, message: str, *, code: str = "refused", rows: list[RowError] | None = None
    ) -> None:
        super().__init__(message, code=code, rows=rows)


def row(serial: str | None, message: str, code: str = "refused", *, unit: int | None = None):
    """A refused unit or code: the serial (or code) given is the value.

    A unit named by its id rather than a serial (a stocktake's adjustment choice) has
    the id as the value of the field ``unit``.
    """
    if unit is not None and not serial:
        return RowError(None, field="unit", code=code, message=message, value=str(unit))
    return RowError(None, field="serial", code=code, message=message, value=serial or "")


def ledger_rows(exc: LedgerError) -> list[RowError]:
    """The ledger's refusals as rows (one per unit for a bulk refusal)."""
    return _ledger_rows(exc.errors if isinstance(exc, BulkLedgerError) else [exc])
