"""The public pages' budget is shared by every process, also without Redis."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.urls import reverse

from unitrace.authenticity import ratelimit
from unitrace.authenticity.models import RateCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit_of_three(settings):
    settings.AUTHENTICITY_RATE_LIMIT = 3
    settings.AUTHENTICITY_RATE_WINDOW = 60


def as_new_process(monkeypatch):
    """Each call in a different worker: a memory cache of its own, empty."""
    monkeypatch.setattr(ratelimit, "cache", LocMemCache(f"worker-{id(object())}", {}))


def test_workers_with_their_own_memory_share_one_budget(monkeypatch, limit_of_three):
    allowed = []
    for _ in range(5):
        as_new_process(monkeypatch)
        allowed.append(ratelimit.take("verify", "198.51.100.1").allowed)
    assert allowed == [True, True, True, False, False]


def test_pages_share_the_budget_across_processes(client, monkeypatch, distributor_unit, settings):
    settings.AUTHENTICITY_RATE_LIMIT = 2
    url = reverse("authenticity:verify")
    statuses = []
    for _ in range(3):
        as_new_process(monkeypatch)
        statuses.append(client.get(url, {"t": distributor_unit.public_token}).status_code)
    assert statuses == [200, 200, 429]


def test_one_counter_per_bucket_client_and_window(limit_of_three):
    for _ in range(2):
        ratelimit.take("verify", "198.51.100.1")
    ratelimit.take("activate", "198.51.100.1")
    ratelimit.take("verify", "198.51.100.2")
    assert sorted(RateCounter.objects.values_list("count", flat=True)) == [1, 1, 2]
    assert not RateCounter.objects.filter(key__contains="198.51").exists()  # hashed only
    assert all(c.expires_at > datetime.now(UTC) for c in RateCounter.objects.all())


def test_a_new_window_starts_a_new_budget(monkeypatch, limit_of_three):
    clock = [1_000_040.0]  # 20 s into a window of 60 s
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock[0]))
    results = [ratelimit.take("verify", "198.51.100.1") for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert results[-1].retry_after == 40
    clock[0] += 60
    assert ratelimit.take("verify", "198.51.100.1").allowed


def test_expired_counters_are_deleted(monkeypatch, limit_of_three):
    old = RateCounter.objects.create(
        key="authenticity:rl:verify:old:1", count=9, expires_at=datetime.now(UTC) - timedelta(1)
    )
    monkeypatch.setattr(ratelimit, "_purged_at", 0.0)
    ratelimit.take("verify", "198.51.100.1")
    assert not RateCounter.objects.filter(pk=old.pk).exists()
    assert RateCounter.objects.count() == 1


def test_a_shared_cache_counts_in_the_cache(monkeypatch, limit_of_three):
    """With Redis (shared, atomic incr) the database is not needed."""
    monkeypatch.setattr(ratelimit, "_cache_is_shared", lambda: True)
    allowed = [ratelimit.take("verify", "198.51.100.1").allowed for _ in range(4)]
    assert allowed == [True, True, True, False]
    assert not RateCounter.objects.exists()


def test_the_memory_cache_is_not_taken_for_shared():
    assert not ratelimit._cache_is_shared()  # the embedded default (no REDIS_URL)
    assert "django.core.cache.backends.redis.RedisCache" in ratelimit.SHARED_CACHES
