"""Row-by-row error reports of jobs: in the status answer, over the API, on the job page."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from unitrace.core.jobs import ERROR_ROWS, submit_job
from unitrace.core.models import Job

pytestmark = pytest.mark.django_db

BAD_CSV = b"sku,serial\nAC-100,IMP001\nNOPE,IMP002\nAC-100,IMP001\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Job ids are reused from test to test: no progress cached by an earlier one."""
    cache.clear()
    yield
    cache.clear()


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel on Chinese Windows reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def _report(n: int) -> str:
    lines = ["row,column,value,error", *(f"{i},serial,S{i},bad serial" for i in range(2, n + 2))]
    return "\n".join(lines) + "\n"


def test_token_client_gets_the_rows_and_the_full_report_of_a_failed_import(api, sku):
    client = api("engineer", "owner")
    job = submit_job("units.import", user=client.user, input_name="u.csv", input_data=BAD_CSV)
    assert job.status == Job.Status.FAILED
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["has_report"] is True
    assert body["rows"] == [  # read back from the CSV report, which keeps no code
        {
            "row": 3,
            "field": "sku",
            "code": "invalid",
            "message": "unknown SKU 'NOPE'",
            "value": "NOPE",
        },
        {
            "row": 4,
            "field": "serial",
            "code": "invalid",
            "message": "duplicate of row 2 in this file",
            "value": "IMP001",
        },
    ]
    assert body["report_url"] == f"http://testserver/api/v1/jobs/{job.pk}/report/"
    rows = _csv(client.get(body["report_url"]))
    # the report's own columns, then the refused row as it was in the upload
    assert rows[0] == ["row", "column", "value", "error", "original: sku", "original: serial"]
    assert ["3", "sku", "NOPE", "unknown SKU 'NOPE'", "NOPE", "IMP002"] in rows
    assert ["4", "serial", "IMP001", "duplicate of row 2 in this file", "AC-100", "IMP001"] in rows
    # a client that asks for CSV explicitly is not refused (406)
    assert _csv(client.get(body["report_url"], HTTP_ACCEPT="text/csv")) == rows


def test_status_carries_the_first_rows_the_report_all_of_them(api):
    client = api("engineer", "owner")
    job = Job.objects.create(
        kind="units.import",
        status=Job.Status.FAILED,
        created_by=client.user,
        report=_report(ERROR_ROWS + 500),
    )
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert len(body["rows"]) == ERROR_ROWS == 1000
    assert body["rows"][0] == {
        "row": 2,
        "field": "serial",
        "code": "invalid",
        "message": "bad serial",
        "value": "S2",
    }
    assert len(_csv(client.get(f"/api/v1/jobs/{job.pk}/report/"))) == 1 + ERROR_ROWS + 500


def test_report_is_permission_checked_like_the_job(api, make_user):
    owner = api("engineer", "owner")
    job = Job.objects.create(
        kind="units.import", status=Job.Status.FAILED, created_by=owner.user, report=_report(2)
    )
    url = f"/api/v1/jobs/{job.pk}/report/"
    assert owner.get(url).status_code == 200
    stranger = api("engineer", "stranger")  # no core.view_job: only their own jobs
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert api("manager").get(url).status_code == 200  # a role that sees all jobs
    assert APIClient().get(url).status_code == 401
    clean = Job.objects.create(kind="units.generate", status="succeeded", created_by=owner.user)
    assert owner.get(f"/api/v1/jobs/{clean.pk}/report/").status_code == 404
    assert "report_url" not in owner.get(f"/api/v1/jobs/{clean.pk}/").json()


def test_a_running_job_has_no_rows_yet(api):
    client = api("engineer", "owner")
    job = Job.objects.create(kind="units.import", status="running", created_by=client.user)
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert "rows" not in body and body["has_report"] is False


def test_valid_rows_only_keeps_the_full_report_of_the_skipped_rows(client, make_user, sku):
    """Rows with errors are skipped, the job succeeds, and every skipped row is reported."""
    user = make_user("warehouse", "clerk")
    skipped = ERROR_ROWS + 5
    data = b"serial\nIMP001\n" + b"IMP001\n" * skipped  # one good row, then duplicates
    job = submit_job(
        "units.import",
        user=user,
        input_name="u.csv",
        input_data=data,
        params={"mode": "valid-only", "sku": sku.pk},
    )
    assert job.status == Job.Status.SUCCEEDED
    assert (job.result["created"], job.result["error_count"]) == (1, skipped)
    assert len(job.result["errors"]) == ERROR_ROWS  # the result keeps the first ones only
    report = list(csv.reader(io.StringIO(job.report)))
    assert len(report) == 1 + skipped
    assert report[0][-1] == "original: serial"  # the skipped row repeated beside its message
    assert report[-1] == [
        str(skipped + 2),
        "serial",
        "IMP001",
        "duplicate of row 2 in this file",
        "IMP001",
    ]

    client.force_login(user)
    html = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert reverse("core:job_report", args=[job.pk]) in html
    # a count people read has its thousands separator (1,005)
    assert f"{skipped:,} rows had errors and were skipped; the valid rows were registered" in html
    assert "the report has all of them" in html
    assert len(_csv(client.get(reverse("core:job_report", args=[job.pk])))) == 1 + skipped

    token = APIClient()
    token.force_authenticate(user)
    body = token.get(f"/api/v1/jobs/{job.pk}/").json()
    assert len(body["rows"]) == ERROR_ROWS and body["report_url"].endswith("/report/")
    assert len(_csv(token.get(body["report_url"]))) == 1 + skipped


def test_clean_import_page_says_done_without_report(client, make_user, sku):
    user = make_user("warehouse", "clerk")
    job = submit_job(
        "units.import",
        user=user,
        input_name="u.csv",
        input_data=b"serial\nIMP001\n",
        params={"mode": "valid-only", "sku": sku.pk},
    )
    assert (job.status, job.report) == (Job.Status.SUCCEEDED, "")
    client.force_login(user)
    html = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "Done." in html and "skipped" not in html
    assert reverse("core:job_report", args=[job.pk]) not in html
    assert client.get(reverse("core:job_report", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("query", ["", "?format=csv"])
def test_a_missing_report_answers_the_one_json_error_body(api, query):
    client = api("engineer", "owner")
    clean = Job.objects.create(kind="units.generate", status="succeeded", created_by=client.user)

    for url in (f"/api/v1/jobs/{clean.pk}/report/", f"/api/v1/jobs/{clean.pk + 1}/report/"):
        response = client.get(url + query)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"code", "detail", "field", "rows"}
