"""The auditor's page: the change log with filters, pages of entries, CSV/XLSX export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from unitrace.core.audit_trail import FILTERS, AuditFilterRefused, entries, export, parse_filters
from unitrace.core.models import ChangeLog
from unitrace.core.permissions import needs

PAGE_SIZE = 50


@needs("core.view_changelog")
def changelog(request):
    error = None
    try:
        filters = parse_filters(request.GET)
        query = entries(filters)
    except AuditFilterRefused as exc:
        error, query = exc, ChangeLog.objects.none()
    page = Paginator(query, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "core/changelog.html",
        {
            "page": page,
            "entries": list(page),
            "values": {name: request.GET.get(name, "") for name in FILTERS},
            "actions": ChangeLog.Action.choices,
            "error": error,
            "query": params.urlencode(),
        },
    )


@needs("core.view_changelog")
def changelog_export(request):
    try:
        content, kind, name = export(parse_filters(request.GET), request.GET.get("as", "csv"))
    except AuditFilterRefused as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
