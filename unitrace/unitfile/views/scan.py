"""The scan result, as a full page and as the htmx partial under the scan field.

A composition because the summary of the unit found shows its warranty; the code is
resolved by serials (``serials.scan.resolve_scan``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from unitrace.serials.models import Unit
from unitrace.serials.scan import resolve_scan
from unitrace.serials.views.common import status_label, unit_row
from unitrace.serials.views.search import home_context
from unitrace.warranty.services import warranty_for


def _summary(unit: Unit) -> dict:
    """What a scan shows about one unit before the clerk opens its file."""
    return {
        "unit": unit,
        "status_label": status_label(unit.status),
        "warehouse": unit.warehouse if unit.warehouse_id else None,
        "warranty": warranty_for(unit),
    }


def _scan(request) -> tuple[dict, str | None]:
    """Resolve ``?code=``; returns the context and, if asked for, the file to open."""
    code = request.GET.get("code", "")
    match = resolve_scan(code, request.user)
    context = {
        "code": code,
        "match": match,
        "outcome": match.outcome,
        "found": _summary(match.unit) if match.unit else None,
        "candidates": [unit_row(u) for u in match.units],
        "go": request.GET.get("go") == "1",
    }
    target = None
    if match.unit is not None and context["go"]:
        target = reverse("serials:unit_detail", args=[match.unit.pk])
    return context, target


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def scan(request):
    """The scan page's result as a full page (the form works without JavaScript)."""
    context, target = _scan(request)
    if target:
        return redirect(target)
    return render(request, "serials/home.html", {**home_context(request), **context})


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def scan_result(request):
    """The scan result partial that htmx swaps under the scan field."""
    context, target = _scan(request)
    if target and request.htmx:
        return HttpResponseClientRedirect(target)
    if target:
        return redirect(target)
    return render(request, "serials/_scan_result.html", context)
