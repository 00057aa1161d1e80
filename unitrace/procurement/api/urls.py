from unitrace.core.routers import Router
from unitrace.procurement.api.orders import PurchaseOrderViewSet
from unitrace.procurement.api.views import ReceiptViewSet, SupplierViewSet, SuspectUnitViewSet

router = Router()
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")
router.register("receipts", ReceiptViewSet, basename="receipt")
router.register("suspect-units", SuspectUnitViewSet, basename="suspect-unit")
router.register("suppliers", SupplierViewSet, basename="supplier")
urlpatterns = router.urls
