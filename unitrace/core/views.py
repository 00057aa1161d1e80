"""Job pages: list, detail with an htmx-polled progress bar, error report download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from unitrace.core.errors import DomainError
from unitrace.core.exports import (
    downloadable,
    export_jobs_of,
    get_export,
    is_export,
    open_download,
    start_export,
)
from unitrace.core.import_templates import import_template, template_bytes
from unitrace.core.jobs import CancelRefused, cancel_job, live_progress, may_cancel, report_rows
from unitrace.core.models import Job
from unitrace.core.selectors import jobs_visible_to

MAX_ERROR_ROWS = 200
KIND_LABELS = {
    "units.import": _("Unit import"),
    "units.generate": _("Serial generation"),
    "procurement.asn_import": _("ASN import"),
    "procurement.receive_file": _("Receiving from a file"),
    "catalog.sku_import": _("SKU import"),
    "catalog.batch_import": _("Batch import"),
    "places.warehouse_import": _("Warehouse and bin import"),
    "parties.party_import": _("Party import"),
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
    "skus_created": _("SKUs created"),
    "skus_updated": _("SKUs updated"),
    "batches_created": _("Batches created"),
    "batches_updated": _("Batches updated"),
    "warehouses_created": _("Warehouses created"),
    "warehouses_updated": _("Warehouses updated"),
    "bins_created": _("Bins created"),
    "parties_created": _("Parties created"),
    "parties_updated": _("Parties updated"),
    "first": _("First serial"),
    "last": _("Last serial"),
}

# where a finished master-data import sends the user: the list it filled
DONE_LINKS = {
    "catalog.sku_import": ("catalog:sku_list", _("See the SKUs")),
    "catalog.batch_import": ("catalog:batch_list", _("See the batches")),
    "places.warehouse_import": ("places:warehouse_list", _("See the warehouses")),
    "parties.party_import": ("parties:party_list", _("See the parties")),
}


def error_rows(job, limit: int = MAX_ERROR_ROWS) -> list[dict]:
    """The first rows of the job's error report (row, column, value, error)."""
    return report_rows(job, limit)


@login_required
def job_list(request):
    jobs = jobs_visible_to(request.user).select_related("created_by")[:100]
    rows = [{"job": job, "kind_label": KIND_LABELS.get(job.kind, job.kind)} for job in jobs]
    return render(request, "core/job_list.html", {"rows": rows})


def time_left_text(seconds: int | None) -> str:
    """An estimate of the time left as a person reads it ("about 3 min left")."""
    if seconds is None:
        return ""
    if seconds < 60:
        return gettext("about %(n)d s left") % {"n": seconds}
    if seconds < 3600:
        return gettext("about %(n)d min left") % {"n": round(seconds / 60)}
    return gettext("about %(h)d h %(m)d min left") % {
        "h": seconds // 3600,
        "m": seconds % 3600 // 60,
    }


def _job_context(job, user) -> dict:
    live_progress(job)
    context = {
        "job": job,
        "download": downloadable(job, user),
        "file_job": is_export(job),
        "done": job.done,
        "percent": job.percent,
        "kind_label": KIND_LABELS.get(job.kind, job.kind),
        "done_link": DONE_LINKS.get(job.kind),
        "can_cancel": may_cancel(job, user),
        "time_left": "" if job.cancel_requested else time_left_text(job.seconds_left()),
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
@require_POST
def job_cancel(request, pk: int):
    """Stop a queued or running job (its owner, or a holder of ``core.change_job``)."""
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    if not job.finished and not may_cancel(job, request.user):
        raise PermissionDenied
    try:
        job = cancel_job(job.pk)
    except CancelRefused as refused:
        messages.error(request, str(refused))
    else:
        if job.status == job.Status.CANCELLED:
            messages.success(request, gettext("The job was cancelled."))
        else:
            messages.info(
                request,
                gettext("The job stops at its next step; nothing it wrote is kept."),
            )
    return redirect("core:job_detail", pk=job.pk)


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


@login_required
def import_template_download(request, name: str):
    """The empty workbook of an import, for those who may run that import."""
    template = import_template(name)
    if template is None:
        raise Http404
    if not request.user.has_perms(template.permissions):
        raise PermissionDenied
    response = HttpResponse(
        template_bytes(template),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{template.stem}-template.xlsx"'
    return response


@login_required
def export_download(request, name: str):
    """A registered export of a list page, with that page's filters (``?format=xlsx``):
    the file at once, or the page of the job that writes a large one. The export's own
    ``table`` applies the user's data scope and masking, as the page does."""
    export = get_export(name)
    if export is None:
        raise Http404
    if not request.user.has_perm(export.permission):
        raise PermissionDenied
    params = request.GET.copy()
    fmt = params.pop("format", ["xlsx"])[-1]
    params.pop("page", None)
    try:
        outcome = start_export(name, request.user, dict(params.items()), fmt)
    except DomainError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if isinstance(outcome, Job):
        return redirect("core:job_detail", outcome.pk)
    response = HttpResponse(outcome.content, content_type=outcome.content_type)
    response["Content-Disposition"] = f'attachment; filename="{outcome.filename}"'
    return response
