"""``{% unit_authenticity unit %}``: the unit file's card of checks and diversion alerts."""

from __future__ import annotations

from django import template

from unitrace.authenticity.selectors import unit_checks_for
from unitrace.authenticity.views.alerts import BADGES

register = template.Library()


@register.inclusion_tag("authenticity/_unit_card.html", takes_context=True)
def unit_authenticity(context, unit, at=None) -> dict:
    """Rendered only for users allowed to read checks or alerts (else nothing)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    data = unit_checks_for(user, unit, at) if user is not None else None
    if data is None:
        return {"show": False}
    alerts = data["alerts"]
    return {
        "show": True,
        "unit": unit,
        "at": at,
        "checks": data["checks"],
        "last_region": data.get("last_region"),
        "alerts": None
        if alerts is None
        else [{"alert": a, "badge": BADGES[a.status]} for a in alerts],
    }
