"""The one error type inventory services raise, with a row per refused unit or code."""

from __future__ import annotations

from typing import Any

from unitrace.serials.ledger import BulkLedgerError, LedgerError


class InventoryError(ValueError):
    """A refused operation. Nothing was written; ``rows`` say which input was wrong and why."""

    def __init__(
        self, message: str, *, code: str = "refused", rows: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.rows = rows or []

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message, "code": self.code}
        if self.rows:
            body["rows"] = self.rows
        return body


def row(serial: str | None, message: str, code: str = "refused", **extra: Any) -> dict[str, Any]:
    return {"serial": serial, "error": str(message), "code": code, **extra}


def ledger_rows(exc: LedgerError) -> list[dict[str, Any]]:
    """The ledger's refusals as rows (one per unit for a bulk refusal)."""
    errors = exc.errors if isinstance(exc, BulkLedgerError) else [exc]
    return [row(e.unit.serial if e.unit else None, e.message, e.code) for e in errors]
