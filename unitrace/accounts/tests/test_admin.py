"""Role grants and data-scope changes made in the admin are change-logged."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from unitrace.accounts import tokens
from unitrace.accounts.models import ApiToken, Profile
from unitrace.accounts.tests.admin_forms import form_data
from unitrace.core.models import ChangeLog, Job

pytestmark = pytest.mark.django_db
PASSWORD = "Tr4ce-Unit-2026!x"


@pytest.fixture
def alice(make_user):
    user = make_user("agent", "alice")
    # The admin's date/time inputs show whole seconds, so saving the form would
    # (really, and logged) drop the microseconds: start from whole seconds.
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now().replace(microsecond=0))
    user.refresh_from_db()
    return user


def entries(model: str, pk) -> list[ChangeLog]:
    return list(ChangeLog.objects.filter(object_type=model, object_id=str(pk)).order_by("id"))


def assert_attributed(entry: ChangeLog, admin_user) -> None:
    """Who, when and from where: the admin's request."""
    assert (entry.user_id, entry.username) == (admin_user.pk, "root")
    assert entry.ip_address == "127.0.0.1"
    assert entry.user_agent == "pytest-admin"
    assert entry.request_id
    assert timezone.now() - entry.time < timedelta(minutes=1)


def post_change(admin_browser, url: str, **changes):
    data = form_data(admin_browser.get(url))
    data.update(changes)
    response = admin_browser.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def test_group_membership_change_is_logged_with_before_and_after(admin_browser, admin_user, alice):
    warehouse = Group.objects.get(name="warehouse")
    post_change(admin_browser, f"/admin/auth/user/{alice.pk}/change/", groups=[str(warehouse.pk)])
    assert list(alice.groups.values_list("name", flat=True)) == ["warehouse"]
    [entry] = entries("auth.user", alice.pk)
    assert entry.action == ChangeLog.Action.UPDATE
    assert entry.before == {"id": alice.pk, "groups": ["agent"]}
    assert entry.after == {"id": alice.pk, "groups": ["warehouse"]}
    assert_attributed(entry, admin_user)


def test_direct_permission_grant_and_staff_flag_are_logged(admin_browser, admin_user, alice):
    perm = Permission.objects.get(codename="add_sku")
    post_change(
        admin_browser,
        f"/admin/auth/user/{alice.pk}/change/",
        user_permissions=[str(perm.pk)],
        is_staff="on",
    )
    [entry] = entries("auth.user", alice.pk)
    assert entry.before == {"id": alice.pk, "user_permissions": [], "is_staff": False}
    assert entry.after == {"id": alice.pk, "user_permissions": [str(perm)], "is_staff": True}


def test_unchanged_save_writes_no_entry(admin_browser, alice):
    post_change(admin_browser, f"/admin/auth/user/{alice.pk}/change/")
    assert entries("auth.user", alice.pk) == []


def test_role_permission_change_is_logged(admin_browser, admin_user):
    group = Group.objects.get(name="auditor")
    extra = Permission.objects.get(codename="change_sku")
    url = f"/admin/auth/group/{group.pk}/change/"
    current = form_data(admin_browser.get(url))["permissions"]
    post_change(admin_browser, url, permissions=[*current, str(extra.pk)])
    [entry] = entries("auth.group", group.pk)
    assert str(extra) not in entry.before["permissions"]
    assert str(extra) in entry.after["permissions"]
    assert set(entry.after["permissions"]) - set(entry.before["permissions"]) == {str(extra)}
    assert_attributed(entry, admin_user)


def test_data_scope_change_is_logged(admin_browser, admin_user, alice, distributor):
    profile = Profile.objects.create(user=alice)
    post_change(
        admin_browser, f"/admin/accounts/profile/{profile.pk}/change/", party=str(distributor.pk)
    )
    [entry] = entries("accounts.profile", profile.pk)
    assert entry.before == {"id": profile.pk, "party": None}
    assert entry.after == {"id": profile.pk, "party": distributor.pk}
    assert_attributed(entry, admin_user)


def test_profile_created_in_the_admin_is_logged(admin_browser, alice, distributor):
    response = admin_browser.post(
        "/admin/accounts/profile/add/",
        {"user": str(alice.pk), "party": str(distributor.pk), "phone": ""},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    [entry] = entries("accounts.profile", profile.pk)
    assert entry.action == ChangeLog.Action.CREATE
    assert (entry.before, entry.after["party"]) == (None, distributor.pk)


def test_user_created_in_the_admin_is_logged_without_the_password_hash(admin_browser):
    response = admin_browser.post(
        "/admin/auth/user/add/",
        {
            "username": "bob",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    bob = User.objects.get(username="bob")
    [entry] = entries("auth.user", bob.pk)
    assert entry.action == ChangeLog.Action.CREATE
    assert entry.after["username"] == "bob"
    assert entry.after["password"].startswith("sha256:")
    assert bob.password not in json.dumps(entry.after)


def test_password_change_is_logged_as_a_fingerprint(admin_browser, admin_user, alice):
    old_hash = alice.password
    response = admin_browser.post(
        f"/admin/auth/user/{alice.pk}/password/",
        {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    [entry] = entries("auth.user", alice.pk)
    assert set(entry.after) == {"id", "password"}
    assert entry.before["password"] != entry.after["password"]
    logged = json.dumps([entry.before, entry.after])
    assert old_hash not in logged and alice.password not in logged
    assert_attributed(entry, admin_user)


def test_refused_password_change_writes_nothing(admin_browser, alice):
    response = admin_browser.post(
        f"/admin/auth/user/{alice.pk}/password/",
        {"password1": PASSWORD, "password2": "different", "usable_password": "true"},
    )
    assert response.status_code == 200
    assert entries("auth.user", alice.pk) == []


def test_deleting_users_logs_them_and_what_goes_with_them(
    admin_browser, admin_user, alice, distributor
):
    profile = Profile.objects.create(user=alice, party=distributor)
    issued = tokens.issue(alice, "script")
    job = Job.objects.create(kind="import", created_by=alice)
    response = admin_browser.post(
        "/admin/auth/user/",
        {"action": "delete_selected", "_selected_action": [str(alice.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    [user_entry] = entries("auth.user", alice.pk)
    assert user_entry.action == ChangeLog.Action.DELETE
    assert user_entry.before["username"] == "alice" and user_entry.after is None
    assert user_entry.before["groups"] == ["agent"]
    assert_attributed(user_entry, admin_user)
    [profile_entry] = entries("accounts.profile", profile.pk)
    assert profile_entry.before["party"] == distributor.pk
    [job_entry] = entries("core.job", job.pk)  # SET_NULL: the job stays, its author goes
    assert (job_entry.action, job_entry.before, job_entry.after) == (
        ChangeLog.Action.UPDATE,
        {"id": job.pk, "created_by": alice.pk},
        {"id": job.pk, "created_by": None},
    )
    token_entries = ChangeLog.objects.filter(object_type="accounts.apitoken")
    assert [e.action for e in token_entries.order_by("id")] == [
        ChangeLog.Action.CREATE,
        ChangeLog.Action.DELETE,
    ]
    # an API token is a credential: the log says it went, never what it was
    logged = json.dumps(list(ChangeLog.objects.values()), default=str)
    assert issued.key not in logged and issued.token.digest not in logged


def test_admin_revokes_anyones_token_and_the_log_says_so(admin_browser, admin_user, alice):
    issued = tokens.issue(alice, "script")
    assert admin_browser.get("/admin/accounts/apitoken/add/").status_code == 403
    response = admin_browser.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [str(issued.token.pk)]},
    )
    assert response.status_code == 302
    token = ApiToken.objects.get(pk=issued.token.pk)
    assert token.revoked_at is not None and token.revoked_by == admin_user
    [entry] = entries("accounts.apitoken", token.pk)[1:]
    assert entry.action == ChangeLog.Action.UPDATE
    assert entry.after["revoked_by"] == admin_user.pk
    assert_attributed(entry, admin_user)
    assert issued.key not in json.dumps(list(ChangeLog.objects.values()), default=str)
