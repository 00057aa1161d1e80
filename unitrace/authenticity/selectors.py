"""Reads of diversion alerts: who may see which, and the channel statistics."""

from __future__ import annotations

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from unitrace.authenticity.models import DiversionAlert
from unitrace.serials.selectors import scope_party

ALERT_RELATED = ("unit", "unit__sku", "distributor", "handled_by")
_OPEN = Q(status=DiversionAlert.Status.OPEN)
_CLOSED = Q(status__in=DiversionAlert.CLOSED)


def alerts_visible_to(user) -> QuerySet[DiversionAlert]:
    """Alerts the user may see: all for staff, its own for a distributor's login."""
    if not (user.is_authenticated and user.has_perm("authenticity.view_diversionalert")):
        return DiversionAlert.objects.none()
    queryset = DiversionAlert.objects.all()
    party = scope_party(user)
    if party is not None:
        queryset = queryset.filter(distributor=party)
    return queryset


def _counted(queryset, *group_by: str) -> list[dict]:
    return list(
        queryset.values(*group_by)
        .annotate(
            total=Count("id"), open=Count("id", filter=_OPEN), closed=Count("id", filter=_CLOSED)
        )
        .order_by("-total", *group_by)
    )


def alert_stats(queryset: QuerySet[DiversionAlert]) -> dict:
    """Alerts by distributor, by region and by month, open against closed.

    Closed = acknowledged or dismissed. Months are calendar months in the local time
    zone; every figure is one GROUP BY over the (filtered) alerts.
    """
    queryset = queryset.order_by()
    totals = queryset.aggregate(
        total=Count("id"),
        open=Count("id", filter=_OPEN),
        closed=Count("id", filter=_CLOSED),
        acknowledged=Count("id", filter=Q(status=DiversionAlert.Status.ACKNOWLEDGED)),
        dismissed=Count("id", filter=Q(status=DiversionAlert.Status.DISMISSED)),
    )
    by_distributor = [
        {
            "distributor": {
                "id": row["distributor"],
                "code": row["distributor__code"],
                "name": row["distributor__name"],
            },
            "total": row["total"],
            "open": row["open"],
            "closed": row["closed"],
        }
        for row in _counted(queryset, "distributor", "distributor__code", "distributor__name")
    ]
    by_region = _counted(queryset, "province", "city")
    months = (
        queryset.annotate(month=TruncMonth("detected_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(
            total=Count("id"), open=Count("id", filter=_OPEN), closed=Count("id", filter=_CLOSED)
        )
        .order_by("month")
    )
    by_month = [
        {
            "month": row["month"].strftime("%Y-%m"),
            "total": row["total"],
            "open": row["open"],
            "closed": row["closed"],
        }
        for row in months
    ]
    return {
        **totals,
        "by_distributor": by_distributor,
        "by_region": by_region,
        "by_month": by_month,
    }


def alert_dict(alert: DiversionAlert) -> dict:
    local = timezone.localtime
    return {
        "id": alert.pk,
        "unit": {"id": alert.unit_id, "serial": alert.unit.serial, "sku": alert.unit.sku.code},
        "distributor": {
            "id": alert.distributor_id,
            "code": alert.distributor.code,
            "name": alert.distributor.name,
        },
        "delivery": {
            "ref_id": alert.delivery_ref,
            "delivered_at": local(alert.delivered_at).isoformat() if alert.delivered_at else None,
        },
        "region": {
            "province": alert.province,
            "city": alert.city,
            "district": alert.district,
            "text": alert.region,
        },
        "source": alert.source,
        "source_label": DiversionAlert.Source(alert.source).label,
        "source_ref": alert.source_ref,
        "detected_at": local(alert.detected_at).isoformat(),
        "last_seen_at": local(alert.last_seen_at).isoformat(),
        "occurrences": alert.occurrences,
        "status": alert.status,
        "status_label": DiversionAlert.Status(alert.status).label,
        "note": alert.note,
        "handled_by": alert.handled_by.get_username() if alert.handled_by_id else None,
        "handled_at": local(alert.handled_at).isoformat() if alert.handled_at else None,
    }


def unit_checks_for(user, unit, at=None) -> dict | None:
    """The unit's authenticity checks and diversion alerts, for its file page.

    ``checks`` (counts, first and last, by outcome) for staff who may read checks;
    ``alerts`` (newest first) for those who may see diversion alerts, within their
    scope. None when the user may see neither. ``at`` limits both to that moment.
    """
    from unitrace.authenticity.models import Verification

    may_checks = (
        user.is_authenticated
        and user.has_perm("authenticity.view_verification")
        and scope_party(user) is None
    )
    may_alerts = user.is_authenticated and user.has_perm("authenticity.view_diversionalert")
    if not (may_checks or may_alerts):
        return None
    result: dict = {"checks": None, "alerts": None}
    if may_checks:
        checks = Verification.objects.filter(unit=unit)
        if at is not None:
            checks = checks.filter(checked_at__lte=at)
        Outcome = Verification.Outcome
        result["checks"] = checks.aggregate(
            total=Count("id"),
            first=Min("checked_at"),
            last=Max("checked_at"),
            suspect=Count("id", filter=Q(outcome=Outcome.SUSPECT)),
            regions=Count("region_key", distinct=True, filter=~Q(region_key="")),
        )
        result["last_region"] = checks.exclude(region_key="").order_by("-checked_at", "-id").first()
    if may_alerts:
        alerts = alerts_visible_to(user).filter(unit=unit).select_related("distributor")
        if at is not None:
            alerts = alerts.filter(detected_at__lte=at)
        result["alerts"] = list(alerts.order_by("-detected_at", "-id")[:20])
    return result
