"""Sales models: channels, orders, deliveries, sell-through, returns and exchanges."""

from unitrace.sales.models.aftersales import (
    RMA,
    Exchange,
    ExchangeWarrantyRule,
    InspectionResult,
    RMALine,
)
from unitrace.sales.models.deliveries import Delivery, DeliveryItem, SellThrough
from unitrace.sales.models.orders import SalesChannel, SalesOrder, SalesOrderLine

__all__ = [
    "RMA",
    "Delivery",
    "DeliveryItem",
    "Exchange",
    "ExchangeWarrantyRule",
    "InspectionResult",
    "RMALine",
    "SalesChannel",
    "SalesOrder",
    "SalesOrderLine",
    "SellThrough",
]
