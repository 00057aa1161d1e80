"""Sessions end when idle (30 min by default) and in any case 12 h after the login."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories as f
from unitrace.core import middleware

pytestmark = pytest.mark.django_db

START = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch):
    now = [START]
    monkeypatch.setattr(middleware, "_clock", lambda: now[0])
    return now


@pytest.fixture
def user_client():
    client = Client()
    client.force_login(f.UserFactory(role="manager"))
    return client


def logged_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200 and "_auth_user_id" in client.session


def test_defaults(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 3600


def test_an_idle_session_ends(clock, user_client):
    assert logged_in(user_client)
    clock[0] += 29 * 60
    assert logged_in(user_client)
    clock[0] += 31 * 60  # 31 min after the last request
    response = user_client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in user_client.session


def test_an_active_session_ends_after_the_absolute_timeout(clock, user_client):
    assert logged_in(user_client)
    for _ in range(12 * 3):  # a request every 20 minutes for 12 hours
        clock[0] += 20 * 60
        assert logged_in(user_client)
    clock[0] += 20 * 60
    assert not logged_in(user_client)


def test_the_timeouts_are_settings(clock, user_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    assert logged_in(user_client)
    clock[0] += 61
    assert not logged_in(user_client)


def test_the_session_is_not_saved_on_every_request(clock, user_client):
    assert logged_in(user_client)
    seen = user_client.session[middleware.SessionTimeoutMiddleware.SEEN]
    clock[0] += 30
    assert logged_in(user_client)
    assert user_client.session[middleware.SessionTimeoutMiddleware.SEEN] == seen
    clock[0] += 60
    assert logged_in(user_client)
    assert user_client.session[middleware.SessionTimeoutMiddleware.SEEN] == START + 90


def test_a_new_login_starts_the_absolute_timeout_again(clock):
    f.UserFactory(username="boss", password="boss-password-2026", role="manager")
    client = Client()
    credentials = {"username": "boss", "password": "boss-password-2026"}
    assert client.post("/accounts/login/", credentials).status_code == 302
    for _ in range(35):  # active for 11 h 40 min
        clock[0] += 20 * 60
        assert logged_in(client)
    assert client.post("/accounts/login/", credentials).status_code == 302  # same session
    for _ in range(6):  # 2 more hours: 13 h 40 min after the first login
        clock[0] += 20 * 60
        assert logged_in(client)


def test_a_token_login_makes_no_session(clock):
    f.UserFactory(username="api", password="api-password-2026")
    client = Client()
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "api", "password": "api-password-2026"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
