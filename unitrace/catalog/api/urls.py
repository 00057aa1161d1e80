from rest_framework.routers import SimpleRouter

from unitrace.catalog.api.views import BatchViewSet, SKUViewSet

router = SimpleRouter()
router.register("skus", SKUViewSet, basename="sku")
router.register("batches", BatchViewSet, basename="batch")
urlpatterns = router.urls
