"""Serials' own pages. Mounted at the site root inside the ``serials`` URL namespace,
which ``unitrace.unitfile.urls`` completes with the unit pages composed above serials
(and the home page, which differs per role)."""

from django.urls import path

from unitrace.serials.views import customers, registration, search, units

app_name = "serials"
urlpatterns = [
    path("units/", units.unit_list, name="unit_list"),
    path("units/search/", search.unit_search, name="unit_search"),
    path("units/import/", registration.import_units, name="import"),
    path("units/generate/", registration.generate, name="generate"),
    path("customers/find/", customers.customer_search, name="customer_search"),
]
