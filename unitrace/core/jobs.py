"""Background jobs: long operations with a progress bar and a status endpoint.

With a Celery broker configured the job runs on a worker; in the embedded default
(no broker) it runs in a thread of the web process after the request commits, so the
same code serves a laptop and a cluster. Progress lives in the cache as well as the
row, because the job's own work may sit in a transaction no one else can see yet.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from unitrace.core.context import Actor, acting_as, current_actor
from unitrace.core.models import Job

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
Handler = Callable[[Job, Progress], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}


class JobFailed(Exception):
    """A job that ran but whose input was refused: carries the row-by-row report."""

    def __init__(self, message: str, *, report: str = "", result: dict | None = None):
        super().__init__(message)
        self.report = report
        self.result = result or {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return register


def _progress_key(job_id: int) -> str:
    return f"unitrace:job:{job_id}:done"


def progress_of(job: Job) -> int:
    cached = cache.get(_progress_key(job.pk))
    return max(job.done, cached or 0)


def submit_job(
    kind: str,
    *,
    user=None,
    params: dict | None = None,
    total: int = 0,
    input_name: str = "",
    input_data: bytes | None = None,
    run_now: bool = False,
) -> Job:
    """Queue a job; ``run_now`` runs a small one inside the request instead."""
    if kind not in _HANDLERS:
        raise LookupError(f"no handler for job kind {kind!r}")
    actor = current_actor()
    job = Job.objects.create(
        kind=kind,
        created_by=user if user is not None and user.is_authenticated else None,
        ip_address=actor.ip_address,
        params=params or {},
        total=total,
        input_name=input_name,
        input_data=input_data,
    )
    if run_now or settings.UNITRACE_JOBS_INLINE:
        run_job(job.pk, actor)
        job.refresh_from_db()
    elif settings.CELERY_BROKER_URL:
        from unitrace.core.tasks import run_job_task

        transaction.on_commit(lambda: run_job_task.delay(job.pk))
    else:
        transaction.on_commit(lambda: _start_thread(job.pk, actor))
    return job


def _start_thread(job_id: int, actor: Actor) -> None:
    def target() -> None:
        close_old_connections()
        try:
            run_job(job_id, actor)
        finally:
            connection.close()

    threading.Thread(target=target, name=f"job-{job_id}", daemon=True).start()


def run_job(job_id: int, actor: Actor | None = None) -> None:
    """Run a job once; safe to call twice (a finished or running job is left alone)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    if actor is None:
        user = job.created_by
        actor = Actor(
            user_id=user.pk if user else None,
            username=user.get_username() if user else "",
            ip_address=job.ip_address,
            source="job",
        )
    key = _progress_key(job_id)

    def progress(done: int) -> None:
        cache.set(key, done, 24 * 3600)

    try:
        with acting_as(actor):
            result = _HANDLERS[job.kind](job, progress)
    except JobFailed as failure:
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            error=str(failure),
            report=failure.report,
            result=failure.result,
            input_data=None,
        )
        return
    except Exception as exc:  # a bug: keep the job visible as failed, then log it
        log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}",
            input_data=None,
        )
        return
    done = cache.get(key) or job.total
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED,
        finished_at=timezone.now(),
        result=result,
        done=done,
        input_data=None,
    )
