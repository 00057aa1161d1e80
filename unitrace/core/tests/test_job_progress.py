"""Job progress is durable and cross-process: the row moves while the job runs.

"Another process" is simulated by clearing the cache (a Celery worker or a second web
process shares no local-memory cache) or, on PostgreSQL, by reading through a second
connection. These tests run the job in autocommit like a real worker or thread does,
hence ``transaction=True``; they create no units (SQLite's append-only ledger triggers
would refuse the flush).
"""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from unitrace.core import jobs
from unitrace.core.jobs import job_handler, progress_of, submit_job
from unitrace.core.models import Job

OBSERVERS: list = []


@job_handler("test.steps")
def steps(job, progress):
    for done in job.params["steps"]:
        if job.params.get("atomic"):
            with transaction.atomic():  # like register_units: the job's own transaction
                progress(done)
                OBSERVERS[-1](job.pk, done)
        else:
            progress(done)
            OBSERVERS[-1](job.pk, done)
    return {}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Job ids are reused from test to test: no progress cached by an earlier one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def observe():
    seen: list = []

    def install(look):
        OBSERVERS.append(lambda pk, done: seen.append(look(pk, done)))
        return seen

    yield install
    OBSERVERS.clear()


def _row_done(pk: int) -> int:
    return Job.objects.values_list("done", flat=True).get(pk=pk)


@pytest.mark.django_db(transaction=True)
def test_status_api_shows_live_monotonic_percent_from_another_process(observe, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 0)
    user = get_user_model().objects.create_superuser("poller", password="pw-123456-x")
    client = APIClient()
    client.force_authenticate(user)

    def poll(pk, done):
        cache.clear()  # a process that does not share the job's cache sees only the row
        body = client.get(f"/api/v1/jobs/{pk}/").json()
        return body["status"], body["done"], body["percent"]

    seen = observe(poll)
    # 20 after 40: a later phase counting again from zero must not move the bar back
    job = submit_job("test.steps", user=user, total=100, params={"steps": [10, 40, 20, 100]})
    assert seen == [
        ("running", 10, 10),
        ("running", 40, 40),
        ("running", 40, 40),
        ("running", 100, 99),  # never 100% before the job has ended
    ]
    job.refresh_from_db()
    assert (job.status, job.done, job.percent) == ("succeeded", 100, 100)


@pytest.mark.django_db(transaction=True)
def test_row_writes_are_throttled_the_cache_is_not(observe, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 3600)
    seen = observe(lambda pk, done: (_row_done(pk), progress_of(Job.objects.get(pk=pk))))
    job = submit_job("test.steps", total=100, params={"steps": [10, 40, 70]})
    assert seen == [(10, 10), (10, 40), (10, 70)]  # first report written, then throttled
    job.refresh_from_db()
    assert (job.status, job.done) == ("succeeded", 70)


@pytest.mark.django_db(transaction=True)
def test_progress_inside_the_jobs_own_transaction(observe, monkeypatch):
    """PostgreSQL: a second connection commits it at once. SQLite: the job's transaction
    holds the only write lock, so the row waits and the cache carries it (no lock wait)."""
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 0)
    postgres = connection.vendor == "postgresql"

    def look(pk, done):
        if postgres:
            other = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT done FROM core_job WHERE id = %s", [pk])
                    row = cursor.fetchone()[0]
            finally:
                other.close()
        else:
            row = _row_done(pk)
        return row, progress_of(Job.objects.get(pk=pk))

    seen = observe(look)
    started = time.monotonic()
    job = submit_job("test.steps", total=50, params={"steps": [10, 30], "atomic": True})
    assert time.monotonic() - started < 3
    assert seen == ([(10, 10), (30, 30)] if postgres else [(0, 10), (0, 30)])
    job.refresh_from_db()
    assert (job.status, job.done) == ("succeeded", 30)


@pytest.mark.django_db
def test_inside_a_callers_transaction_progress_stays_in_the_cache(observe, monkeypatch):
    """A small job run inside the request's transaction: no one else sees its row yet."""
    monkeypatch.setattr(jobs, "PROGRESS_INTERVAL", 0)
    seen = observe(lambda pk, done: (_row_done(pk), progress_of(Job.objects.get(pk=pk))))
    job = submit_job("test.steps", total=20, params={"steps": [5, 20]})
    assert seen == [(0, 5), (0, 20)]
    assert (job.status, job.done) == ("succeeded", 20)


@pytest.mark.parametrize(
    ("status", "done", "total", "percent"),
    [
        ("running", 0, 0, 0),
        ("running", 30, 120, 25),
        ("running", 120, 120, 99),
        ("succeeded", 3, 120, 100),
        ("failed", 60, 120, 50),
    ],
)
def test_percent(status, done, total, percent):
    assert Job(status=status, done=done, total=total).percent == percent


@pytest.mark.django_db
def test_import_without_a_row_count_gets_one_from_the_file(sku):
    """The API queues an import without ``total``: the job counts the lines itself."""
    data = b"serial\nIMP001\nIMP002\nIMP003\n"
    job = submit_job("units.import", input_name="u.csv", input_data=data, params={"sku": sku.pk})
    assert (job.status, job.total, job.done, job.result["created"]) == ("succeeded", 3, 3, 3)


@pytest.mark.django_db
def test_progress_bar_shows_the_freshest_figures(client):
    user = get_user_model().objects.create_superuser("watcher", password="pw-123456-x")
    client.force_login(user)
    job = Job.objects.create(kind="units.generate", status="running", total=120, done=30)
    url = reverse("core:job_progress", args=[job.pk])
    html = client.get(url).content.decode()
    assert 'aria-valuenow="25"' in html and "30 / 120" in html  # the row, no cache
    cache.set(jobs._progress_key(job.pk), {"done": 60, "total": 120})
    html = client.get(url).content.decode()
    assert 'aria-valuenow="50"' in html and "60 / 120" in html  # the cache is further
