"""Behind the documented nginx every request comes from 127.0.0.1: still one budget
per customer, not one for all (trusted proxies, core.middleware.client_ip)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_behind_nginx_each_customer_has_its_own_public_budget(client, distributor_unit, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    settings.AUTHENTICITY_RATE_LIMIT = 1
    url = reverse("authenticity:verify")
    query = {"t": distributor_unit.public_token}

    def get(ip):
        return client.get(url, query, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ip)

    statuses = [get(ip).status_code for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.1")]
    assert statuses == [200, 200, 429]
