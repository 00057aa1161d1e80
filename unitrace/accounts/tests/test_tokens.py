"""Named API tokens: hashed at rest, expiring, revocable, scoped, last use recorded."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories as f
from unitrace.accounts import tokens
from unitrace.accounts.models import ApiToken
from unitrace.core.models import ChangeLog

pytestmark = pytest.mark.django_db


def client_with(key: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


@pytest.fixture
def clerk(make_user):
    return make_user("procurement", "clerk")


def test_only_the_digest_is_stored_and_the_secret_is_never_logged(clerk):
    issued = tokens.issue(clerk, "ERP sync")
    assert issued.key.startswith(issued.token.prefix + "_")
    row = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert issued.key not in json.dumps(row, default=str)
    assert row["digest"] == tokens.digest(issued.key)
    [entry] = ChangeLog.objects.filter(object_type="accounts.apitoken")
    assert entry.action == ChangeLog.Action.CREATE and entry.after["name"] == "ERP sync"
    logged = json.dumps(list(ChangeLog.objects.values()), default=str)
    assert issued.key not in logged and issued.token.digest not in logged


@pytest.mark.parametrize("keyword", ["Token", "Bearer", "bearer"])
def test_token_and_bearer_are_both_accepted(clerk, keyword):
    key = f.api_key(clerk)
    assert client_with(key, keyword).get("/api/v1/skus/").status_code == 200


def test_unknown_revoked_and_expired_tokens_are_refused(clerk):
    assert client_with("ut_00000000_nothing").get("/api/v1/skus/").status_code == 401
    revoked = tokens.issue(clerk, "old")
    tokens.revoke(revoked.token, clerk)
    response = client_with(revoked.key).get("/api/v1/skus/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    expiring = tokens.issue(clerk, "short")
    ApiToken.objects.filter(pk=expiring.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client_with(expiring.key).get("/api/v1/skus/").status_code == 401
    assert response["WWW-Authenticate"] == "Token"  # as before; Bearer is accepted too


def test_a_read_only_token_gets_403_on_any_unsafe_method(clerk, sku):
    client = client_with(f.api_key(clerk, scope="read"))
    assert client.get("/api/v1/batches/").status_code == 200
    response = client.post("/api/v1/batches/", {"sku": sku.code, "code": "B1"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "read-only" in response.json()["detail"]
    # also where the view itself needs no permission: its own tokens
    assert client.post("/api/v1/auth/tokens/", {"name": "x"}).status_code == 403
    assert client.delete("/api/v1/auth/tokens/1/").status_code == 403


def test_the_write_token_of_the_same_user_may_write(clerk, sku):
    client = client_with(f.api_key(clerk))
    response = client.post("/api/v1/batches/", {"sku": sku.code, "code": "B1"}, format="json")
    assert response.status_code == 201, response.json()


def test_an_app_limited_token_reaches_only_that_apps_endpoints(clerk, sku):
    catalog_only = client_with(f.api_key(clerk, apps=["catalog"]))
    assert catalog_only.get("/api/v1/skus/").status_code == 200
    assert catalog_only.get("/api/v1/purchase-orders/").status_code == 403
    assert catalog_only.get("/api/v1/auth/tokens/").status_code == 403  # accounts' own
    procurement_only = client_with(f.api_key(clerk, apps=["procurement"]))
    assert procurement_only.get("/api/v1/purchase-orders/").status_code == 200
    response = procurement_only.get("/api/v1/skus/")
    assert response.status_code == 403
    assert "procurement" in response.json()["detail"]


def test_unknown_app_or_a_too_long_life_is_refused_in_the_one_error_body(clerk):
    client = client_with(f.api_key(clerk))
    response = client.post("/api/v1/auth/tokens/", {"name": "x", "apps": ["mars"]}, format="json")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("token_refused", "apps")
    far = (timezone.now() + timedelta(days=tokens.max_days() + 2)).isoformat()
    response = client.post("/api/v1/auth/tokens/", {"name": "x", "expires_at": far})
    assert (response.status_code, response.json()["field"]) == (400, "expires_at")


def test_last_use_is_written_at_most_once_a_minute(clerk):
    issued = tokens.issue(clerk, "poller")
    client = client_with(issued.key)
    assert client.get("/api/v1/skus/").status_code == 200
    first = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=5)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/skus/").status_code == 200
    assert not [q for q in ctx.captured_queries if "UPDATE" in q["sql"].upper()]
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == first
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert client.get("/api/v1/skus/").status_code == 200
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at > first


def test_token_authentication_stays_one_token_read_and_one_permission_read(clerk):
    client = client_with(f.api_key(clerk))
    client.get("/api/v1/jobs/999999/")  # first use: records last use
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/jobs/999999/").status_code == 404
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert sum("accounts_apitoken" in s for s in sqls) == 1, sqls
    assert sum("auth_permission" in s for s in sqls) == 1, sqls


def test_the_script_login_issues_a_new_named_token_with_the_default_expiry(clerk):
    anonymous = APIClient()
    body = {"username": "clerk", "password": f.PASSWORD, "name": "nightly export"}
    first = anonymous.post("/api/v1/auth/token/", body).json()
    second = anonymous.post("/api/v1/auth/token/", {**body, "name": ""}).json()
    assert first["token"] != second["token"]
    assert (first["name"], second["name"]) == ("nightly export", "API")
    token = ApiToken.objects.get(pk=first["id"])
    expected = timezone.now() + timedelta(days=tokens.default_days())
    assert abs(token.expires_at - expected) < timedelta(minutes=1)
    assert client_with(first["token"], "Bearer").get("/api/v1/skus/").status_code == 200
    entry = ChangeLog.objects.filter(object_type="accounts.apitoken").first()
    assert (entry.username, entry.action) == ("clerk", ChangeLog.Action.CREATE)
    wrong = anonymous.post("/api/v1/auth/token/", {"username": "clerk", "password": "nope"})
    assert wrong.status_code == 400 and "token" not in wrong.json()


def test_users_list_issue_and_revoke_their_own_tokens_over_the_api(clerk, make_user):
    client = client_with(f.api_key(clerk, name="main"))
    response = client.post(
        "/api/v1/auth/tokens/", {"name": "reader", "scope": "read", "apps": ["catalog"]}
    )
    assert response.status_code == 201
    created = response.json()
    assert created["token"] and created["scope"] == "read" and created["apps"] == ["catalog"]
    listed = client.get("/api/v1/auth/tokens/").json()
    assert sorted(t["name"] for t in listed) == ["main", "reader"]
    assert all("token" not in t and "digest" not in t for t in listed)
    other = tokens.issue(make_user("agent", "other"), "theirs")
    assert client.delete(f"/api/v1/auth/tokens/{other.token.pk}/").status_code == 404
    revoked = client.delete(f"/api/v1/auth/tokens/{created['id']}/").json()
    assert revoked["revoked_at"] and revoked["active"] is False
    assert client_with(created["token"]).get("/api/v1/skus/").status_code == 401
    entry = ChangeLog.objects.filter(object_id=str(created["id"])).order_by("id").last()
    assert entry.action == ChangeLog.Action.UPDATE and entry.username == "clerk"
    assert entry.after["revoked_by"] == clerk.pk


def test_admins_revoke_anyones_token_over_the_api(clerk, make_user):
    issued = tokens.issue(clerk, "script")
    admin = client_with(f.api_key(make_user("admin", "root")))
    assert [t["username"] for t in admin.get("/api/v1/auth/tokens/?user=clerk").json()] == ["clerk"]
    assert admin.delete(f"/api/v1/auth/tokens/{issued.token.pk}/").status_code == 200
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None


def test_the_token_page_shows_the_secret_once_and_revokes(client, clerk):
    f.logged_in(client, clerk)
    expires = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        "/accounts/tokens/",
        {"name": "label printer", "expires_on": expires, "scope": "read", "apps": ["serials"]},
    )
    assert response.status_code == 200
    key = response.context["issued"].key
    assert key in response.content.decode()
    token = ApiToken.objects.get(name="label printer")
    assert (token.scope, token.apps, token.user) == ("read", ["serials"], clerk)
    assert timezone.localtime(token.expires_at).date().isoformat() == expires
    again = client.get("/accounts/tokens/").content.decode()
    assert key not in again and token.prefix in again
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 405


def test_odd_input_is_a_clear_refusal_on_either_database(clerk):
    client = client_with(f.api_key(clerk))
    response = client.post("/api/v1/auth/tokens/", {"name": "a\x00b"}, format="json")
    assert (response.status_code, response.json()["field"]) == (400, "name")
    assert client.delete(f"/api/v1/auth/tokens/{2**70}/").status_code == 404
    assert client_with("ut_\x00").get("/api/v1/skus/").status_code == 401
    login = APIClient().post("/api/v1/auth/token/", {"username": "a\x00", "password": "x"})
    assert login.status_code == 400


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_uses_all_pass_and_record_the_last_use(make_user):
    from unitrace.accounts.authentication import TokenAuthentication
    from unitrace.accounts.services import sync_roles
    from unitrace.core.testing.threads import race

    sync_roles()  # a transactional test starts from a flushed database
    issued = tokens.issue(make_user("procurement", "clerk"), "poller")

    def work(_index):
        user, _auth = TokenAuthentication().authenticate_credentials(issued.key)
        return user.username

    results, errors = race(6, work)
    assert errors == [] and results == ["clerk"] * 6
    stamp = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert stamp is not None and timezone.now() - stamp < timedelta(seconds=30)
