"""The auditor's page: the change log with filters, pages of entries, CSV/XLSX export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from unitrace.core.audit_trail import FILTERS, entries, export, masked, parse_filters
from unitrace.core.errors import DomainError
from unitrace.core.models import ChangeLog, Job
from unitrace.core.permissions import needs

PAGE_SIZE = 50


@needs("core.view_changelog")
def changelog(request):
    error = None
    try:
        filters = parse_filters(request.GET)
        query = entries(filters)
    except DomainError as exc:
        error, query = exc, ChangeLog.objects.none()
    page = Paginator(query, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "core/changelog.html",
        {
            "page": page,
            "entries": masked(page, request.user),
            "values": {name: request.GET.get(name, "") for name in FILTERS},
            "actions": ChangeLog.Action.choices,
            "error": error,
            "query": params.urlencode(),
        },
    )


@needs("core.view_changelog")
def changelog_export(request):
    """The file at once, or (a large export) the page of the job that writes it."""
    params = request.GET.copy()
    fmt = params.pop("as", ["csv"])[-1]
    try:
        outcome = export(request.user, params, fmt)
    except DomainError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if isinstance(outcome, Job):
        return redirect("core:job_detail", outcome.pk)
    response = HttpResponse(outcome.content, content_type=outcome.content_type)
    response["Content-Disposition"] = f'attachment; filename="{outcome.filename}"'
    return response
