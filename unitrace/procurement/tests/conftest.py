"""Fixtures for procurement: a second SKU, an open order, its receipt, its ASN."""

from __future__ import annotations

from datetime import date

import pytest

from tests import factories as f
from unitrace.codes.patterns import SerialPattern
from unitrace.procurement import asn, orders
from unitrace.procurement.receipts import open_receipt

FAN_GTIN = "06901234567908"
OTHER_GTIN = "06901234567915"
AC_RULE = "AC{YY}{MM}{SEQ:6}{CHECK}"  # the suite's AC-100 (tests.factories.catalog)


def ac_serial(seq: int) -> str:
    """A serial of AC-100's own rule (check character right): what a unit off the
    supplier's list but of this SKU looks like, e.g. ``ac_serial(1)`` = AC2601000001W."""
    return SerialPattern.parse(AC_RULE).render(seq, date(2026, 1, 15))


# off the supplier's list, but of AC-100's rule: received into quarantine as suspects
FAKE1, FAKE2, FAKE3 = ac_serial(91), ac_serial(92), ac_serial(93)


@pytest.fixture
def fan(db):
    return f.SKUFactory(code="FAN-200", name="风扇", gtin=FAN_GTIN)


@pytest.fixture
def other_sku(db):
    """A SKU that is on no order."""
    return f.SKUFactory(code="TV-9", name="电视", gtin=OTHER_GTIN)


@pytest.fixture
def draft(supplier, warehouse, sku, fan):
    return f.PurchaseOrderFactory(
        supplier=supplier,
        lines=[(sku, 3, "1999.00"), (fan, 2, "99.50")],
        number="PO-T1",
        warehouse=warehouse,
        opened=False,
    )


@pytest.fixture
def order(draft):
    return orders.open_order(draft)


@pytest.fixture
def receipt(order, warehouse):
    return open_receipt(order, warehouse)


@pytest.fixture
def listed(order, batch):
    """The supplier's list: A0001-A0003 of AC-100 (batch B2601), F0001-F0002 of FAN-200."""
    rows = [
        {"sku": "AC-100", "serial": f"A000{i}", "supplier_serial": f"V-A{i}", "batch": "B2601"}
        for i in (1, 2, 3)
    ] + [
        {"sku": "FAN-200", "serial": f"F000{i}", "batch": "FB1", "production_date": "2026-02-01"}
        for i in (1, 2)
    ]
    return asn.import_asn_rows(order, list(enumerate(rows, 2)))


def line_of(order, sku):
    return order.lines.get(sku=sku)
