from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.core.api import ActorMixin
from unitrace.core.errors import RowError, error_body
from unitrace.core.exports import downloadable
from unitrace.core.jobs import (
    ERROR_ROWS,
    JobFailed,
    cancel_job,
    live_progress,
    may_cancel,
    report_rows,
)
from unitrace.core.permissions import log_denial
from unitrace.core.selectors import jobs_visible_to
from unitrace.core.views import download_response, report_response


def job_payload(job, request=None) -> dict:
    """A job's status answer. A finished job with row errors carries the first
    ``ERROR_ROWS`` of them as ``rows``; ``report_url`` gets the full CSV report."""
    live_progress(job)
    payload = {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "result": job.result,
        "error": job.error,
        "has_report": bool(job.report),
        "cancel_requested": job.cancel_requested,
        "seconds_left": None if job.cancel_requested else job.seconds_left(),
    }
    if job.status == job.Status.FAILED or (job.finished and job.report):
        payload["rows"] = report_rows(job, ERROR_ROWS)
    url = reverse("api-job", args=[job.pk])
    report_url = reverse("api-job-report", args=[job.pk])
    if request is not None:
        url, report_url = request.build_absolute_uri(url), request.build_absolute_uri(report_url)
        payload["url"] = url
    if job.report:
        payload["report_url"] = report_url
    if request is not None and downloadable(job, request.user):
        payload["download_url"] = request.build_absolute_uri(
            reverse("api-job-download", args=[job.pk])
        )
    return payload


def job_refusal(job, request=None) -> dict:
    """A job that ran and refused its input (answered at once), in the one error body.

    ``rows`` are the handler's own rows when its result keeps them (an ASN's or a
    receipt's, with their codes), else the first ``ERROR_ROWS`` of its report; ``meta``
    is the job's status answer (id, kind, result, ``report_url``, ...).
    """
    payload = job_payload(job, request)
    reported = payload.pop("rows", [])
    kept = job.result.get("errors") if isinstance(job.result, dict) else None
    rows = [RowError.from_dict(r) for r in (kept or reported)]
    return error_body(JobFailed.code, job.error, rows=rows, meta=payload)


JOB_SCHEMA = inline_serializer(
    "Job",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(),
        "total": serializers.IntegerField(),
        "done": serializers.IntegerField(),
        "percent": serializers.IntegerField(),
        "has_report": serializers.BooleanField(),
        "cancel_requested": serializers.BooleanField(),
        "seconds_left": serializers.IntegerField(
            allow_null=True, help_text="estimate for a running job, from its pace so far"
        ),
        "rows": serializers.ListField(
            child=serializers.DictField(),
            required=False,
            help_text=f"first {ERROR_ROWS} row errors (row, field, code, message, value)",
        ),
        "report_url": serializers.URLField(required=False),
        "download_url": serializers.URLField(
            required=False, help_text="a finished export's file, for the job's owner only"
        ),
    },
)


class JobStatusView(APIView):
    """Status and progress of a background job (own jobs, or all with core.view_job)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=JOB_SCHEMA)
    def get(self, request, pk: int):
        job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
        return Response(job_payload(job, request))


class JobCancelView(ActorMixin, APIView):
    """Stop a job: queued, it never starts (200, "cancelled"); running, it stops at its
    next progress step and rolls its work back (202, ``cancel_requested``); ended: 409.

    Its owner may cancel it, and so may a holder of ``core.change_job``.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: JOB_SCHEMA, 202: JOB_SCHEMA})
    def post(self, request, pk: int):
        job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
        if not job.finished and not may_cancel(job, request.user):
            log_denial(request, "api", ["core.change_job"])
            raise PermissionDenied()
        job = cancel_job(job.pk)
        status = 200 if job.status == job.Status.CANCELLED else 202
        return Response(job_payload(job, request), status=status)


class CSVRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: text/csv``; an error then comes as a one-cell CSV."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict):
            data = str(data.get("detail", ""))
        return str(data or "").encode(self.charset)


class JobReportView(APIView):
    """The full row-by-row error report of a job, as CSV (same visibility as the job)."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="row,column,value,error"
            ),
        }
    )
    def get(self, request, pk: int):
        job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
        if not job.report:
            raise NotFound(_("This job has no error report."))
        return report_response(job)

    def handle_exception(self, exc):
        """A refusal (no such job, no report, not signed in) is the one JSON error body,
        also when the client asked for ``?format=csv``."""
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class JobDownloadView(ActorMixin, APIView):
    """The file of a finished export, for the job's owner only (anyone else: 404).

    Every download is recorded in the change log (``log_export``).
    """

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiResponse(OpenApiTypes.BINARY),
        }
    )
    def get(self, request, pk: int):
        return download_response(request.user, pk, not_found=NotFound)

    def handle_exception(self, exc):
        """A refusal is the one JSON error body, whatever the client asked for."""
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
