from django.urls import path

from unitrace.core.routers import Router
from unitrace.sales.api.aftersales import SellThroughViewSet
from unitrace.sales.api.orders import DeliveryViewSet, SalesOrderViewSet
from unitrace.sales.api.parties import ChannelViewSet, CustomerViewSet, DistributorViewSet

router = Router()
router.register("customers", CustomerViewSet, basename="customer")
router.register("distributors", DistributorViewSet, basename="distributor")
router.register("channels", ChannelViewSet, basename="channel")
router.register("sales-orders", SalesOrderViewSet, basename="salesorder")
router.register("deliveries", DeliveryViewSet, basename="delivery")
router.register("sell-through", SellThroughViewSet, basename="sellthrough")

urlpatterns = [
    path(
        "deliveries/<int:pk>/note.pdf",
        DeliveryViewSet.as_view({"get": "note_pdf"}),
        name="delivery-note-pdf",
    ),
    # the router's own "note.pdf/" route would duplicate the one above
    *[url for url in router.urls if url.name != "delivery-note-pdf"],
]
