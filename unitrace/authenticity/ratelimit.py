"""Per-client request budget for the public pages, kept in Django's cache.

A fixed window per client: cheap (one ``add`` and one ``incr``), shared by every
process when the cache is Redis, and checked before any database query so that a
flood costs little. The client is identified by a keyed hash of its IP address.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from unitrace.authenticity.codes import secret_digest
from unitrace.authenticity.conf import setting


@dataclass(frozen=True)
class Budget:
    allowed: bool
    retry_after: int  # seconds until the window ends


def take(bucket: str, client_ip: str | None) -> Budget:
    """Count one request of ``client_ip`` in ``bucket``; refuse past the limit."""
    limit = setting("AUTHENTICITY_RATE_LIMIT")
    window = max(1, setting("AUTHENTICITY_RATE_WINDOW"))
    now = time.time()
    slot = int(now // window)
    key = f"authenticity:rl:{bucket}:{secret_digest(client_ip or '-')[:24]}:{slot}"
    retry_after = max(1, int((slot + 1) * window - now))
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            count = 1
    return Budget(count <= limit, retry_after)
