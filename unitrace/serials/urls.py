from django.urls import path, re_path

from unitrace.serials import views

app_name = "serials"
urlpatterns = [
    path("", views.home, name="home"),
    path("scan/", views.scan, name="scan"),
    path("scan/result/", views.scan_result, name="scan_result"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/search/", views.unit_search, name="unit_search"),
    path("units/import/", views.import_units, name="import"),
    path("units/generate/", views.generate, name="generate"),
    re_path(r"^units/labels\.(?P<fmt>pdf|svg)$", views.labels, name="labels"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    re_path(r"^u/(?P<token>[A-Za-z0-9_-]{8,24})/$", views.public_unit, name="public_unit"),
]
