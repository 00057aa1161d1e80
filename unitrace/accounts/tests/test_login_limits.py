"""Brute-force limits on every login path, shared through the database (django-axes)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

from tests import factories as f
from unitrace.accounts.lockout import lockout_message

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-2026"
LIMIT = 5


@pytest.fixture
def alice():
    return f.UserFactory(username="alice", password=PASSWORD, is_staff=True, is_superuser=True)


def web_login(client, username, password, ip="203.0.113.7", path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=ip)


def api_login(client, username, password, ip="203.0.113.7"):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_web_login_locks_after_the_limit_even_with_the_right_password(alice):
    client = Client()
    for _ in range(LIMIT - 1):
        assert web_login(client, "alice", "wrong").status_code == 200
    assert web_login(client, "alice", "wrong").status_code == 429  # the limit reached
    response = web_login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert not logged_in(client)


def test_admin_login_is_limited_too(alice):
    client = Client()
    for _ in range(LIMIT):
        web_login(client, "alice", "wrong", path="/admin/login/")
    response = web_login(client, "alice", PASSWORD, path="/admin/login/")
    assert response.status_code == 429
    assert not logged_in(client)


def test_token_endpoint_is_limited_with_the_one_error_body(alice):
    client = Client()
    for _ in range(LIMIT - 1):
        assert api_login(client, "alice", "wrong").status_code == 400
    assert api_login(client, "alice", "wrong").status_code == 429
    response = api_login(client, "alice", PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "login_locked"
    assert set(body) >= {"code", "detail", "field", "rows"}
    assert "token" not in body


def test_the_limits_are_shared_between_login_paths(alice):
    """A guess on the web page counts against the API, as in another worker process."""
    for _ in range(LIMIT):
        web_login(Client(), "alice", "wrong")
    assert api_login(Client(), "alice", PASSWORD).status_code == 429
    assert AccessAttempt.objects.exists()  # the state lives in the database


def test_per_account_limit_holds_across_addresses(alice):
    for i in range(LIMIT):
        web_login(Client(), "alice", "wrong", ip=f"198.51.100.{i + 1}")
    assert web_login(Client(), "alice", PASSWORD, ip="192.0.2.99").status_code == 429


def test_per_address_limit_holds_across_accounts(alice):
    for i in range(LIMIT):
        web_login(Client(), f"nobody{i}", "wrong", ip="198.51.100.9")
    assert web_login(Client(), "alice", PASSWORD, ip="198.51.100.9").status_code == 429
    # the account itself is not locked for others
    assert web_login(Client(), "alice", PASSWORD, ip="192.0.2.1").status_code == 302


def test_an_ipv6_client_is_limited_by_its_64(alice):
    for i in range(LIMIT):
        web_login(Client(), f"nobody{i}", "wrong", ip=f"2001:db8:1:2::{i + 1:x}")
    assert web_login(Client(), "alice", PASSWORD, ip="2001:db8:1:2:ffff::1").status_code == 429
    assert web_login(Client(), "alice", PASSWORD, ip="2001:db8:1:3::1").status_code == 302


def test_an_admin_unlocks_the_account_with_the_management_command(alice):
    for i in range(LIMIT):
        web_login(Client(), "alice", "wrong", ip=f"198.51.100.{i + 1}")
    assert web_login(Client(), "alice", PASSWORD).status_code == 429
    call_command("axes_reset_username", "alice")
    client = Client()
    assert web_login(client, "alice", PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_admin_unlocks_the_account_in_the_admin(alice):
    for i in range(LIMIT):
        web_login(Client(), "alice", "wrong", ip=f"198.51.100.{i + 1}")
    admin = Client()
    admin.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    attempts = list(AccessAttempt.objects.filter(username="alice").values_list("pk", flat=True))
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert web_login(Client(), "alice", PASSWORD).status_code == 302


def test_every_failed_and_successful_login_is_logged(alice):
    web_login(Client(), "alice", "wrong", ip="198.51.100.1")
    api_login(Client(), "alice", "wrong", ip="198.51.100.2")
    web_login(Client(), "alice", PASSWORD, ip="198.51.100.3")
    api_login(Client(), "alice", PASSWORD, ip="198.51.100.4")
    failures = AccessFailureLog.objects.filter(username="alice")
    assert sorted(failures.values_list("ip_address", flat=True)) == [
        "198.51.100.1",
        "198.51.100.2",
    ]
    logins = AccessLog.objects.filter(username="alice")
    assert sorted(logins.values_list("ip_address", flat=True)) == [
        "198.51.100.3",
        "198.51.100.4",
    ]


def test_a_login_without_a_request_is_not_refused(alice):
    """The test client's ``login`` and management commands have no client address."""
    assert Client().login(username="alice", password=PASSWORD)
    assert get_user_model().objects.filter(username="alice").exists()


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_limit_is_a_setting(alice):
    for _ in range(2):
        web_login(Client(), "alice", "wrong")
    assert web_login(Client(), "alice", PASSWORD).status_code == 429


def test_the_message_is_translated():
    with translation.override("zh-hans"):
        message = lockout_message()
    assert "登录失败次数过多" in message and "15" in message


def test_an_admin_unlocks_the_account_with_the_user_admin_action(alice):
    for i in range(LIMIT):
        web_login(Client(), "alice", "wrong", ip=f"198.51.100.{i + 1}")
    admin = Client()
    admin.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    response = admin.post(
        "/admin/auth/user/",
        {"action": "unlock_logins", "_selected_action": [alice.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()
    assert web_login(Client(), "alice", PASSWORD).status_code == 302


def test_logins_failed_logins_and_logouts_are_in_the_audit_trail(alice):
    from unitrace.core.models import ChangeLog

    web_login(Client(), "alice", "wrong", ip="198.51.100.1")
    client = Client()
    web_login(client, "alice", PASSWORD, ip="198.51.100.3")
    api_login(Client(), "alice", PASSWORD, ip="198.51.100.4")
    client.post("/accounts/logout/", REMOTE_ADDR="198.51.100.3")
    entries = ChangeLog.objects.filter(object_type="auth.user").order_by("seq")
    assert [(e.action, e.username, e.ip_address) for e in entries] == [
        ("login_failed", "alice", "198.51.100.1"),
        ("login", "alice", "198.51.100.3"),
        ("login", "alice", "198.51.100.4"),
        ("logout", "alice", "198.51.100.3"),
    ]
    failed = entries[0]
    assert failed.user_id is None or failed.user_id == alice.pk
