"""The unit list: filters, keyset pages, and the selection for label sheets."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from unitrace.parties.masking import query_filters, record_customer_read
from unitrace.serials.filters import UnitFilterSet
from unitrace.serials.labels import MAX_LABELS
from unitrace.serials.models import Unit
from unitrace.serials.selectors import UNIT_RELATED, units_visible_to
from unitrace.serials.statuses import STATUS_GROUPS, Status
from unitrace.serials.views.common import unit_row

PAGE_SIZE = 50
GROUP_LABELS = {
    "in_stock": gettext_lazy("in stock (any)"),
    "in_field": gettext_lazy("in the field"),
    "in_transit": gettext_lazy("in transit"),
    "closed": gettext_lazy("closed"),
}


def _page_links(request, rows: list[Unit], has_more: bool, backwards: bool) -> dict:
    """Keyset links, newest first: no COUNT(*) over millions of rows."""
    params = request.GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    links = {"next": None, "previous": None}
    if not rows:
        return links
    more_after = has_more if not backwards else True
    more_before = has_more if backwards else bool(request.GET.get("after"))
    if more_after:
        params["after"] = rows[-1].pk
        links["next"] = "?" + params.urlencode()
        params.pop("after")
    if more_before:
        params["before"] = rows[0].pk
        links["previous"] = "?" + params.urlencode()
    return links


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def unit_list(request):
    visible = units_visible_to(request.user).select_related(*UNIT_RELATED)
    filterset = UnitFilterSet(request.GET or None, queryset=visible)
    queryset = filterset.qs if filterset.is_bound else visible
    after = _int_or_none(request.GET.get("after"))
    before = _int_or_none(request.GET.get("before"))
    backwards = before is not None and after is None
    if backwards:
        rows = list(queryset.filter(pk__gt=before).order_by("pk")[: PAGE_SIZE + 1])
        has_more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
    else:
        if after is not None:
            queryset = queryset.filter(pk__lt=after)
        rows = list(queryset.order_by("-pk")[: PAGE_SIZE + 1])
        has_more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
    record_customer_read(
        request.user,
        Unit,
        [u.holder for u in rows],
        rows=len(rows),
        filters=query_filters(request.GET),
        what="page:units",
    )
    form = filterset.form
    return render(
        request,
        "serials/unit_list.html",
        {
            "form": form,
            "errors": form.errors if filterset.is_bound else {},
            "values": request.GET,
            "statuses": Status.choices,
            "selected_statuses": request.GET.getlist("status"),
            "groups": [(key, GROUP_LABELS.get(key, key)) for key in STATUS_GROUPS],
            "rows": [unit_row(u) for u in rows],
            "page": _page_links(request, rows, has_more, backwards),
            "page_size": PAGE_SIZE,
            "max_labels": MAX_LABELS,
            "here": request.get_full_path(),
        },
    )
