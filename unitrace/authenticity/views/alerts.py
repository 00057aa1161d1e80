"""Diversion alerts for the channel team: the list, the handling, the statistics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unitrace.authenticity.diversion import set_alert_status
from unitrace.authenticity.filters import DiversionAlertFilterSet
from unitrace.authenticity.models import DiversionAlert
from unitrace.authenticity.selectors import ALERT_RELATED, alert_stats, alerts_visible_to
from unitrace.serials.selectors import units_visible_to

PAGE_SIZE = 50
# Reuse the colours of unit statuses: red = needs action, amber = in hand, grey = closed.
BADGES = {
    "open": "status-blocked",
    "acknowledged": "status-in_transit",
    "dismissed": "status-scrapped",
}


def _filtered(request):
    visible = alerts_visible_to(request.user).select_related(*ALERT_RELATED)
    filterset = DiversionAlertFilterSet(request.GET or None, queryset=visible)
    queryset = filterset.qs if filterset.is_bound else visible
    return filterset, queryset


@login_required
@permission_required("authenticity.view_diversionalert", raise_exception=True)
def alert_list(request):
    filterset, queryset = _filtered(request)
    page = Paginator(queryset.order_by("-detected_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    visible_units = set(
        units_visible_to(request.user)
        .filter(pk__in=[a.unit_id for a in page])
        .values_list("pk", flat=True)
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "authenticity/alert_list.html",
        {
            "page": page,
            "rows": [
                {"alert": a, "unit_link": a.unit_id in visible_units, "badge": BADGES[a.status]}
                for a in page
            ],
            "form": filterset.form,
            "values": request.GET,
            "statuses": DiversionAlert.Status.choices,
            "selected_statuses": request.GET.getlist("status"),
            "sources": DiversionAlert.Source.choices,
            "query": params.urlencode(),
            "here": request.get_full_path(),
            "can_handle": request.user.has_perm("authenticity.change_diversionalert"),
        },
    )


@login_required
@permission_required("authenticity.change_diversionalert", raise_exception=True)
@require_POST
def alert_status(request, pk: int):
    alert = get_object_or_404(alerts_visible_to(request.user), pk=pk)
    try:
        set_alert_status(
            alert.pk,
            request.POST.get("status", ""),
            user=request.user,
            note=request.POST.get("note", "")[:2000],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Alert %(id)s updated.") % {"id": alert.pk})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = ""
    return redirect(target or "authenticity:alert_list")


@login_required
@permission_required("authenticity.view_diversionalert", raise_exception=True)
def alert_stats_page(request):
    filterset, queryset = _filtered(request)
    return render(
        request,
        "authenticity/alert_stats.html",
        {"stats": alert_stats(queryset), "values": request.GET, "form": filterset.form},
    )
