"""TOTP two-factor for staff: enrolment, the step after the password, the admin, recovery."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories as f
from unitrace.core.models import ChangeLog

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def login(user) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": f.PASSWORD})[
        "Location"
    ]
    return client


@pytest.fixture
def root(make_user):
    return make_user("admin", "root")


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(confirmed=False)
    device.throttle_reset()  # a wrong code before slows the device down
    response = client.post("/accounts/two-factor/", {"code": code_for(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_enrolment_confirms_with_a_code_and_is_logged_without_the_key(root):
    client = login(root)
    wrong = client.post("/accounts/two-factor/", {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    device, _codes = enrol(client)
    [entry] = ChangeLog.objects.filter(object_type="otp_totp.totpdevice")
    assert entry.action == ChangeLog.Action.CREATE and entry.username == "root"
    assert device.key not in str(entry.after)
    assert client.get("/admin/").status_code == 200  # this session is verified already


def test_non_staff_cannot_enrol(make_user):
    client = login(make_user("agent", "alice"))
    assert client.get("/accounts/two-factor/").status_code == 403


def test_after_the_password_an_enrolled_login_must_give_a_code(root):
    device, _codes = enrol(login(root))
    client = login(root)
    response = client.get("/sales/returns/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/verify/?next=")
    api = client.get("/api/v1/skus/")
    assert (api.status_code, api.json()["code"]) == (403, "two_factor_required")
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"] == "/accounts/two-factor/verify/?next=%2Fadmin%2F"
    # the admin's own login page, asked directly, sends there too
    to_verify = client.get("/admin/login/?next=/admin/")
    assert to_verify.status_code == 302
    assert to_verify["Location"].startswith("/accounts/two-factor/verify/")
    bad = client.post("/accounts/two-factor/verify/", {"code": "123456", "next": "/admin/"})
    assert bad.status_code == 200 and bad.context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()  # the wrong code slowed the device down
    device.last_t = -1  # as in a later 30-second step: a code is accepted only once
    device.save()
    good = client.post(
        "/accounts/two-factor/verify/", {"code": code_for(device), "next": "/admin/"}
    )
    assert (good.status_code, good["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once(root):
    _device, codes = enrol(login(root))
    client = login(root)
    response = client.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    again = login(root)
    assert again.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 200


def test_new_recovery_codes_replace_the_old_and_turning_off_needs_a_verified_session(root):
    client = login(root)
    _device, codes = enrol(client)
    fresh = client.post("/accounts/two-factor/recovery/").context["codes"]
    assert set(fresh).isdisjoint(codes)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(fresh)
    unverified = login(root)
    assert unverified.post("/accounts/two-factor/disable/").status_code == 302  # to verify
    assert TOTPDevice.objects.exists()
    assert client.post("/accounts/two-factor/disable/").status_code == 302
    assert not TOTPDevice.objects.exists()
    assert ChangeLog.objects.filter(
        object_type="otp_totp.totpdevice", action=ChangeLog.Action.DELETE
    ).exists()
    assert login(root).get("/admin/").status_code == 200


def test_logins_without_a_device_reach_the_admin_unless_the_setting_says_otherwise(root):
    assert login(root).get("/admin/").status_code == 200
    with override_settings(OTP_REQUIRED_FOR_SUPERUSERS=True):
        client = login(root)
        response = client.get("/admin/")
        assert response.status_code == 302
        follow = client.get(response["Location"])
        assert (follow.status_code, follow["Location"]) == (302, "/accounts/two-factor/")
        enrol(client)
        assert client.get("/admin/").status_code == 200


def test_the_qr_holds_the_otpauth_uri_and_the_page_shows_the_key(root):
    client = login(root)
    page = client.get("/accounts/two-factor/").content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    secret = re.search(r"<code class=\"break\">([A-Z2-7]+)</code>", page).group(1)
    assert device.config_url.split("secret=")[1].startswith(secret)
