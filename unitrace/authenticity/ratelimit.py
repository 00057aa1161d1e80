"""Per-client request budget for the public pages, shared by every process.

A fixed window per client: the client is identified by a keyed hash of its IP address
and every request counts one in its window's counter, checked before any other query so
that a flood costs little. The counter lives where all web processes see it:

* in the cache when the cache is shared and counts atomically (Redis, memcached):
  one ``add`` and one ``incr``;
* otherwise (the embedded default: a per-process memory cache) in the database table
  ``RateCounter``, counted up by one atomic upsert (``INSERT … ON CONFLICT DO UPDATE``
  on PostgreSQL and SQLite), so four gunicorn workers do not give four budgets.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F

from unitrace.authenticity.codes import secret_digest
from unitrace.authenticity.conf import setting
from unitrace.authenticity.models import RateCounter
from unitrace.core.middleware import rate_key

# cache backends shared by all processes whose ``incr`` is atomic
SHARED_CACHES = (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
)
_purged_at = 0.0  # when this process last deleted expired counters


@dataclass(frozen=True)
class Budget:
    allowed: bool
    retry_after: int  # seconds until the window ends


def _cache_is_shared() -> bool:
    backend = type(cache)
    return f"{backend.__module__}.{backend.__qualname__}" in SHARED_CACHES


def _count_in_cache(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window + 1):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return 1


# One statement, atomic on its own in PostgreSQL and SQLite (3.35+): count up or start.
UPSERT = (
    'INSERT INTO "authenticity_ratecounter" ("key", "count", "expires_at") VALUES (%s, 1, %s) '
    'ON CONFLICT ("key") DO UPDATE SET "count" = "authenticity_ratecounter"."count" + 1 '
    'RETURNING "count"'
)


def _count_in_database(key: str, expires_at: datetime) -> int:
    alias = router.db_for_write(RateCounter)
    connection = connections[alias]
    if connection.vendor in {"postgresql", "sqlite"} and (
        connection.features.can_return_columns_from_insert
    ):
        with connection.cursor() as cursor:
            cursor.execute(
                UPSERT,
                [key, connection.ops.adapt_datetimefield_value(expires_at)],
            )
            return int(cursor.fetchone()[0])
    with transaction.atomic(using=alias):  # any other database: row-locked update
        counters = RateCounter.objects.using(alias)
        if not counters.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic(using=alias):
                    counters.create(key=key, count=1, expires_at=expires_at)
                return 1
            except IntegrityError:  # a parallel request created it first
                counters.filter(key=key).update(count=F("count") + 1)
        return counters.filter(key=key).values_list("count", flat=True).get()


def _purge_expired(now: float, window: int) -> None:
    """Delete counters of past windows, at most once per window and process."""
    global _purged_at
    if now - _purged_at < window:
        return
    _purged_at = now
    RateCounter.objects.filter(expires_at__lt=datetime.fromtimestamp(now, UTC)).delete()


def take(
    bucket: str, client_ip: str | None, *, limit: int | None = None, window: int | None = None
) -> Budget:
    """Count one request of ``client_ip`` in ``bucket``; refuse past the limit.

    ``limit`` and ``window`` default to ``AUTHENTICITY_RATE_LIMIT``/``_WINDOW``; a page
    with a budget of its own (the repair page) passes them. A budget per thing rather
    than per client (one unit's repair requests) passes the thing in ``bucket`` and no
    client address.
    """
    limit = setting("AUTHENTICITY_RATE_LIMIT") if limit is None else limit
    window = max(1, setting("AUTHENTICITY_RATE_WINDOW") if window is None else window)
    now = time.time()
    slot = int(now // window)
    client = rate_key(client_ip) or "-"  # an IPv6 client counts by its /64
    key = f"authenticity:rl:{bucket}:{secret_digest(client)[:24]}:{slot}"
    retry_after = max(1, int((slot + 1) * window - now))
    if _cache_is_shared():
        count = _count_in_cache(key, window)
    else:
        expires_at = datetime.fromtimestamp((slot + 1) * window, UTC)
        count = _count_in_database(key, expires_at)
        if count == 1:  # a new window for this client: a good moment to tidy up
            _purge_expired(now, window)
    return Budget(count <= limit, retry_after)
