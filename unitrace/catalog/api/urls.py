from unitrace.catalog.api.views import BatchViewSet, SKUViewSet
from unitrace.core.routers import Router

router = Router()
router.register("skus", SKUViewSet, basename="sku")
router.register("batches", BatchViewSet, basename="batch")
urlpatterns = router.urls
