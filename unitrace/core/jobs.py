"""Background jobs: long operations with a progress bar and a status endpoint.

With a Celery broker configured the job runs on a worker; in the embedded default
(no broker) it runs in a thread of the web process after the request commits, so the
same code serves a laptop and a cluster.

Progress (``done`` of ``total``) goes to two places as the handler reports it:

* the cache, at every report: shared by every process with ``REDIS_URL``, otherwise
  only by the threads of the process that runs the job (the embedded default);
* the job row, at most every ``PROGRESS_INTERVAL`` seconds, as a write of its own that
  commits at once, so every process sees it while the job's work is still inside its
  transaction: through the job's connection while that is in autocommit, through a
  second connection on PostgreSQL while the work holds a transaction open. SQLite
  allows one writer and the job's transaction is it, so there the row catches up when
  that transaction ends and meanwhile the cache carries the progress.

Readers take the larger of the two (``live_progress``), so the figure never goes back.

Cancelling (``cancel_job``): a queued job is cancelled at once and never starts; a
running one is asked to stop through the same two channels (a cache flag, and the row's
``cancel_requested`` where the row can be written). The worker looks at each progress
report, raises ``JobCancelled`` inside the handler, and since every handler keeps its
writes in one transaction and reports progress from inside it (``register_units``, an
ASN's or a receipt's rows), what it had written is rolled back: a cancelled job leaves
nothing half-written. A handler that finishes before it next reports progress has done its work
and succeeds; the cancel came too late.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy

from unitrace.core.context import Actor, acting_as, current_actor
from unitrace.core.errors import DomainError, RowError, original_header
from unitrace.core.models import Job
from unitrace.core.sheets import csv_text, read_cell
from unitrace.core.tabular import original_rows

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between two progress writes to the job row
PROGRESS_TTL = 24 * 3600
ERROR_ROWS = 1000  # error rows a status answer carries; the report has all of them
REPORT_COLUMNS = ("row", "field", "value", "message")


@dataclass
class JobResult:
    """A handler's answer when it succeeded with rows left out: the result and their report.

    A plain dict is a result without a report. ``report`` is a CSV (row, column, value,
    error), e.g. the rows a "valid rows only" import skipped.
    """

    result: dict[str, Any]
    report: str = ""


class JobFailed(DomainError):
    """A job that ran but whose input was refused: carries the row-by-row report."""

    code = "job_failed"

    def __init__(self, message: str, *, report: str = "", result: dict | None = None):
        super().__init__(message)
        self.report = report
        self.result = result or {}


class JobCancelled(Exception):
    """Raised by ``Progress`` inside a handler whose job was asked to stop; ``run_job``
    rolls the handler's transaction back and marks the job cancelled."""


class CancelRefused(DomainError):
    """The job has already ended (succeeded, failed or cancelled): nothing to cancel."""

    code = "job_finished"
    status = 409
    default_message = gettext_lazy("This job has already ended and cannot be cancelled.")


class Progress:
    """What a handler calls to report: ``progress(done)``; ``progress.set_total(n)``.

    ``done`` only goes up (a smaller figure, e.g. a later phase counting from zero, is
    ignored). See the module docstring for where the figures go.
    """

    def __init__(self, job: Job, *, durable: bool = True) -> None:
        self.job_id = job.pk
        self.done = job.done
        self.total = job.total
        # False when the job runs inside the caller's transaction: its row is invisible
        # to others until that commits, so only the cache is worth writing.
        self.durable = durable
        self._row_done = job.done
        self._row_at: float | None = None
        self._aside = None
        self._cache_ok = True
        self._cancel_checked_at: float | None = None

    def __call__(self, done: int) -> None:
        self.check_cancelled()
        if done > self.done:
            self.done = done
            self._to_cache()
        if self.done > self._row_done and self._due():
            self._to_row(done=self.done)

    def set_total(self, total: int) -> None:
        """The job's size once the handler knows it (e.g. the rows of an uploaded file)."""
        self.check_cancelled()
        total = max(int(total), 0)
        if total != self.total:
            self.total = total
            self._to_cache()
            self._to_row(total=total)

    def check_cancelled(self) -> None:
        """Raise ``JobCancelled`` when someone asked the job to stop.

        The cache flag is read at every call (cheap, and the only channel on SQLite while
        the job holds the write lock); the row at most every ``PROGRESS_INTERVAL``.
        """
        if cancel_flagged(self.job_id):
            raise JobCancelled
        now = time.monotonic()
        if self._cancel_checked_at is not None and now - self._cancel_checked_at < (
            PROGRESS_INTERVAL
        ):
            return
        self._cancel_checked_at = now
        try:
            asked = Job.objects.filter(pk=self.job_id, cancel_requested=True).exists()
        except DatabaseError:  # best effort, as progress is; the cache still carries it
            log.warning("job %s: cancel flag not read from the row", self.job_id, exc_info=True)
            return
        if asked:
            raise JobCancelled

    def close(self) -> None:
        if self._aside is not None:
            self._aside.close()
            self._aside = None

    def _due(self) -> bool:
        return self._row_at is None or time.monotonic() - self._row_at >= PROGRESS_INTERVAL

    def _to_cache(self) -> None:
        if not self._cache_ok:
            return
        try:
            cache.set(
                _progress_key(self.job_id), {"done": self.done, "total": self.total}, PROGRESS_TTL
            )
        except Exception:  # a cache outage must not fail the job; the row still moves
            self._cache_ok = False
            log.warning("job %s: progress not written to the cache", self.job_id, exc_info=True)

    def _to_row(self, **fields: int) -> None:
        if not self.durable:
            return
        self._row_at = time.monotonic()
        try:
            if not connection.in_atomic_block:
                Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(**fields)
            elif connection.vendor == "postgresql":
                self._to_row_aside(fields)
            else:
                return  # SQLite: the job's own transaction holds the only write lock
        except DatabaseError:  # progress is best effort; the job goes on
            log.warning("job %s: progress not written to the row", self.job_id, exc_info=True)
            return
        if "done" in fields:
            self._row_done = fields["done"]

    def _to_row_aside(self, fields: dict[str, int]) -> None:
        """Write through a second connection, committed at once (autocommit)."""
        if self._aside is None:
            self._aside = connections.create_connection(DEFAULT_DB_ALIAS)
        quote = self._aside.ops.quote_name
        meta = Job._meta
        table, pk, status = quote(meta.db_table), quote(meta.pk.column), quote("status")
        assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in fields)
        # SKIP LOCKED: should the job's own transaction hold a lock on its row, skip this
        # write instead of waiting for a lock this very thread holds.
        sql = (
            f"UPDATE {table} SET {assignments} WHERE {pk} = "  # noqa: S608 - names from the model
            f"(SELECT {pk} FROM {table} WHERE {pk} = %s AND {status} = %s FOR UPDATE SKIP LOCKED)"
        )
        with self._aside.cursor() as cursor:
            cursor.execute(sql, [*fields.values(), self.job_id, Job.Status.RUNNING.value])


Handler = Callable[[Job, Progress], "dict[str, Any] | JobResult"]
_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the handler of a job kind.

    A handler that writes keeps its writes in one transaction and calls ``progress``
    from inside it: a refusal, a crash or a cancel (``JobCancelled``, raised by
    ``progress``) then leaves nothing of the job's work behind. It does not catch
    ``JobCancelled``.
    """

    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return register


def _progress_key(job_id: int) -> str:
    return f"unitrace:job:{job_id}:progress"


def _cancel_key(job_id: int) -> str:
    return f"unitrace:job:{job_id}:cancel"


def cancel_flagged(job_id: int) -> bool:
    """Whether the cache carries a request to stop the job."""
    try:
        return bool(cache.get(_cancel_key(job_id)))
    except Exception:
        log.warning("job %s: cancel flag not read from the cache", job_id, exc_info=True)
        return False


def may_cancel(job: Job, user) -> bool:
    """Whether ``user`` may stop ``job``: its owner, or a holder of ``core.change_job``,
    while it has not ended."""
    if job.finished or user is None or not user.is_authenticated:
        return False
    return job.created_by_id == user.pk or user.has_perm("core.change_job")


@contextlib.contextmanager
def _no_lock_wait() -> Iterator[None]:
    """On SQLite, fail at once instead of waiting for a write lock a running job holds
    (the cache carries the cancel then, as it carries progress); elsewhere nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (waited,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")


def cancel_job(job_id: int) -> Job:
    """Stop a job: a queued one is cancelled at once, a running one is asked to stop.

    The caller has checked ``may_cancel``. Raises ``CancelRefused`` for a job that has
    already ended. The returned job is "cancelled" or still "running" (with
    ``cancel_requested``) until its worker reaches its next progress report.
    """
    stopped = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED,
        cancel_requested=True,
        finished_at=timezone.now(),
        input_data=None,
    )
    if not stopped:
        try:
            cache.set(_cancel_key(job_id), True, PROGRESS_TTL)
        except Exception:
            log.warning("job %s: cancel flag not written to the cache", job_id, exc_info=True)
        try:
            with transaction.atomic(), _no_lock_wait():
                Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
                    cancel_requested=True
                )
        except OperationalError:  # SQLite: the running job holds the only write lock
            log.info("job %s: cancel carried by the cache only", job_id)
    job = Job.objects.defer("input_data").get(pk=job_id)
    if job.finished and job.status != Job.Status.CANCELLED:
        raise CancelRefused()
    if not job.finished:
        job.cancel_requested = True  # as asked, whichever channel carries it
    return job


def _cached_progress(job_id: int) -> dict:
    try:
        cached = cache.get(_progress_key(job_id))
    except Exception:
        log.warning("job %s: progress not read from the cache", job_id, exc_info=True)
        return {}
    return cached if isinstance(cached, dict) else {}


def live_progress(job: Job) -> Job:
    """Set ``job.done`` and ``job.total`` to the freshest figures (the row's or the cache's)
    so ``job.percent`` is live, and ``cancel_requested`` to whether a stop was asked;
    returns the job. A finished job's row is final."""
    if not job.finished:
        # on SQLite a running job's cancel request is carried by the cache alone
        job.cancel_requested = job.cancel_requested or cancel_flagged(job.pk)
        cached = _cached_progress(job.pk)
        done = int(cached.get("done") or 0)
        if done > job.done:  # the cache is ahead: take its pair of figures
            job.done = done
            job.total = int(cached.get("total") or 0) or job.total
    return job


def progress_of(job: Job) -> int:
    """Units done so far, from the row or the cache, whichever is further."""
    if job.finished:
        return job.done
    return max(job.done, int(_cached_progress(job.pk).get("done") or 0))


def report_rows(job: Job, limit: int = ERROR_ROWS) -> list[dict]:
    """The first ``limit`` rows of the job's error report, as ``RowError`` dicts.

    The CSV keeps row, column, value and message, not the code: rows read back from it
    have the generic code ``invalid``.
    """
    if not job.report:
        errors = job.result.get("errors") if isinstance(job.result, dict) else None
        return [RowError.from_dict(e).as_dict() for e in list(errors or [])[:limit]]
    reader = csv.reader(io.StringIO(job.report))
    next(reader, None)  # the (translated) header
    rows = []
    for record in reader:
        if len(rows) >= limit:
            break
        if len(record) >= len(REPORT_COLUMNS):  # then the original row, when repeated
            cells = [read_cell(c) for c in record[: len(REPORT_COLUMNS)]]
            row: dict[str, Any] = dict(zip(REPORT_COLUMNS, cells, strict=True))
            if row["row"].isdigit():
                row["row"] = int(row["row"])
            rows.append(RowError.from_dict(row).as_dict())
    return rows


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
    progress = Progress(job, durable=not connection.in_atomic_block)
    try:
        with acting_as(actor):
            progress.check_cancelled()  # asked to stop between claiming and starting
            outcome = _HANDLERS[job.kind](job, progress)
    except JobCancelled:
        _finish(job_id, Job.Status.CANCELLED, progress, done=progress.done)
        _forget_cancel(job_id)
        return
    except JobFailed as failure:
        _finish(
            job_id,
            Job.Status.FAILED,
            progress,
            done=progress.done,
            error=str(failure),
            report=with_original_rows(failure.report, job),
            result=failure.result,
        )
        return
    except Exception as exc:  # a bug: keep the job visible as failed, then log it
        log.exception("job %s failed", job_id)
        _finish(
            job_id,
            Job.Status.FAILED,
            progress,
            done=progress.done,
            error=f"{type(exc).__name__}: {exc}",
        )
        return
    finally:
        progress.close()
    if isinstance(outcome, JobResult):
        result, report = outcome.result, with_original_rows(outcome.report, job)
    else:
        result, report = outcome, ""
    _finish(
        job_id,
        Job.Status.SUCCEEDED,
        progress,
        done=progress.done or progress.total,
        result=result,
        report=report,
    )


def _forget_cancel(job_id: int) -> None:
    try:
        cache.delete(_cancel_key(job_id))
    except Exception:
        log.warning("job %s: cancel flag not removed from the cache", job_id, exc_info=True)


def with_original_rows(report: str, job: Job) -> str:
    """The job's error report with each refused row repeated as it was in the upload.

    Works for any import job whose report has the four standard columns (row, column,
    value, error) and whose upload is still at hand; a report that already carries more
    columns, or an upload that cannot be read, is returned unchanged.
    """
    if not report or not job.input_data:
        return report
    records = list(csv.reader(io.StringIO(report)))
    if len(records) < 2 or len(records[0]) != len(REPORT_COLUMNS):
        return report
    body = [[read_cell(c) for c in record] for record in records[1:]]
    numbers = {int(r[0]) for r in body if r and r[0].isdigit()}
    try:
        original = original_rows(bytes(job.input_data), job.input_name, numbers)
    except DomainError:  # e.g. a workbook too large to open again: keep the report
        original = None
    if original is None:
        return report
    header = [read_cell(c) for c in records[0]]
    return csv_text(
        [*header, *original_header(original.header)],
        ([*r, *(original.rows.get(int(r[0]), []) if r and r[0].isdigit() else [])] for r in body),
    )


def _finish(job_id: int, status: str, progress: Progress, **fields: Any) -> None:
    Job.objects.filter(pk=job_id).update(
        status=status,
        finished_at=timezone.now(),
        total=progress.total,
        input_data=None,
        **fields,
    )
