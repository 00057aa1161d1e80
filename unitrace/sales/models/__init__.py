"""Sales models: channels, orders, deliveries and sell-through.

Returns and exchanges live in ``unitrace.service``; the exchange warranty rule in
``unitrace.warranty``.
"""

from unitrace.sales.models.deliveries import Delivery, DeliveryItem, SellThrough
from unitrace.sales.models.orders import SalesChannel, SalesOrder, SalesOrderLine

__all__ = [
    "Delivery",
    "DeliveryItem",
    "SalesChannel",
    "SalesOrder",
    "SalesOrderLine",
    "SellThrough",
]
