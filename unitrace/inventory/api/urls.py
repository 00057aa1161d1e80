from django.urls import path

from unitrace.core.routers import Router
from unitrace.inventory.api.parts import MinStockViewSet, PartMoveViewSet, PartStockViewSet
from unitrace.inventory.api.stocktakes import StocktakeViewSet
from unitrace.inventory.api.transfers import TransferViewSet
from unitrace.inventory.api.warehouses import UnitHoldView, WarehouseViewSet

router = Router()
router.register("warehouses", WarehouseViewSet, basename="warehouse")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("stocktakes", StocktakeViewSet, basename="stocktake")
router.register("part-stock", PartStockViewSet, basename="part-stock")
router.register("part-moves", PartMoveViewSet, basename="part-move")
router.register("min-stock", MinStockViewSet, basename="min-stock")
urlpatterns = [path("unit-holds/", UnitHoldView.as_view(), name="api-unit-holds"), *router.urls]
