"""Django's error views for requests no view answered: the API answers in its error body.

A path under ``/api/`` that matches no route (``/api/v1/units/abc/``: ids are numbers,
see ``core.routers``) never reaches DRF, so Django's HTML 404 page would answer a
client expecting JSON. Pages keep Django's own.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from unitrace.core.errors import error_body


def not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)
