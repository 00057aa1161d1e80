from rest_framework.routers import SimpleRouter

from unitrace.procurement.api.orders import PurchaseOrderViewSet
from unitrace.procurement.api.views import ReceiptViewSet, SupplierViewSet, SuspectUnitViewSet

router = SimpleRouter()
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")
router.register("receipts", ReceiptViewSet, basename="receipt")
router.register("suspect-units", SuspectUnitViewSet, basename="suspect-unit")
router.register("suppliers", SupplierViewSet, basename="supplier")
urlpatterns = router.urls
