"""The root URL configuration: Django's own pages, the API, then every app's pages.

The apps' page mounts come from their AppConfigs (``Plugin.pages``, see
``unitrace.core.plugins``), in the apps' order, the catch-all at "" last.
"""

from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (kept for future public pages)
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from unitrace.core.plugins import page_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("unitrace.api_urls")),
    *page_urlpatterns(),
]

# An API URL that no route matches answers in the one error body, like every other 404.
handler404 = "unitrace.core.api.not_found"
