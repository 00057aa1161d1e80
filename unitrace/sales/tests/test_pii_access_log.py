"""Bulk reads of personal data by users who see it unmasked leave an audit entry."""

from __future__ import annotations

import pytest

from unitrace.core.models import ChangeLog

pytestmark = pytest.mark.django_db


def reads():
    return list(ChangeLog.objects.filter(action=ChangeLog.Action.READ).order_by("pk"))


def test_customer_list_over_the_api_is_recorded_with_rows_and_filters(api, customer):
    client = api("sales")
    assert client.get("/api/v1/customers/", {"q": "张", "limit": 50}).status_code == 200
    [entry] = reads()
    assert (entry.username, entry.object_type) == (client.user.username, "parties.party")
    assert entry.after["rows"] == 1
    assert entry.after["filters"] == {"q": "张", "limit": "50"}
    assert entry.after["what"] == "api:customers" and entry.after["source"] == "api"


def test_masked_reads_and_empty_pages_are_not_personal_data_access(api, customer):
    api("auditor").get("/api/v1/customers/")  # masked: no personal data read
    api("sales").get("/api/v1/customers/", {"q": "nobody"})  # nothing read
    api("sales", "s2").get("/api/v1/distributors/")  # companies
    assert reads() == []


def test_customer_page_is_recorded(login, customer):
    client = login("sales")
    assert client.get("/sales/customers/", {"q": "张"}).status_code == 200
    [entry] = reads()
    assert entry.after == {
        "rows": 1,
        "filters": {"q": "张"},
        "what": "page:customers",
        "source": "web",
    }
