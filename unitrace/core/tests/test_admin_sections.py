"""The admin index in Chinese: every section header, third-party apps' too."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from tests import factories as f

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def admin_index(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    with translation.override("zh-hans"):
        response = client.get("/admin/")
    assert response.status_code == 200
    return response


def test_every_admin_section_has_a_chinese_name(admin_index):
    sections = {app["app_label"]: str(app["name"]) for app in admin_index.context["app_list"]}
    assert {"axes", "otp_totp", "otp_static"} <= set(sections)
    english = {label: name for label, name in sections.items() if not CJK.search(name)}
    assert english == {}


def test_the_third_party_sections_read_in_chinese_on_the_page(admin_index):
    page = admin_index.content.decode()
    for english in ("Axes", "Otp_Totp", "Otp_Static"):
        assert f">{english}<" not in page
    assert "登录尝试与锁定" in page


def test_the_apps_keep_their_labels_and_modules():
    for label, name in [
        ("axes", "axes"),
        ("otp_totp", "django_otp.plugins.otp_totp"),
        ("otp_static", "django_otp.plugins.otp_static"),
    ]:
        assert apps.get_app_config(label).name == name
