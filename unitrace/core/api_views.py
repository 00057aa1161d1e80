from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from unitrace.core.jobs import progress_of
from unitrace.core.selectors import jobs_visible_to


def job_payload(job, request=None) -> dict:
    payload = {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "total": job.total,
        "done": progress_of(job),
        "percent": job.percent,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "result": job.result,
        "error": job.error,
        "has_report": bool(job.report),
    }
    if request is not None:
        payload["url"] = request.build_absolute_uri(f"/api/v1/jobs/{job.pk}/")
    return payload


class JobStatusView(APIView):
    """Status and progress of a background job (own jobs, or all with core.view_job)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=inline_serializer(
            "Job",
            {
                "id": serializers.IntegerField(),
                "status": serializers.CharField(),
                "percent": serializers.IntegerField(),
            },
        )
    )
    def get(self, request, pk: int):
        job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
        return Response(job_payload(job, request))
