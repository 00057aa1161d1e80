from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (kept for future public pages)
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from unitrace.authenticity.views.public import digital_link
from unitrace.sales import urls as sales_urls
from unitrace.service import urls as service_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("unitrace.api_urls")),
    path("accounts/", include("unitrace.accounts.urls")),
    path("jobs/", include("unitrace.core.urls")),
    path("procurement/", include("unitrace.procurement.urls")),
    path("inventory/", include("unitrace.inventory.urls")),
    # returns and exchanges (service) keep their /sales/ addresses and sales:* names
    path("sales/", include((sales_urls.urlpatterns + service_urls.urlpatterns, "sales"))),
    path("p/", include("unitrace.authenticity.urls")),
    # GS1 Digital Link printed on labels (any lot qualifier is ignored for lookup)
    re_path(
        r"^01/(?P<gtin>\d{8,14})/(?:10/[^/]{1,20}/)?21/(?P<serial>[^/]{1,40})/?$", digital_link
    ),
    path("", include("unitrace.serials.urls")),
]
