"""Request-wide plumbing: client address, attribution of writes, sessions, headers."""

from __future__ import annotations

import ipaddress
import time
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from unitrace.core import text
from unitrace.core.context import _current, actor_for_user
from unitrace.core.errors import RowError, error_body

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse_ip(text: str | None) -> IPAddress | None:
    try:
        ip = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _trusted(ip: IPAddress) -> bool:
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as far as trusted proxies vouch for it.

    The peer address (``REMOTE_ADDR``) is the client unless it lies in one of the
    ``TRUSTED_PROXIES`` ranges; then ``X-Forwarded-For`` is read right to left, each hop
    appended by the trusted proxy before it, and the first address that is not a trusted
    proxy is the client. Hops left of it were written by the client and are never read,
    so a forged header cannot choose the address. Without trusted proxies the header is
    ignored (``TRUST_X_REAL_IP`` keeps the older X-Real-IP setup working).
    """
    remote = _parse_ip(request.META.get("REMOTE_ADDR"))
    if settings.TRUSTED_PROXIES:
        if remote is None or not _trusted(remote):
            return str(remote) if remote else None
        client = remote
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            ip = _parse_ip(hop)
            if ip is None:
                break  # garbage from an untrusted party: keep the last proxy that vouched
            client = ip
            if not _trusted(ip):
                break
        return str(client)
    if settings.TRUST_X_REAL_IP:
        real = _parse_ip(request.META.get("HTTP_X_REAL_IP"))
        if real is not None:
            return str(real)
    return str(remote) if remote else None


def rate_key(ip: str | None) -> str | None:
    """The address rate limits count by: an IPv4 address, or the /64 of an IPv6 one.

    One IPv6 subscriber is handed a whole /64 and can pick any address in it, so per
    address the limits would be no limits at all.
    """
    parsed = _parse_ip(ip)
    if parsed is None:
        return ip
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


def login_limit_key(request: HttpRequest) -> str | None:
    """The client address the login limits (django-axes) count and log by."""
    return rate_key(client_ip(request))


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
    """Adds ``Server-Timing: app;dur=<ms>`` so benchmarks read server-side latency.

    Only when ``SERVER_TIMING`` is on (the default with DEBUG): in production the header
    would tell an outsider how long each request took.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.SERVER_TIMING:
            return self.get_response(request)
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        return response


def _clock() -> float:
    return time.time()


class SessionTimeoutMiddleware:
    """Ends a logged-in session idle for ``SESSION_IDLE_TIMEOUT`` seconds, or older than
    ``SESSION_ABSOLUTE_TIMEOUT`` seconds since the login, whatever the activity.

    The last-seen time is written at most once a minute, so a busy page does not save
    the session on every request.
    """

    STARTED = "_unitrace_started"
    SEEN = "_unitrace_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = _clock()
            session = request.session
            started = session.get(self.STARTED)
            seen = session.get(self.SEEN)
            if started is None or seen is None:
                session[self.STARTED] = session[self.SEEN] = now
            elif (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)  # flushes the session; the page then asks for a login
            elif now - seen >= 60:
                session[self.SEEN] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="unitrace-session-started")
def _session_started(sender, request, user, **kwargs) -> None:
    """A login starts the session's clocks anew (also a second login in one session)."""
    session = getattr(request, "session", None)
    if session is not None and session.get("_auth_user_id"):  # a session login, not a token
        session[SessionTimeoutMiddleware.STARTED] = session[SessionTimeoutMiddleware.SEEN] = (
            _clock()
        )


class PermissionsPolicyMiddleware:
    """Sends ``Permissions-Policy`` (``PERMISSIONS_POLICY``): browser features this site
    never uses stay off, even for a script injected into a page."""

    def __init__(self, get_response):
        self.get_response = get_response
        policy = settings.PERMISSIONS_POLICY
        self.value = ", ".join(f"{name}=({' '.join(allow)})" for name, allow in policy.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.value and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.value
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
