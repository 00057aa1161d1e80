"""Background jobs: progress, failure with a report, attribution, run-once."""

import pytest
from django.test import override_settings

from unitrace.core.context import Actor, acting_as
from unitrace.core.jobs import JobFailed, job_handler, progress_of, run_job, submit_job
from unitrace.core.models import Job

pytestmark = pytest.mark.django_db
calls: list[str] = []


@job_handler("test.ok")
def ok(job, progress):
    from unitrace.core.context import current_actor

    progress(7)
    calls.append(current_actor().username)
    return {"n": job.params["n"]}


@job_handler("test.refused")
def refused(job, progress):
    raise JobFailed("2 bad rows", report="row,error\n2,x\n", result={"rows": 2})


@job_handler("test.bug")
def bug(job, progress):
    raise ZeroDivisionError("boom")


def test_job_runs_with_progress_and_actor():
    calls.clear()
    with acting_as(Actor(username="clerk", source="web")):
        job = submit_job("test.ok", params={"n": 3}, total=7)
    assert (job.status, job.result, job.done, job.percent) == ("succeeded", {"n": 3}, 7, 100)
    assert calls == ["clerk"]
    run_job(job.pk)  # a second run is a no-op
    assert calls == ["clerk"]


def test_refused_and_crashed_jobs_are_visible():
    job = submit_job("test.refused")
    assert (job.status, job.error, job.report) == ("failed", "2 bad rows", "row,error\n2,x\n")
    crashed = submit_job("test.bug")
    assert crashed.status == "failed" and "ZeroDivisionError: boom" in crashed.error


@override_settings(UNITRACE_JOBS_INLINE=False, CELERY_BROKER_URL="")
def test_embedded_mode_defers_to_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = submit_job("test.ok", params={"n": 1}, total=7)
    assert Job.objects.get(pk=job.pk).status == "queued"
    assert len(callbacks) == 1
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded" and progress_of(job) == 7


def test_unknown_kind_is_refused():
    with pytest.raises(LookupError):
        submit_job("nope")
