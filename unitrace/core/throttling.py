"""DRF throttles keyed by the client address as ``core.middleware`` reads it."""

from __future__ import annotations

from rest_framework import throttling

from unitrace.core.middleware import client_ip, rate_key


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle, counting by ``client_ip`` (trusted proxies, IPv6 /64)."""

    def get_ident(self, request):
        return rate_key(client_ip(request)) or ""
