"""The unit's file page: identity, place, warranty, history, components, where used,
and the authenticity card — everything the API's unit file holds, as of ``?at=``.

Reads through ``unit_for_file`` and ``unitfile.selectors.unit_file`` (fixed SQL per
connection, ADR 0003).
"""

from __future__ import annotations

from datetime import datetime

import segno
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from unitrace.core.dates import parse_moment
from unitrace.parties.masking import query_filters
from unitrace.serials.access import record_history_read
from unitrace.serials.selectors import unit_for_file
from unitrace.serials.views.common import status_label
from unitrace.service.access import may_list, work_orders_visible_to
from unitrace.unitfile.selectors import unit_file

WORK_ORDERS_SHOWN = 50


def _work_orders(user, unit) -> list:
    """The unit's work orders the user may see (their scope), newest first."""
    if not may_list(user):
        return []
    return list(
        work_orders_visible_to(user)
        .filter(unit=unit)
        .only("pk", "number", "kind", "state", "opened_at")
        .order_by("-opened_at", "-id")[:WORK_ORDERS_SHOWN]
    )


def _dt(value):
    """ISO text from ``unit_file`` back to a date-time the template can format."""
    if not value or not isinstance(value, str):
        return value
    return parse_datetime(value) or parse_date(value) or value


def _tree(nodes: list[dict]) -> list[dict]:
    return [
        {
            **node,
            "installed_at": _dt(node["installed_at"]),
            "status_label": status_label(node["status"]),
            "children": _tree(node["children"]),
        }
        for node in nodes
    ]


def _parse_at(raw: str) -> tuple[datetime | None, str]:
    raw = raw.strip()
    if not raw:
        return None, ""
    value = parse_moment(raw, whole_day=True)
    if value is None:
        return None, _(
            "'%(value)s' is not a date and time between 2000 and a year from now "
            "(use YYYY-MM-DD HH:MM)"
        ) % {"value": raw}
    return value, ""


def _qr_svg(url: str, title: str) -> str:
    qr = segno.make(url, error="m")
    # segno escapes the title; the rest is its own path data
    return mark_safe(qr.svg_inline(scale=4, border=2, omitsize=True, svgclass="qr", title=title))


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def unit_detail(request, pk: int):
    unit = unit_for_file(request.user, pk) if pk < 2**63 else None
    if unit is None:
        raise Http404
    at, at_error = _parse_at(request.GET.get("at", ""))
    data = unit_file(unit, request.user, at)
    events = [
        {
            **event,
            "time": _dt(event["time"]),
            "from_label": status_label(event["from_status"]) if event["from_status"] else "",
            "to_label": status_label(event["to_status"]) if event["to_status"] else "",
        }
        for event in reversed(data["events"])
    ]
    show_events = request.user.has_perm("serials.view_unitevent")
    if show_events:
        record_history_read(
            request.user,
            unit,
            data["events"],
            what="page:unit-file",
            filters=query_filters(request.GET),
        )
    dates = {name: _dt(value) for name, value in data["dates"].items()}
    where_used = [{**p, "status_label": status_label(p["status"])} for p in data["where_used"]]
    return render(
        request,
        "unitfile/unit_detail.html",
        {
            "unit": unit,
            "file": data,
            "events": events,
            "dates": dates,
            "components": _tree(data["components"]),
            "where_used": where_used,
            "qr_svg": _qr_svg(data["qr_url"], unit.serial),
            "at": at,
            "at_value": timezone.localtime(at).strftime("%Y-%m-%dT%H:%M") if at else "",
            "at_error": at_error,
            "show_events": show_events,
            "work_orders": _work_orders(request.user, unit),
            "may_list_work_orders": may_list(request.user),
        },
    )
