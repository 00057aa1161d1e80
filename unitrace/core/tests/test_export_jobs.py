"""Large exports run as background jobs: threshold, owner-only download, masking at job
time, and every download in the audit trail."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from openpyxl import load_workbook

from tests import factories as f
from unitrace.core.audit import log_change
from unitrace.core.context import acting_as, actor_for_user
from unitrace.core.jobs import run_job
from unitrace.core.models import ChangeLog, Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(customer, sku, make_user):
    """A customer (张三, 13812341234) created and re-phoned, and a SKU edit: 3 entries."""
    clerk = make_user("sales", "clerk")
    with acting_as(actor_for_user(clerk, ip="10.0.0.7", source="web")):
        log_change(customer, ChangeLog.Action.CREATE)
        before = {"id": customer.pk, "phone": customer.phone}
        log_change(customer, ChangeLog.Action.UPDATE, before, {**before, "phone": "13900001111"})
        log_change(sku, ChangeLog.Action.UPDATE, {"id": sku.pk, "name": "a"}, {"id": sku.pk})
    return customer


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def download(client, job_id: int):
    response = client.get(f"/api/v1/jobs/{job_id}/download/")
    return response, b"".join(response.streaming_content) if response.status_code == 200 else b""


def exports() -> list[ChangeLog]:
    return list(ChangeLog.objects.filter(action=ChangeLog.Action.EXPORT).order_by("seq"))


@override_settings(UNITRACE_EXPORT_JOB_ROWS=2)
def test_above_the_threshold_the_export_is_a_job_with_a_download(api, logged):
    client = api("admin")
    response = client.get("/api/v1/changelog/export/", {"as": "csv", "user": "clerk"})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["kind"] == "export" and body["status"] == "succeeded"
    assert body["total"] == 3 and body["result"]["exported"] == 3
    assert body["download_url"].endswith(f"/api/v1/jobs/{body['id']}/download/")
    assert exports() == []  # nothing left the system yet
    answer, content = download(client, body["id"])
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    rows = csv_rows(content)
    assert len(rows) == 4 and rows[0][0] == "Sequence"


@override_settings(UNITRACE_EXPORT_JOB_ROWS=3)
def test_up_to_the_threshold_the_export_stays_immediate(api, logged):
    response = api("admin").get("/api/v1/changelog/export/", {"as": "csv", "user": "clerk"})
    assert response.status_code == 200
    assert len(csv_rows(response.content)) == 4
    assert not Job.objects.filter(kind="export").exists()


@override_settings(UNITRACE_EXPORT_JOB_ROWS=1)
def test_the_page_sends_a_large_export_to_its_job_page(login, logged):
    client = login("admin", "boss")
    response = client.get("/audit/export/", {"as": "xlsx", "user": "clerk"})
    job = Job.objects.get(kind="export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert f'href="/jobs/{job.pk}/download/"' in page
    answer = client.get(f"/jobs/{job.pk}/download/")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(answer.streaming_content))).active
    assert sheet.max_row == 4


@override_settings(UNITRACE_EXPORT_JOB_ROWS=1)
def test_only_the_owner_may_download(api, login, logged, make_user):
    owner = api("admin", "owner")
    job_id = owner.get("/api/v1/changelog/export/", {"user": "clerk"}).json()["id"]
    # another auditor, and a manager who may see every job's status: neither gets the file
    for role, name in (("auditor", "other-auditor"), ("manager", "jobs-manager"), ("admin", "a2")):
        client = api(role, name)
        answer, _ = download(client, job_id)
        assert answer.status_code == 404, role
        assert answer.json()["code"] == "not_found"
        assert "download_url" not in client.get(f"/api/v1/jobs/{job_id}/").json()
    assert login("auditor", "page-auditor").get(f"/jobs/{job_id}/download/").status_code == 404
    assert download(owner, job_id)[0].status_code == 200


@override_settings(UNITRACE_EXPORT_JOB_ROWS=1)
def test_a_masked_role_gets_masked_personal_data_in_the_file(api, logged):
    job_id = (
        api("auditor").get("/api/v1/changelog/export/", {"model": "parties.party"}).json()["id"]
    )
    _, content = download(api("auditor"), job_id)
    text = content.decode("utf-8-sig")
    assert "138****1234" in text and "139****1111" in text
    assert "13812341234" not in text and "13900001111" not in text
    assert "张三" not in text and "文三路" not in text
    assert "C1 张*" in text
    # a PII holder's export of the same entries shows them
    admin = api("admin", "pii-admin")
    full_id = admin.get("/api/v1/changelog/export/", {"model": "parties.party"}).json()["id"]
    full = download(admin, full_id)[1].decode("utf-8-sig")
    assert "13812341234" in full and "13900001111" in full and "张三" in full


def test_the_audit_page_and_api_mask_like_the_export(api, login, logged):
    listed = api("auditor").get("/api/v1/changelog/", {"model": "parties.party"}).json()
    texts = str(listed["results"])
    assert "138****1234" in texts and "13812341234" not in texts and "张三" not in texts
    page = login("auditor").get("/audit/", {"model": "parties.party"}).content.decode()
    assert "138****1234" in page and "13812341234" not in page and "张三" not in page
    unmasked = str(api("admin").get("/api/v1/changelog/", {"model": "parties.party"}).json())
    assert "13812341234" in unmasked


@override_settings(UNITRACE_EXPORT_JOB_ROWS=1, UNITRACE_JOBS_INLINE=False, CELERY_BROKER_URL="")
def test_scope_and_masking_are_those_of_the_owner_at_job_time(api, logged, make_user):
    """The job is queued (it would start after the request commits); before it runs, the
    auditor is granted personal data: the file is written with what they may see then."""
    auditor = make_user("auditor", "late-auditor")
    client = f.token_client(auditor)
    job_id = client.get("/api/v1/changelog/export/", {"model": "parties.party"}).json()["id"]
    assert Job.objects.get(pk=job_id).status == Job.Status.QUEUED
    auditor.user_permissions.add(Permission.objects.get(codename="view_pii"))
    run_job(job_id)
    assert "13812341234" in download(client, job_id)[1].decode("utf-8-sig")

    # and a role taken away before the job runs takes the export away
    second = client.get("/api/v1/changelog/export/", {"model": "parties.party"}).json()["id"]
    auditor.groups.remove(Group.objects.get(name="auditor"))
    run_job(second)
    job = Job.objects.get(pk=second)
    assert job.status == Job.Status.FAILED and "no longer" in job.error
    assert download(client, second)[0].status_code == 404


@override_settings(UNITRACE_EXPORT_JOB_ROWS=1)
def test_every_download_is_in_the_audit_trail(api, logged):
    client = api("auditor", "reader")
    job_id = client.get(
        "/api/v1/changelog/export/", {"as": "xlsx", "model": "parties.party"}
    ).json()["id"]
    download(client, job_id)
    download(client, job_id)
    entries = exports()
    assert len(entries) == 2
    first = entries[0]
    assert first.username == "reader" and first.object_type == "core.changelog"
    assert first.after == {
        "rows": 2,
        "format": "xlsx",
        "filters": {"model": "parties.party", "job": job_id},
    }
