"""Exports: a table a user downloads as CSV or XLSX, at once or as a background job.

Every export is declared here once (``register_export``) by the module that owns its
data, with the permission it needs and a ``table`` function that answers the header,
the rows and their count *for a given user*: the data scope and the masking of
personal data are decided inside it, exactly as for the page the export comes from.

* Up to ``UNITRACE_EXPORT_JOB_ROWS`` rows (10,000 unless set) the file is written in
  the request and handed back.
* Above, an ``export`` job is queued: the worker calls ``table`` again for the job's
  owner *at job time* (a role or scope taken away meanwhile is taken away from the
  file too), writes the file with the one streaming writer (``core.sheets``) into the
  ``exports`` storage, and reports progress as the rows go. The user follows the job
  page and downloads the file from it.
* A download of a finished export is for its owner alone: anyone else, a job
  administrator included, gets 404 (the file holds what its owner may see, not what
  they may). Every download, at once or from a job, is recorded with ``log_export``.

Other jobs that produce a file (label runs) use the same storage and the same
owner-only download: their kind is declared with ``register_file_job`` and their
handler keeps the file with ``store_job_file``; the result then carries ``file``,
``filename``, ``format``, ``content_type``, ``items`` (what the download log
counts) and ``what`` (the model label the log names).
"""

from __future__ import annotations

import io
import secrets
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.audit import log_export
from unitrace.core.errors import DomainError
from unitrace.core.jobs import JobFailed, Progress, job_handler, submit_job
from unitrace.core.models import Job
from unitrace.core.sheets import CsvStream, XlsxStream

EXPORT_FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
JOB_KIND = "export"
STORAGE = "exports"
PROGRESS_EVERY = 1000  # rows between two progress reports of an export job


class ExportRefused(DomainError):
    code = "invalid_export"
    default_message = gettext_lazy("This export is not possible.")


@dataclass
class Table:
    """What an export writes, as ``user`` may see it; ``rows`` are read lazily."""

    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    count: int
    filters: dict[str, Any] = field(default_factory=dict)  # as the audit entry records


@dataclass(frozen=True)
class Export:
    name: str  # the registry key, kept in the job's parameters
    what: str  # what ``log_export`` records (a model label)
    permission: str  # needed to export, checked again at job time
    stem: str  # the file name's start
    title: Callable[[], str]  # the sheet's title, translated when written
    table: Callable[[Any, dict[str, str]], Table]  # (user, params); may raise DomainError


@dataclass
class Download:
    content: bytes
    content_type: str
    filename: str


_EXPORTS: dict[str, Export] = {}
# job kinds whose result is a file in the exports storage, downloadable by their owner
_FILE_JOB_KINDS: set[str] = {JOB_KIND}


def register_file_job(kind: str) -> str:
    """Declare that jobs of ``kind`` leave a file for their owner (``store_job_file``)."""
    _FILE_JOB_KINDS.add(kind)
    return kind


def store_job_file(job: Job, out: Any, ext: str) -> str:
    """Keep the finished file ``out`` (a binary file, read from its start) of ``job``
    in the exports storage under an unguessable name; the stored name."""
    out.seek(0)
    return storages[STORAGE].save(f"{job.pk}-{secrets.token_hex(16)}.{ext}", File(out))


def register_export(export: Export) -> Export:
    _EXPORTS[export.name] = export
    return export


def get_export(name: str) -> Export | None:
    """The export registered under ``name`` (None when there is none)."""
    return _EXPORTS.get(name)


def job_threshold() -> int:
    """Rows above which an export runs as a background job."""
    return int(getattr(settings, "UNITRACE_EXPORT_JOB_ROWS", 10_000))


def _format(fmt: str) -> str:
    if fmt not in EXPORT_FORMATS:
        raise ExportRefused(_("Export as csv or xlsx."), field="format")
    return fmt


def _filename(export: Export, fmt: str) -> str:
    return f"{export.stem}-{timezone.localtime().strftime('%Y%m%d-%H%M%S')}.{fmt}"


def write_table(out: Any, table: Table, fmt: str, title: str, progress=None) -> int:
    """Write ``table`` into the binary file ``out`` with the one writer; rows written.

    CSV is UTF-8 with a BOM, so Excel on Chinese Windows opens it right.
    """
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        stream: CsvStream | XlsxStream = CsvStream(text, table.header)
    else:
        text = None
        stream = XlsxStream(out, table.header, title)
    for row in table.rows:
        stream.write(row)
        if progress is not None and stream.rows % PROGRESS_EVERY == 0:
            progress(stream.rows)
    stream.close()
    if text is not None:
        text.flush()
        text.detach()  # leave ``out`` open for the caller
    return stream.rows


def start_export(name: str, user, params: dict[str, str], fmt: str) -> Download | Job:
    """The file now (small), or the queued job that will write it (large)."""
    export = _EXPORTS[name]
    fmt = _format(fmt)
    table = export.table(user, params)
    if table.count > job_threshold():
        return submit_job(
            JOB_KIND,
            user=user,
            total=table.count,
            params={"export": name, "format": fmt, "params": dict(params)},
        )
    out = io.BytesIO()
    rows = write_table(out, table, fmt, export.title())
    log_export(export.what, rows=rows, fmt=fmt, filters=table.filters)
    return Download(out.getvalue(), CONTENT_TYPES[fmt], _filename(export, fmt))


@job_handler(JOB_KIND)
def run_export(job: Job, progress: Progress) -> dict:
    """Write the export for its owner as they may see the data now."""
    export = _EXPORTS.get(job.params.get("export", ""))
    user = job.created_by
    if export is None or user is None or not user.is_active:
        raise JobFailed(_("This export can no longer be written."))
    if not user.has_perm(export.permission):
        raise JobFailed(_("You may no longer export these data."))
    fmt = _format(job.params.get("format", ""))
    table = export.table(user, job.params.get("params") or {})
    progress.set_total(table.count)
    with tempfile.TemporaryFile() as out:
        rows = write_table(out, table, fmt, export.title(), progress)
        progress(rows)
        stored = store_job_file(job, out, fmt)
    return {
        "exported": rows,
        "format": fmt,
        "file": stored,
        "filename": _filename(export, fmt),
        "filters": table.filters,
    }


def is_export(job: Job) -> bool:
    """Whether ``job`` leaves a file for its owner (an export or another file job)."""
    return job.kind in _FILE_JOB_KINDS


def downloadable(job: Job, user) -> bool:
    """Whether ``user`` may download the file of ``job``: its owner, once it is written."""
    return (
        is_export(job)
        and job.status == Job.Status.SUCCEEDED
        and user is not None
        and user.is_authenticated
        and job.created_by_id == user.pk
        and bool((job.result or {}).get("file"))
    )


def export_jobs_of(user):
    """The user's own finished exports (the only ones they may download)."""
    if not (user and user.is_authenticated):
        return Job.objects.none()
    return Job.objects.filter(
        kind__in=sorted(_FILE_JOB_KINDS), created_by=user, status=Job.Status.SUCCEEDED
    )


def open_download(job: Job) -> tuple[Any, str, str]:
    """(file, content type, file name) of a finished export; the download is logged."""
    result = job.result
    if job.kind == JOB_KIND:
        what, rows = _EXPORTS[job.params["export"]].what, result["exported"]
        content_type = CONTENT_TYPES[result["format"]]
    else:
        what, rows, content_type = result["what"], result["items"], result["content_type"]
    handle = storages[STORAGE].open(result["file"], "rb")
    log_export(
        what,
        rows=rows,
        fmt=result["format"],
        filters={**(result.get("filters") or {}), "job": job.pk},
    )
    return handle, content_type, result["filename"]
