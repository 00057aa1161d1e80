from django.urls import path
from rest_framework.routers import SimpleRouter

from unitrace.authenticity.api.views import DiversionAlertViewSet, VerifyView

router = SimpleRouter()
router.register("diversion-alerts", DiversionAlertViewSet, basename="diversion-alert")
urlpatterns = [path("verify/", VerifyView.as_view(), name="api-verify"), *router.urls]
