"""/api/v1/: each app contributes its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("unitrace.accounts.api.urls")),
    path("", include("unitrace.core.api_urls")),
    path("", include("unitrace.catalog.api.urls")),
    path("", include("unitrace.serials.api.urls")),
    path("", include("unitrace.procurement.api.urls")),
    path("", include("unitrace.inventory.api.urls")),
    path("", include("unitrace.sales.api.urls")),
    path("", include("unitrace.service.api.urls")),
    path("", include("unitrace.authenticity.api.urls")),
]
