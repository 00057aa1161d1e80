from unitrace.core.routers import Router
from unitrace.service.api.returns import ExchangeViewSet, ReturnViewSet

router = Router()
router.register("returns", ReturnViewSet, basename="rma")
router.register("exchanges", ExchangeViewSet, basename="exchange")

urlpatterns = router.urls
