from django.urls import path

from unitrace.core.routers import Router
from unitrace.service.api.repair_requests import RepairRequestView
from unitrace.service.api.returns import ExchangeViewSet, ReturnViewSet

router = Router()
router.register("returns", ReturnViewSet, basename="rma")
router.register("exchanges", ExchangeViewSet, basename="exchange")

urlpatterns = [
    path("repair-requests/", RepairRequestView.as_view(), name="repair_requests"),
    *router.urls,
]
