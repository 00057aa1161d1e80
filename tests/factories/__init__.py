"""One registry of test factories for the objects every app's tests need.

Lives outside the ``unitrace`` package on purpose: it imports every app (users, master
data, units, documents), which application code and ``unitrace.core`` must never do, and
a module outside the package is invisible to the import contracts on ``unitrace``.
Application code never imports it; only tests, their conftests and benchmarks do.

Model imports sit in the domain modules (one module per domain), so a model that moves
to another app is fixed in one place.
"""

from .catalog import AIRCON_GTIN, BatchFactory, ComponentSpecFactory, SKUFactory, board_and_chip
from .parties import CustomerFactory, DistributorFactory, PartyFactory, SupplierFactory, authorize
from .places import BinFactory, WarehouseFactory
from .procurement import PurchaseOrderFactory
from .sales import SalesChannelFactory, SalesOrderFactory, delivery
from .units import (
    UnitFactory,
    activated,
    delivered,
    event,
    fitted_with,
    installed,
    play,
    received,
    registered_units,
    shipped,
    sold_through,
    units_in_stock,
)
from .users import PASSWORD, UserFactory, api_key, distributor_login, logged_in, token_client

__all__ = [
    "AIRCON_GTIN",
    "PASSWORD",
    "BatchFactory",
    "BinFactory",
    "ComponentSpecFactory",
    "CustomerFactory",
    "DistributorFactory",
    "PartyFactory",
    "PurchaseOrderFactory",
    "SKUFactory",
    "SalesChannelFactory",
    "SalesOrderFactory",
    "SupplierFactory",
    "UnitFactory",
    "UserFactory",
    "WarehouseFactory",
    "activated",
    "api_key",
    "authorize",
    "board_and_chip",
    "delivered",
    "delivery",
    "distributor_login",
    "event",
    "fitted_with",
    "installed",
    "logged_in",
    "play",
    "received",
    "registered_units",
    "shipped",
    "sold_through",
    "token_client",
    "units_in_stock",
]
