"""What intake works out about a repair request: entitlement, and flags for a person.

Flags never refuse a request: a genuine customer with an odd story must still be
served. They are recorded on the work order (``WorkOrderFlag``) so an agent sees them,
a supervisor can count them, and clearing one is a recorded act. Checks that need a
higher layer (the label's verification on the public page, which lives in
``authenticity``) arrive from the caller as ``Intake.label_verified`` and
``Intake.extra_flags``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.core.plugins import intake_flag_providers
from unitrace.geo import divisions
from unitrace.geo.resolve import resolve_address
from unitrace.parties.regions import Region, authorized, short_name
from unitrace.serials.models import Unit
from unitrace.service.models import WorkOrder, WorkOrderFlag
from unitrace.warranty.services import warranty_for

if TYPE_CHECKING:
    from unitrace.service.workorders import Intake

F = WorkOrderFlag.Code


def repeat_claim_days() -> int:
    return int(getattr(settings, "UNITRACE_REPEAT_CLAIM_DAYS", 30))


def phone_units_limit() -> int:
    """Distinct units one phone may claim within ``phone_window_days`` before a flag."""
    return int(getattr(settings, "UNITRACE_PHONE_UNITS_LIMIT", 5))


def phone_window_days() -> int:
    return int(getattr(settings, "UNITRACE_PHONE_WINDOW_DAYS", 90))


def entitlement(unit: Unit | None, when: datetime) -> dict:
    """The unit's cover on ``when`` through the one warranty function, as stored on the
    work order: ``covered`` (None when unknown), the state, the reason and the end."""
    if unit is None:
        return {
            "covered": None,
            "state": "unknown_unit",
            "reason": _("No unit identified: entitlement unknown until the serial is known."),
            "end": None,
        }
    warranty = warranty_for(unit, timezone.localdate(when))
    return {
        "covered": warranty.state == "in_warranty",
        "state": warranty.state,
        "reason": warranty.message,
        "end": warranty.end.isoformat() if warranty.end else None,
        "basis": warranty.basis,
        "by": "warranty",
    }


def _flags_for(work_order: WorkOrder, data: Intake, when: datetime) -> list[tuple[str, str, dict]]:
    found: list[tuple[str, str, dict]] = []
    unit = work_order.unit
    if unit is None:
        if work_order.serial_given:
            found.append(
                (
                    F.UNKNOWN_SERIAL,
                    _("No unit has the serial %(serial)s.") % {"serial": work_order.serial_given},
                    {"serial": work_order.serial_given},
                )
            )
    else:
        if unit.sold_at is None and unit.installed_at is None and unit.activated_at is None:
            found.append(
                (
                    F.NEVER_SOLD,
                    _("%(serial)s was never delivered or sold to anyone.")
                    % {"serial": unit.serial},
                    {"status": unit.status},
                )
            )
        if work_order.entitlement.get("state") == "expired":
            found.append(
                (
                    F.WARRANTY_EXPIRED,
                    work_order.entitlement.get("reason", ""),
                    {"end": work_order.entitlement.get("end")},
                )
            )
        since = when - timedelta(days=repeat_claim_days())
        earlier = list(
            WorkOrder.objects.filter(unit=unit, opened_at__gte=since)
            .exclude(pk=work_order.pk)
            .order_by("-opened_at")
            .values_list("number", flat=True)[:10]
        )
        if earlier:
            found.append(
                (
                    F.REPEATED_CLAIM,
                    _("%(n)d other work orders on this unit in the last %(days)d days: %(numbers)s")
                    % {
                        "n": len(earlier),
                        "days": repeat_claim_days(),
                        "numbers": ", ".join(earlier),
                    },
                    {"work_orders": earlier},
                )
            )
    since = when - timedelta(days=phone_window_days())
    units = (
        WorkOrder.objects.filter(
            contact_phone=work_order.contact_phone, opened_at__gte=since, unit__isnull=False
        )
        .values("unit_id")
        .distinct()
        .count()
    )
    if units > phone_units_limit():
        found.append(
            (
                F.PHONE_MANY_UNITS,
                _("This phone number asked for service on %(n)d units in %(days)d days.")
                % {"n": units, "days": phone_window_days()},
                {"units": units},
            )
        )
    if work_order.address and not work_order.address_resolved:
        found.append(
            (
                F.ADDRESS_UNRESOLVED,
                _("The address could not be matched to a district; check it with the customer.")
                + (f" ({work_order.address_issue})" if work_order.address_issue else ""),
                {"address": work_order.address, "candidates": _candidates(work_order.address)},
            )
        )
    region = _region_differs(work_order, unit)
    if region is not None:
        found.append(region)
    for provider in intake_flag_providers():
        found.extend(provider(unit, when))
    if data.label_verified is False:
        found.append(
            (
                F.LABEL_UNVERIFIED,
                _("The label's secret code was not confirmed."),
                {},
            )
        )
    found.extend(data.extra_flags)
    return found


def _region_differs(work_order: WorkOrder, unit: Unit | None) -> tuple[str, str, dict] | None:
    """The site lies outside where the unit was sold: the selling distributor's
    authorized regions when it has any, else the province of the holder on record.

    A unit serviced far from where it was sold is how diverted goods (窜货) and claims
    on units bought elsewhere show up; a person decides (customers move, too).
    """
    if unit is None or not work_order.adcode or not work_order.address_resolved:
        return None
    chain = divisions.index().chain(work_order.adcode)
    if not chain:
        return None
    site = Region(province=chain[0].name, city=chain[1].name if len(chain) > 1 else "")
    seller = unit.distributor
    if seller is not None and seller.regions.exists():
        if authorized(seller, site):
            return None
        return (
            WorkOrderFlag.Code.REGION_DIFFERS,
            _("The site (%(site)s) is outside the regions of %(seller)s, who sold the unit.")
            % {"site": str(site), "seller": seller.name},
            {"site": work_order.adcode, "site_name": str(site), "seller": seller.name},
        )
    holder = unit.holder
    if holder is None:
        return None
    province = divisions.get(holder.adcode[:2]) if holder.adcode else None
    held = province.name if province else holder.province  # as typed, when not resolved
    if not held or short_name(held) == short_name(site.province):
        return None
    return (
        WorkOrderFlag.Code.REGION_DIFFERS,
        _("The site (%(site)s) is in another province than the customer on record (%(held)s).")
        % {"site": str(site), "held": held},
        {"site": work_order.adcode, "site_name": str(site), "held": held},
    )


def _candidates(address: str) -> list[str]:
    """The divisions an ambiguous address could mean, for the agent to choose from."""
    return list(resolve_address(address).candidates)


def raise_flags(work_order: WorkOrder, data: Intake, when: datetime) -> int:
    """Record the work order's flags (each code once); how many were raised."""
    rows = {}
    for code, message, details in _flags_for(work_order, data, when):
        rows.setdefault(
            code,
            WorkOrderFlag(
                work_order=work_order,
                code=code,
                message=str(message)[:300],
                details=details,
                raised_at=when,
            ),
        )
    WorkOrderFlag.objects.bulk_create(rows.values())
    return len(rows)


def describe(flag: WorkOrderFlag) -> str:
    """The flag as a sentence in the reader's language, built now from its code and
    details; ``message`` (written in the intake's language) is the fallback for a flag
    whose details say too little (or a code another app raises)."""
    details = flag.details or {}
    code = flag.code
    try:
        if code == F.UNKNOWN_SERIAL and details.get("serial"):
            return _("No unit has the serial %(serial)s.") % {"serial": details["serial"]}
        if code == F.NEVER_SOLD and flag.work_order.unit_id:
            return _("%(serial)s was never delivered or sold to anyone.") % {
                "serial": flag.work_order.unit.serial
            }
        if code == F.WARRANTY_EXPIRED and details.get("end"):
            return _("The warranty ended on %(end)s.") % {"end": details["end"]}
        if code == F.REPEATED_CLAIM and details.get("work_orders"):
            numbers = [str(n) for n in details["work_orders"]]
            return _(
                "%(n)d other work orders on this unit in the last %(days)d days: %(numbers)s"
            ) % {
                "n": len(numbers),
                "days": repeat_claim_days(),
                "numbers": ", ".join(numbers),
            }
        if code == F.PHONE_MANY_UNITS and details.get("units"):
            return _("This phone number asked for service on %(n)d units in %(days)d days.") % {
                "n": int(details["units"]),
                "days": phone_window_days(),
            }
        if code == F.ADDRESS_UNRESOLVED:
            return _("The address could not be matched to a district; check it with the customer.")
        if code == F.LABEL_UNVERIFIED:
            return _("The label's secret code was not confirmed.")
        if code == F.REGION_DIFFERS and details.get("seller"):
            return _(
                "The site (%(site)s) is outside the regions of %(seller)s, who sold the unit."
            ) % {"site": details["site_name"], "seller": details["seller"]}
        if code == F.REGION_DIFFERS and details.get("held"):
            return _(
                "The site (%(site)s) is in another province than the customer on record (%(held)s)."
            ) % {"site": details["site_name"], "held": details["held"]}
        if code == F.LABEL_CLONED and details.get("reasons") and flag.work_order.unit_id:
            return _("The label of %(serial)s is checked like a copied one (%(reasons)s).") % {
                "serial": flag.work_order.unit.serial,
                "reasons": ", ".join(str(r) for r in details["reasons"]),
            }
    except (KeyError, TypeError, ValueError):  # details of an unexpected shape: the stored text
        pass
    return flag.message or str(flag.get_code_display())
