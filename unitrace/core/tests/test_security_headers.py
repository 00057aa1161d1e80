"""Content-Security-Policy, HSTS, Permissions-Policy and an opt-in Server-Timing."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests import factories as f

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [p.strip().split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.fixture
def manager_client():
    client = Client()
    client.force_login(f.UserFactory(role="manager"))
    return client


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/", "/api/docs/"])
def test_every_page_has_a_content_security_policy(manager_client, path):
    response = manager_client.get(path)
    assert response.status_code in (200, 302)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no CDN
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_api_docs_load_their_script_from_a_url_not_inline(client):
    html = client.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script=' in html
    assert "<script>" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_api_responses_have_the_policy_too(client):
    response = client.get("/api/v1/units/")
    assert "Content-Security-Policy" in response


def test_permissions_policy(client):
    value = client.get("/accounts/login/")["Permissions-Policy"]
    assert "camera=()" in value
    assert "geolocation=()" in value
    assert "microphone=()" in value


def test_hsts_is_off_by_default_and_set_by_the_settings(client, settings):
    assert "Strict-Transport-Security" not in client.get("/accounts/login/", secure=True)
    with override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True):
        response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@override_settings(SERVER_TIMING=False)
def test_server_timing_is_off_unless_enabled():
    assert "Server-Timing" not in Client().get("/accounts/login/")


@override_settings(SERVER_TIMING=True)
def test_server_timing_when_enabled():
    assert Client().get("/accounts/login/")["Server-Timing"].startswith("app;dur=")


def test_server_timing_defaults_to_debug():
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.SERVER_TIMING)"
    for debug, expected in (("0", "False"), ("1", "True")):
        out = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env={"DJANGO_SETTINGS_MODULE": "unitrace.settings", "DEBUG": debug, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == expected
