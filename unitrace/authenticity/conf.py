"""Settings of the public pages, each with a safe default.

Read at call time (not import time) so tests and deployments can change them:

``VERIFICATION_SECRET``
    Key of the HMACs behind the verification codes printed on labels, the signature in
    the label's Digital Link (``?s=``) and the hashes of client networks. Falls back to
    ``SECRET_KEY``. Changing it invalidates every printed code, so set it once.
``AUTHENTICITY_RATE_LIMIT`` / ``AUTHENTICITY_RATE_WINDOW``
    Public checks (and activations) allowed per client IP per window of seconds:
    10 per 60 s. The next one is answered 429.
``REPAIR_RATE_LIMIT`` / ``REPAIR_RATE_WINDOW`` (5 per 3600 s)
    Repair requests (and phone-code requests) from the public repair page allowed per
    client IP per window; ``REPAIR_UNIT_RATE_LIMIT`` (3 per window) per unit, whoever
    asks, so a label's page cannot be used to flood the service desk.
``AUTHENTICITY_CLONE_WINDOW_DAYS`` (30), ``AUTHENTICITY_CLONE_MAX_CHECKS`` (10),
``AUTHENTICITY_CLONE_MAX_REGIONS`` (3), ``AUTHENTICITY_CLONE_MAX_NETWORKS`` (3)
    A genuine label checked more than MAX_CHECKS times, or from more than MAX_REGIONS
    distinct regions (province + city) or MAX_NETWORKS distinct client networks (/24 for
    IPv4, /48 for IPv6) within the window is flagged as possibly cloned.
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS: dict[str, int] = {
    "AUTHENTICITY_RATE_LIMIT": 10,
    "AUTHENTICITY_RATE_WINDOW": 60,
    "REPAIR_RATE_LIMIT": 5,
    "REPAIR_RATE_WINDOW": 3600,
    "REPAIR_UNIT_RATE_LIMIT": 3,
    "AUTHENTICITY_CLONE_WINDOW_DAYS": 30,
    "AUTHENTICITY_CLONE_MAX_CHECKS": 10,
    "AUTHENTICITY_CLONE_MAX_REGIONS": 3,
    "AUTHENTICITY_CLONE_MAX_NETWORKS": 3,
}


def setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def verification_secret() -> bytes:
    secret = getattr(settings, "VERIFICATION_SECRET", "") or settings.SECRET_KEY
    return secret.encode("utf-8")
