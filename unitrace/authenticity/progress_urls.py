"""Mounted at /r/: the customer's progress page of a repair request (the work order's
unguessable public token, given once in the answer to the request)."""

from django.urls import re_path

from unitrace.authenticity.views.repair import progress

urlpatterns = [
    re_path(r"^(?P<token>[A-Za-z0-9_-]{16,32})/$", progress, name="repair_progress"),
]
