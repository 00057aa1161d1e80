"""Request-wide plumbing: attribution of writes and server-side timing."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from unitrace.core import text
from unitrace.core.context import _current, actor_for_user
from unitrace.core.errors import RowError, error_body


def client_ip(request: HttpRequest) -> str | None:
    # Behind a reverse proxy that overwrites X-Real-IP (docs/operations.md) trust it;
    # never by default, or a client could forge its address.
    ip = request.META.get("HTTP_X_REAL_IP") if settings.TRUST_X_REAL_IP else None
    return ip or request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Records who acts for every write made while handling this request.

    Runs after authentication; token-authenticated API users are resolved later by DRF,
    so the API's base view refreshes the actor too (see ``core.api``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        actor = actor_for_user(
            getattr(request, "user", None),
            ip=client_ip(request),
            source=source,
            ua=request.META.get("HTTP_USER_AGENT", ""),
        )
        token = _current.set(actor)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class ServerTimingMiddleware:
    """Adds ``Server-Timing: app;dur=<ms>`` so benchmarks read server-side latency."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        return response


class InputTextMiddleware:
    """Refuses control characters (``core.text``) in query strings and page form posts.

    A NUL in ``?code=`` or a posted field reached PostgreSQL, which refuses it with a
    ``DataError`` (a 500). Checked here once for every view: the query string of every
    request, and the form fields of a page's POST (already read by the CSRF check; views
    exempt from it, and API bodies, which the API's parsers check, are left alone). The
    answer is 400 naming the field: the error body on ``/api/``, a short page elsewhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        sources = [request.GET]
        api = request.path.startswith("/api/")
        if not api and request.method == "POST" and not getattr(view_func, "csrf_exempt", False):
            sources.append(request.POST)
        for source in sources:
            field = next(text.forbidden_paths(source), None)
            if field is not None:
                return _refused(field, api=api)
        return None


def _refused(field: str, *, api: bool) -> HttpResponse:
    message = _("'%(field)s': control characters (such as NUL) are not allowed.") % {"field": field}
    if api:
        row = RowError(None, field=field, code=text.CODE, message=str(text.MESSAGE))
        return JsonResponse(error_body("invalid", message, field=field, rows=[row]), status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
