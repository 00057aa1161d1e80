"""Inventory models, one module per sub-aggregate; import them from here."""

from unitrace.inventory.models.parts import MinStock, PartMove, PartStock, StockAlert
from unitrace.inventory.models.stocktakes import Stocktake, StocktakeLine, StocktakeScan
from unitrace.inventory.models.transfers import Transfer, TransferLine
from unitrace.places.models import Bin, Warehouse  # noqa: F401  (moved; imports follow)

__all__ = [
    "MinStock",
    "PartMove",
    "PartStock",
    "StockAlert",
    "Stocktake",
    "StocktakeLine",
    "StocktakeScan",
    "Transfer",
    "TransferLine",
]
