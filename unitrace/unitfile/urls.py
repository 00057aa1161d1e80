"""The ``serials`` URL namespace: serials' own pages plus the unit pages composed here.

The unit file, the scan result, label sheets and the public label page keep the URL
names they always had (``serials:unit_detail``, ...); serials cannot route to views
above it, so the namespace is assembled at this layer, which sees both. Mount this
module, not ``unitrace.serials.urls``, at the site root.
"""

from django.urls import path, re_path

from unitrace.authenticity.views.public import unit_label_page
from unitrace.serials import urls as serials_urls
from unitrace.serials.resolver import PUBLIC_HANDLE
from unitrace.unitfile.views import customers, file, home, labels, scan

app_name = serials_urls.app_name
urlpatterns = [
    path("", home.home, name="home"),
    path("lookup/", home.lookup, name="lookup"),
    *serials_urls.urlpatterns,
    path("scan/", scan.scan, name="scan"),
    path("scan/result/", scan.scan_result, name="scan_result"),
    re_path(r"^units/labels\.(?P<fmt>pdf|svg|zpl)$", labels.labels, name="labels"),
    path("units/labels/", labels.print_page, name="label_print"),
    path("units/<int:pk>/", file.unit_detail, name="unit_detail"),
    path("customers/<int:pk>/units/", customers.customer_unit_list, name="customer_units"),
    # what a customer sees after scanning the label: the authenticity check itself
    # (recorded, rate-limited, clone-flagged; see ``authenticity.views.public``)
    re_path(rf"^u/(?P<token>{PUBLIC_HANDLE})/$", unit_label_page, name="public_unit"),
]
