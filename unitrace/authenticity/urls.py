"""Mounted at /p/: the public pages, and the channel team's alert pages."""

from django.urls import path, re_path

from unitrace.authenticity.views import alerts, public, repair
from unitrace.serials.resolver import PUBLIC_HANDLE

app_name = "authenticity"
HANDLE = rf"(?P<token>{PUBLIC_HANDLE})"
urlpatterns = [
    path("activate/", public.activate_by_code, name="activate_by_code"),
    re_path(rf"^activate/{HANDLE}/$", public.activate, name="activate"),
    re_path(rf"^activate/{HANDLE}/done/$", public.activated, name="activated"),
    re_path(rf"^repair/{HANDLE}/$", repair.repair, name="repair"),
    re_path(rf"^repair/{HANDLE}/code/$", repair.send_code, name="repair_code"),
    path("verify/", public.verify_page, name="verify"),
    path("verify/where/", public.verify_region, name="verify_region"),
    re_path(
        r"^01/(?P<gtin>\d{8,14})/21/(?P<serial>[^/]{1,40})/?$",
        public.digital_link,
        name="digital_link",
    ),
    path("diversion-alerts/", alerts.alert_list, name="alert_list"),
    path("diversion-alerts/stats/", alerts.alert_stats_page, name="alert_stats"),
    path("diversion-alerts/<int:pk>/status/", alerts.alert_status, name="alert_status"),
]
