"""The API shows the ledger's refusals as before: serials registers them with core."""

from unitrace.core.api import exception_handler
from unitrace.serials.ledger import BulkLedgerError, LedgerError


def test_serials_registers_the_ledger_refusals():
    single = exception_handler(LedgerError("not in stock", code="illegal_transition"), {})
    assert (single.status_code, single.data) == (
        400,
        {"detail": "not in stock", "code": "illegal_transition"},
    )
    bulk = exception_handler(BulkLedgerError([LedgerError("no", code="x")]), {})
    assert bulk.status_code == 400
    assert bulk.data["code"] == "bulk_refused"
    assert bulk.data["rows"] == [{"serial": None, "error": "no", "code": "x"}]
