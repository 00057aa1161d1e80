"""403, 404 and 500 answer in the site's layout, in the user's language, with a way back.

The 500 page is drawn when something is already broken, perhaps the database: it must
render without a single query.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from unitrace.core.handlers import server_error

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def zh_default(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def failing_client(settings, zh_default):
    settings.ROOT_URLCONF = "unitrace.core.tests.error_urls"
    return Client(raise_request_exception=False)


def test_404_in_chinese_with_the_layout_and_a_way_back(client, login, zh_default):
    page = login("warehouse").get("/no/such/page/", **ZH)

    html = page.content.decode()
    assert page.status_code == 404
    assert 'lang="zh-hans"' in html
    assert "页面不存在" in html
    assert 'class="mainnav"' in html  # the logged-in user's navigation
    assert 'href="/"' in html and "返回首页" in html


def test_404_in_english_when_asked(client, login, zh_default):
    html = login("warehouse").get("/no/such/page/", **EN).content.decode()

    assert 'lang="en"' in html
    assert "Page not found" in html and "Back to the start page" in html
    assert "页面不存在" not in html


def test_404_of_the_api_stays_json(client, login):
    answer = login("warehouse").get("/api/v1/no-such-thing/")

    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_403_of_a_page_the_role_may_not_see(client, login, zh_default):
    denied = login("warehouse").get("/audit/", **ZH)  # the change log is the auditors'

    html = denied.content.decode()
    assert denied.status_code == 403
    assert "无权访问" in html and "返回首页" in html
    assert 'class="mainnav"' in html


def test_403_in_english(client, login, zh_default):
    html = login("warehouse").get("/audit/", **EN).content.decode()

    assert "Access denied" in html and "Back to the start page" in html


def test_500_in_chinese_with_the_layout(failing_client, login):
    from tests import factories as f

    f.logged_in(failing_client, f.UserFactory(role="warehouse", username="clerk"))
    failed = failing_client.get("/boom/", **ZH)

    html = failed.content.decode()
    assert failed.status_code == 500
    assert 'lang="zh-hans"' in html
    assert "服务器错误" in html and "返回首页" in html
    assert 'class="topbar"' in html
    assert "clerk" not in html  # no user: reading it would need the database


def test_500_in_english(failing_client):
    html = failing_client.get("/boom/", **EN).content.decode()

    assert "Server error" in html and "Back to the start page" in html


def test_500_page_makes_no_query():
    request = RequestFactory().get("/units/")

    with CaptureQueriesContext(connection) as queries:
        page = server_error(request)

    assert page.status_code == 500
    assert "unitrace" in page.content.decode()
    assert len(queries) == 0


def test_500_page_falls_back_to_fixed_text_when_its_template_fails(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}
    ]  # no template to be found

    page = server_error(RequestFactory().get("/units/"))

    assert page.status_code == 500
    assert "服务器错误" in page.content.decode()


def test_500_of_the_api_is_json():
    answer = server_error(RequestFactory().get("/api/v1/units/"))

    assert answer.status_code == 500
    assert json.loads(answer.content)["code"] == "error"
