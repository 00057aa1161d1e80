from django.urls import path

from unitrace.core.routers import Router
from unitrace.service.api.repair_requests import RepairRequestView
from unitrace.service.api.returns import ExchangeViewSet, ReturnViewSet
from unitrace.service.api.search import ServiceSearchView
from unitrace.service.api.workorders import WorkOrderViewSet

router = Router()
router.register("returns", ReturnViewSet, basename="rma")
router.register("exchanges", ExchangeViewSet, basename="exchange")
router.register("work-orders", WorkOrderViewSet, basename="workorder")

urlpatterns = [
    path("service-search/", ServiceSearchView.as_view(), name="api-service-search"),
    path("repair-requests/", RepairRequestView.as_view(), name="repair_requests"),
    *router.urls,
]
