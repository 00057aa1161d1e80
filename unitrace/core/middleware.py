"""Request-wide plumbing: attribution of writes and server-side timing."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from unitrace.core.context import _current, actor_for_user


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

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """A page refused with ``PermissionDenied`` (a 403) is recorded; Django answers it."""
        if isinstance(exception, PermissionDenied):
            from unitrace.core.permissions import log_denial

            log_denial(request, "page")


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
