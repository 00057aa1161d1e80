from django.urls import path
from rest_framework.routers import SimpleRouter

from unitrace.serials.api.views import ScanView, UnitViewSet

router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
urlpatterns = [path("scan/", ScanView.as_view(), name="api-scan"), *router.urls]
