from rest_framework.routers import SimpleRouter

from unitrace.service.api.returns import ExchangeViewSet, ReturnViewSet

router = SimpleRouter()
router.register("returns", ReturnViewSet, basename="rma")
router.register("exchanges", ExchangeViewSet, basename="exchange")

urlpatterns = router.urls
