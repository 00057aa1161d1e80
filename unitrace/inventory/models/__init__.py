"""Inventory models, one module per sub-aggregate; import them from here."""

from unitrace.inventory.models.parts import MinStock, PartMove, PartStock, StockAlert
from unitrace.inventory.models.stocktakes import Stocktake, StocktakeLine, StocktakeScan
from unitrace.inventory.models.transfers import Transfer, TransferLine

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
