"""Django's error views for requests no view answered or a view refused.

A path under ``/api/`` that matches no route (``/api/v1/units/abc/``: ids are numbers,
see ``core.routers``) never reaches DRF, so Django's HTML 404 page would answer a
client expecting JSON: the API answers in its error body. Pages answer with the site's
own layout (``errors/403.html``, ``404.html``, ``500.html``) in the user's language and
with a way back.

The 500 page is drawn when something already went wrong, perhaps with the database
gone: it gets no context processors (they read the session, the user and their
permissions) and no user, only the request for the language switch's return address,
and falls back to a fixed text if even its template fails.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware.csrf import get_token
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions

from unitrace.core.errors import error_body

logger = logging.getLogger(__name__)

FALLBACK_500 = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>500</title>'
    '<h1>服务器错误 · Server error</h1><p><a href="/">返回首页 · Home</a></p></html>'
)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception, template_name="errors/404.html")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        denied = exceptions.PermissionDenied
        body = error_body(denied.default_code, str(denied.default_detail))
        return JsonResponse(body, status=403)
    return defaults.permission_denied(request, exception, template_name="errors/403.html")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page without a query: plain context, no user, no context processors."""
    if request.path.startswith("/api/"):
        failed = exceptions.APIException
        body = error_body(failed.default_code, str(failed.default_detail))
        return JsonResponse(body, status=500)
    try:
        context = {"request": request, "csrf_token": get_token(request), "error_page": True}
        body = loader.get_template("errors/500.html").render(context)
    except Exception:  # the page of last resort must not fail in turn
        logger.exception("the 500 page could not be rendered")
        body = FALLBACK_500
    return HttpResponseServerError(body)
