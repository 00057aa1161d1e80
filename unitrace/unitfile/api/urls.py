from unitrace.core.routers import Router
from unitrace.unitfile.api.views import UnitViewSet

router = Router()
router.register("units", UnitViewSet, basename="unit")
urlpatterns = router.urls
