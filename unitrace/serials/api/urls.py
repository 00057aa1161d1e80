from django.urls import path

from unitrace.core.routers import Router
from unitrace.serials.api.views import ScanView, UnitViewSet

router = Router()
router.register("units", UnitViewSet, basename="unit")
urlpatterns = [path("scan/", ScanView.as_view(), name="api-scan"), *router.urls]
