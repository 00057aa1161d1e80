"""The customer search page is reachable from the navigation by those who may open it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from unitrace.accounts.roles import role_names
from unitrace.core import navigation

pytestmark = pytest.mark.django_db


def _entries(user) -> dict[str, str]:
    return {
        entry.url: str(entry.label)
        for group in navigation.menu_for(user, "/")
        for entry in group.entries
    }


@pytest.mark.parametrize("role", role_names())
def test_the_entry_follows_the_page_permission(make_user, role):
    user = make_user(role)
    url = reverse("serials:customer_search")
    with translation.override("en"):
        entries = _entries(user)
    if user.has_perm("serials.view_unit"):
        assert entries.get(url) == "Find a customer"
    else:
        assert url not in entries


def test_the_entry_reads_in_chinese(login):
    with translation.override("zh-hans"):
        page = login("agent").get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'href="{reverse("serials:customer_search")}"' in page
    assert "查找客户" in page
