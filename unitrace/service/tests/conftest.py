"""Fixtures of the service tests: the sales fixtures (units in stock, orders, logins).

Returns and exchanges start from delivered units, so they reuse what the sales tests
set up rather than a copy of it.
"""

from unitrace.sales.tests.conftest import (  # noqa: F401  (fixtures)
    channel,
    english,
    order,
    other_sku,
    other_warehouse,
    stock,
)
