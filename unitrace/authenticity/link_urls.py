"""Mounted at /01/: the GS1 Digital Link printed on labels (any lot qualifier is ignored
for lookup). The same page answers under /p/01/... (``authenticity:digital_link``)."""

from django.urls import re_path

from unitrace.authenticity.views.public import digital_link

urlpatterns = [
    re_path(r"^(?P<gtin>\d{8,14})/(?:10/[^/]{1,20}/)?21/(?P<serial>[^/]{1,40})/?$", digital_link),
]
