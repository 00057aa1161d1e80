"""Cancelling a job: queued ones never start, running ones stop at their next step and
keep nothing of their work; the page and the API both offer it, to the right people."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from unitrace.core import jobs
from unitrace.core.jobs import CancelRefused, cancel_job, job_handler, run_job, submit_job
from unitrace.core.models import Job

STARTED: list[int] = []


@job_handler("test.cancel_midway")
def cancel_midway(job, progress):
    """Writes rows in its transaction, is asked to stop, then reports progress."""
    STARTED.append(job.pk)
    with transaction.atomic():
        for _ in range(3):
            Job.objects.create(kind="test.written_by_a_job")
        progress(1)
        ask = job.params.get("ask", "service")
        if ask == "service":
            cancel_job(job.pk)  # as the page or the API would, between two steps
        else:  # another process: a committed write of the row, and no shared cache
            other = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        "UPDATE core_job SET cancel_requested = TRUE WHERE id = %s", [job.pk]
                    )
            finally:
                other.close()
            cache.clear()
        progress(2)  # the worker notices here
        Job.objects.create(kind="test.written_after_cancel")
    return {"finished": True}


@job_handler("test.quick")
def quick(job, progress):
    STARTED.append(job.pk)
    return {}


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    STARTED.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@override_settings(UNITRACE_JOBS_INLINE=False, CELERY_BROKER_URL="")
def test_a_queued_job_is_cancelled_at_once_and_never_starts(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = submit_job("test.quick", input_name="u.csv", input_data=b"serial\nA1\n")
    cancelled = cancel_job(job.pk)
    assert cancelled.status == Job.Status.CANCELLED and cancelled.finished
    run_job(job.pk)  # the worker picks it up later: nothing happens
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and job.input_data is None
    assert STARTED == []


@pytest.mark.django_db
def test_a_running_job_stops_and_keeps_nothing_half_written():
    job = submit_job("test.cancel_midway", total=2)
    assert [job.pk] == STARTED
    assert (job.status, job.result, job.finished_at is not None) == ("cancelled", {}, True)
    assert job.done == 1  # what it had reported before it stopped
    assert not Job.objects.filter(kind__startswith="test.written").exists()
    assert job.percent < 100 and job.seconds_left() is None


@pytest.mark.django_db(transaction=True)
def test_the_worker_sees_a_cancel_from_another_process_through_the_row(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: the job holds the only write lock; the cache carries it there")
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 0)
    job = submit_job("test.cancel_midway", total=2, params={"ask": "row"})
    assert job.status == Job.Status.CANCELLED
    assert not Job.objects.filter(kind__startswith="test.written").exists()


@pytest.mark.django_db
def test_an_ended_job_cannot_be_cancelled():
    job = submit_job("test.quick")
    assert job.status == Job.Status.SUCCEEDED
    with pytest.raises(CancelRefused):
        cancel_job(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


def _running(user, **fields) -> Job:
    return Job.objects.create(
        kind="units.import",
        status=Job.Status.RUNNING,
        created_by=user,
        started_at=timezone.now() - timedelta(seconds=10),
        **fields,
    )


@pytest.mark.django_db
def test_seconds_left_follows_the_pace_so_far():
    job = Job(status=Job.Status.RUNNING, total=100, done=25)
    now = timezone.now()
    job.started_at = now - timedelta(seconds=10)
    assert job.seconds_left(now) == 30  # 25 in 10 s: 75 more take 30 s
    job.done = 0
    assert job.seconds_left(now) is None  # nothing to go by yet
    job.done, job.total = 25, 0
    assert job.seconds_left(now) is None
    job.total, job.status = 100, Job.Status.QUEUED
    assert job.seconds_left(now) is None


@pytest.mark.django_db
def test_the_page_offers_cancel_to_the_owner_and_shows_time_left(login):
    client = login("warehouse", "clerk")
    user = get_user_model().objects.get(username="clerk")
    job = _running(user, total=100, done=25)
    html = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert 'id="job-cancel"' in html
    assert 'id="job-time-left"' in html
    # 25 of 100 in 10 s (and the moments the test took): about 30 s more
    left = re.search(r"about (\d+) s left", html)
    assert left and 30 <= int(left.group(1)) <= 60

    response = client.post(reverse("core:job_cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.cancel_requested and job.status == Job.Status.RUNNING  # its worker stops it
    html = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert 'id="job-cancel"' not in html and 'id="job-stopping"' in html
    assert 'id="job-time-left"' not in html  # no estimate for a job that is stopping


@pytest.mark.django_db
def test_cancel_needs_the_owner_or_change_job(login, make_user):
    owner = make_user("warehouse", "owner")
    job = _running(owner, total=10, done=1)
    stranger = login("agent", "stranger")  # no core.view_job: may not even see it
    assert stranger.post(reverse("core:job_cancel", args=[job.pk])).status_code == 404
    manager = login("manager", "boss")  # core.view_job: sees it, may not stop it
    assert (
        'id="job-cancel"'
        not in manager.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    )
    assert manager.post(reverse("core:job_cancel", args=[job.pk])).status_code == 403
    assert manager.get(reverse("core:job_cancel", args=[job.pk])).status_code == 405
    job.refresh_from_db()
    assert not job.cancel_requested
    admin = login("admin", "root")
    assert admin.post(reverse("core:job_cancel", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.cancel_requested


@pytest.mark.django_db
def test_api_cancel(api, make_user):
    client = api("warehouse", "clerk")
    running = _running(client.user, total=10, done=5)
    body = client.post(f"/api/v1/jobs/{running.pk}/cancel/")
    assert body.status_code == 202
    assert body.json()["cancel_requested"] is True and body.json()["status"] == "running"

    queued = Job.objects.create(kind="units.import", created_by=client.user)
    body = client.post(f"/api/v1/jobs/{queued.pk}/cancel/")
    assert (body.status_code, body.json()["status"]) == (200, "cancelled")

    again = client.post(f"/api/v1/jobs/{queued.pk}/cancel/")  # a retry: same answer
    assert (again.status_code, again.json()["status"]) == (200, "cancelled")
    done = Job.objects.create(kind="units.import", created_by=client.user, status="succeeded")
    ended = client.post(f"/api/v1/jobs/{done.pk}/cancel/")
    assert (ended.status_code, ended.json()["code"]) == (409, "job_finished")

    manager = api("manager", "boss")
    other = _running(client.user, total=10, done=1)
    refused = manager.post(f"/api/v1/jobs/{other.pk}/cancel/")
    assert refused.status_code == 403
    assert api("agent", "stranger").post(f"/api/v1/jobs/{other.pk}/cancel/").status_code == 404
    status = client.get(f"/api/v1/jobs/{other.pk}/").json()
    assert status["cancel_requested"] is False and status["seconds_left"] is not None


@pytest.mark.django_db
def test_the_generation_page_does_not_offer_another_import(login, make_user):
    client = login("admin", "root")
    user = make_user("warehouse", "someone")
    generated = Job.objects.create(
        kind="units.generate", status=Job.Status.SUCCEEDED, created_by=user, result={"count": 5}
    )
    html = client.get(reverse("core:job_detail", args=[generated.pk])).content.decode()
    assert reverse("serials:import") not in html.split('class="btn-row"')[1]
    assert reverse("serials:generate") in html
    imported = Job.objects.create(
        kind="units.import", status=Job.Status.SUCCEEDED, created_by=user, result={"created": 1}
    )
    html = client.get(reverse("core:job_detail", args=[imported.pk])).content.decode()
    assert reverse("serials:import") in html.split('class="btn-row"')[1]
