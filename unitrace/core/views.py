"""Job pages: list, detail with an htmx-polled progress bar, error report download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from unitrace.core.exports import downloadable, export_jobs_of, is_export, open_download
from unitrace.core.jobs import live_progress, report_rows
from unitrace.core.selectors import jobs_visible_to

MAX_ERROR_ROWS = 200
KIND_LABELS = {
    "units.import": _("Unit import"),
    "units.generate": _("Serial generation"),
    "export": _("Export"),
    "labels": _("Label printing"),
}
RESULT_LABELS = {
    "labels": _("Labels printed"),
    "exported": _("Rows exported"),
    "rows": _("Rows read"),
    "created": _("Units registered"),
    "error_count": _("Errors"),
    "rows_with_errors": _("Rows with errors"),
    "count": _("Serials generated"),
    "first": _("First serial"),
    "last": _("Last serial"),
}


def error_rows(job, limit: int = MAX_ERROR_ROWS) -> list[dict]:
    """The first rows of the job's error report (row, column, value, error)."""
    return report_rows(job, limit)


@login_required
def job_list(request):
    jobs = jobs_visible_to(request.user).select_related("created_by")[:100]
    rows = [{"job": job, "kind_label": KIND_LABELS.get(job.kind, job.kind)} for job in jobs]
    return render(request, "core/job_list.html", {"rows": rows})


def _job_context(job, user) -> dict:
    live_progress(job)
    context = {
        "job": job,
        "download": downloadable(job, user),
        "file_job": is_export(job),
        "done": job.done,
        "percent": job.percent,
        "kind_label": KIND_LABELS.get(job.kind, job.kind),
    }
    if job.finished:
        result = job.result if isinstance(job.result, dict) else {}
        context["result_items"] = [
            (label, result[key]) for key, label in RESULT_LABELS.items() if key in result
        ]
        context["error_rows"] = error_rows(job)
        context["error_total"] = result.get("error_count", len(context["error_rows"]))
        # "valid rows only": the job succeeded, the rows with errors were left out
        context["skipped_rows"] = (
            result.get("rows_with_errors", 0) if job.status == job.Status.SUCCEEDED else 0
        )
    return context


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    return render(request, "core/job_detail.html", _job_context(job, request.user))


@login_required
def job_progress(request, pk: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    return render(request, "core/_job_progress.html", _job_context(job, request.user))


@login_required
def job_report(request, pk: int):
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    if not job.report:
        raise Http404
    return report_response(job)


def report_response(job) -> HttpResponse:
    """The job's full error report as a CSV download (also served by the API)."""
    # BOM so Excel on Chinese Windows opens the UTF-8 report with the right encoding.
    response = HttpResponse("\ufeff" + job.report, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="job-{job.pk}-errors.csv"'
    return response


@login_required
def job_download(request, pk: int):
    return download_response(request.user, pk, not_found=Http404)


def download_response(user, pk: int, *, not_found: type[Exception]) -> FileResponse:
    """The file of the user's own finished export (page and API); logged.

    Another user's export does not exist for this one, whatever their permissions:
    the file holds what its owner may see.
    """
    job = export_jobs_of(user).filter(pk=pk).first()
    if job is None or not downloadable(job, user):
        raise not_found()
    handle, content_type, filename = open_download(job)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
