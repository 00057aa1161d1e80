"""How the API shows the ledger's refusals: 400 with the reason and, in bulk, every row.

Registered with core's exception handler when the app starts (``SerialsConfig.ready``),
so that core need not import the ledger.
"""

from __future__ import annotations

from rest_framework import status
from rest_framework.response import Response

from unitrace.core.api import register_error_renderer
from unitrace.serials.ledger import BulkLedgerError, LedgerError


def render_ledger_error(exc: LedgerError) -> Response:
    return Response({"detail": str(exc), "code": exc.code}, status=status.HTTP_400_BAD_REQUEST)


def render_bulk_ledger_error(exc: BulkLedgerError) -> Response:
    return Response(
        {
            "detail": exc.message,
            "code": exc.code,
            "rows": [
                {
                    "serial": e.unit.serial if e.unit else None,
                    "error": e.message,
                    "code": e.code,
                }
                for e in exc.errors
            ],
        },
        status=status.HTTP_400_BAD_REQUEST,
    )


def register() -> None:
    register_error_renderer(LedgerError, render_ledger_error)
    register_error_renderer(BulkLedgerError, render_bulk_ledger_error)
