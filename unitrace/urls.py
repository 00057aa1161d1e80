"""The root URL configuration: Django's own pages, the API, then every app's pages.

The apps' page mounts come from their AppConfigs (``Plugin.pages``, see
``unitrace.core.plugins``), in the apps' order, the catch-all at "" last.
"""

from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (kept for future public pages)
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from unitrace.core.plugins import page_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its script from a URL, so the page needs no inline script;
    # only its small inline <style> block is allowed beyond the site's policy.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="api-docs",
    ),
    path("api/v1/", include("unitrace.api_urls")),
    *page_urlpatterns(),
]

# pages answer in the site's layout (templates/errors/), /api/ paths in the API's error body
handler403 = "unitrace.core.handlers.permission_denied"
handler404 = "unitrace.core.handlers.not_found"
handler500 = "unitrace.core.handlers.server_error"
