from django.urls import path

from unitrace.core.routers import Router
from unitrace.service.api.returns import ExchangeViewSet, ReturnViewSet
from unitrace.service.api.search import ServiceSearchView

router = Router()
router.register("returns", ReturnViewSet, basename="rma")
router.register("exchanges", ExchangeViewSet, basename="exchange")

urlpatterns = [
    path("service-search/", ServiceSearchView.as_view(), name="api-service-search"),
    *router.urls,
]
