"""The auditor's change log: page and API with filters, exports, denials on the record."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from unitrace.core.audit import log_change, log_event
from unitrace.core.context import acting_as, actor_for_user
from unitrace.core.models import ChangeLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(sku, customer, make_user):
    clerk = make_user("procurement", "clerk")
    with acting_as(actor_for_user(clerk, ip="10.0.0.7", source="api")):
        log_change(sku, ChangeLog.Action.UPDATE, {"id": sku.pk, "name": "a"}, {"id": sku.pk})
        log_change(customer, ChangeLog.Action.CREATE)
    with acting_as(actor_for_user(None, ip="2001:db8::1", source="web")):
        log_event(ChangeLog.Action.LOGIN_FAILED, username="mallory")
        log_event(
            ChangeLog.Action.EXPORT, object_type="catalog.sku", object_repr="=cmd|' /C calc'!A0"
        )
    return clerk


def listed(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["action"] for row in response.json()["results"]]


def test_auditor_reads_the_change_log_with_filters(api, entries, sku):
    auditor = api("auditor")
    everything = listed(auditor.get("/api/v1/changelog/"))
    assert everything[:4] == ["export", "login_failed", "create", "update"]
    assert listed(auditor.get("/api/v1/changelog/", {"user": "clerk"})) == ["create", "update"]
    assert listed(auditor.get("/api/v1/changelog/", {"user": str(entries.pk)})) == [
        "create",
        "update",
    ]
    assert listed(
        auditor.get("/api/v1/changelog/", {"model": "catalog.sku", "object": str(sku.pk)})
    ) == ["update"]
    assert listed(auditor.get("/api/v1/changelog/", {"ip": "2001:DB8:0::1"})) == [
        "export",
        "login_failed",
    ]
    assert listed(auditor.get("/api/v1/changelog/", {"action": "login_failed"})) == ["login_failed"]
    later = (timezone.localtime() + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    assert listed(auditor.get("/api/v1/changelog/", {"since": later})) == []
    assert len(listed(auditor.get("/api/v1/changelog/", {"until": later}))) >= 4
    page = auditor.get("/api/v1/changelog/", {"limit": 2}).json()
    assert page["count"] >= 4 and len(page["results"]) == 2 and page["next"]
    first = page["results"][0]
    assert first["seq"] and len(first["chain_hash"]) == 64


def test_a_bad_filter_answers_in_the_error_body(api, entries):
    response = api("auditor").get("/api/v1/changelog/", {"since": "yesterday"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_filter"
    assert response.json()["field"] == "since"
    assert api("auditor").get("/api/v1/changelog/", {"ip": "300.1.1.1"}).json()["field"] == "ip"
    assert api("auditor").get("/api/v1/changelog/", {"action": "x"}).json()["field"] == "action"


@pytest.mark.parametrize("role", ["warehouse", "manager", "agent"])
def test_other_roles_are_refused_and_the_refusal_is_logged(api, role):
    client = api(role)
    response = client.get("/api/v1/changelog/")
    assert response.status_code == 403
    denied = ChangeLog.objects.get(action=ChangeLog.Action.DENIED)
    assert denied.username == f"{role}-user" and denied.object_type == "api"
    assert denied.object_repr == "GET /api/v1/changelog/"
    assert denied.after["needs"] == ["core.view_changelog"]


def test_anonymous_requests_are_not_denials(client, db):
    assert client.get("/api/v1/changelog/").status_code in (401, 403)
    assert not ChangeLog.objects.filter(action=ChangeLog.Action.DENIED).exists()


def test_page_refusal_is_logged(login):
    client = login("warehouse")
    assert client.get("/audit/").status_code == 403
    denied = ChangeLog.objects.get(action=ChangeLog.Action.DENIED)
    assert denied.object_type == "page" and denied.object_repr == "GET /audit/"


def test_auditor_page_lists_filters_and_paginates(login, entries):
    client = login("auditor")
    page = client.get("/audit/", {"action": "create"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="changelog"' in html and html.count('id="entry-') == 1
    assert "/audit/export/" in html
    assert client.get("/audit/", {"since": "nonsense"}).status_code == 200
    assert client.get("/audit/", {"page": "999"}).status_code == 200


def test_auditor_sees_the_page_in_the_navigation(login):
    html = login("auditor").get("/audit/").content.decode()
    assert 'href="/audit/"' in html


def test_admin_may_read_the_change_log(api, entries):
    assert api("admin").get("/api/v1/changelog/").status_code == 200


def test_csv_export_is_filtered_escaped_and_logged(api, entries):
    response = api("auditor").get("/api/v1/changelog/export/", {"as": "csv", "ip": "2001:db8::1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3  # header + the two entries from that address
    assert any(cell.startswith("'=cmd") for cell in rows[1])  # never a live formula
    export = ChangeLog.objects.filter(action=ChangeLog.Action.EXPORT).order_by("-seq").first()
    assert export.object_type == "core.changelog" and export.username == "auditor-user"
    assert export.after == {"rows": 2, "format": "csv", "filters": {"ip": "2001:db8::1"}}


def test_xlsx_export(login, entries):
    response = login("auditor").get("/audit/export/", {"as": "xlsx", "user": "clerk"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3


def test_unknown_export_format_is_refused(api, entries):
    response = api("auditor").get("/api/v1/changelog/export/", {"as": "pdf"})
    assert response.status_code == 400 and response.json()["field"] == "format"
