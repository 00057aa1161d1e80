"""The client address behind trusted proxies, and the /64 that IPv6 clients count by."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from unitrace.authenticity import ratelimit
from unitrace.core.middleware import client_ip, rate_key
from unitrace.core.throttling import ScopedRateThrottle

rf = RequestFactory()


def ip_of(remote: str, xff: str | None = None, **extra) -> str | None:
    meta = {"REMOTE_ADDR": remote, **extra}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return client_ip(rf.get("/", **meta))


@override_settings(TRUSTED_PROXIES=[], TRUST_X_REAL_IP=False)
def test_without_trusted_proxies_the_header_is_ignored():
    assert ip_of("203.0.113.5", "198.51.100.1") == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["127.0.0.1/32", "10.0.0.0/8"])
def test_the_client_is_the_first_untrusted_hop_from_the_right():
    # nginx on 127.0.0.1 appended the address it saw; a load balancer in 10/8 before it
    assert ip_of("127.0.0.1", "198.51.100.7") == "198.51.100.7"
    assert ip_of("127.0.0.1", "198.51.100.7, 10.1.2.3") == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1/32"])
def test_a_forged_left_hop_is_never_read():
    # the client sent "X-Forwarded-For: 1.2.3.4"; nginx appended the real peer
    assert ip_of("127.0.0.1", "1.2.3.4, 198.51.100.7") == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1/32"])
def test_a_header_from_an_untrusted_peer_is_ignored():
    assert ip_of("203.0.113.5", "198.51.100.1") == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=["127.0.0.1/32"])
def test_garbage_in_the_header_stops_at_the_last_trusted_hop():
    assert ip_of("127.0.0.1", "not-an-address") == "127.0.0.1"
    assert ip_of("127.0.0.1", "") == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=["127.0.0.1/32", "::1/128"])
def test_ipv6_and_mapped_addresses():
    assert ip_of("::1", "2001:db8::1") == "2001:db8::1"
    assert ip_of("::ffff:127.0.0.1", "198.51.100.7") == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=[], TRUST_X_REAL_IP=True)
def test_the_older_x_real_ip_setting_still_works():
    assert ip_of("127.0.0.1", HTTP_X_REAL_IP="198.51.100.8") == "198.51.100.8"


def test_rate_key_is_the_64_of_an_ipv6_client():
    assert rate_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::"
    assert rate_key("2001:db8:1:2::1") == rate_key("2001:db8:1:2:ffff::9")
    assert rate_key("2001:db8:1:3::1") != rate_key("2001:db8:1:2::1")
    assert rate_key("198.51.100.7") == "198.51.100.7"
    assert rate_key(None) is None


@override_settings(TRUSTED_PROXIES=["127.0.0.1/32"])
def test_drf_throttles_count_by_the_client_address():
    throttle = ScopedRateThrottle()
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 2001:db8::5")
    assert throttle.get_ident(request) == "2001:db8::"


@pytest.mark.django_db
def test_public_rate_limit_counts_an_ipv6_64_as_one_client(settings):
    settings.AUTHENTICITY_RATE_LIMIT = 2
    settings.AUTHENTICITY_RATE_WINDOW = 60
    allowed = [ratelimit.take("verify", f"2001:db8:7:7::{i + 1:x}").allowed for i in range(3)]
    assert allowed == [True, True, False]
    assert ratelimit.take("verify", "2001:db8:7:8::1").allowed
