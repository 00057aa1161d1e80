from django.urls import path

from unitrace.authenticity.api import units
from unitrace.authenticity.api.views import DiversionAlertViewSet, VerifyView
from unitrace.core.routers import Router

router = Router()
router.register("diversion-alerts", DiversionAlertViewSet, basename="diversion-alert")
# units/{id}/events/: recording an event, with the diversion check a service event calls for
router.register("units", units.UnitViewSet, basename="unit")
urlpatterns = [path("verify/", VerifyView.as_view(), name="api-verify"), *router.urls]
