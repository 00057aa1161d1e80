from django.urls import path
from rest_framework.routers import SimpleRouter

from unitrace.authenticity.api import units
from unitrace.authenticity.api.views import DiversionAlertViewSet, VerifyView

router = SimpleRouter()
router.register("diversion-alerts", DiversionAlertViewSet, basename="diversion-alert")
# units/{id}/events/: recording an event, with the diversion check a service event calls for
router.register("units", units.UnitViewSet, basename="unit")
urlpatterns = [path("verify/", VerifyView.as_view(), name="api-verify"), *router.urls]
