"""Work orders as plain dicts, as a given user may see them: the API's bodies, the
export's rows and the pages' context share these, so masking is decided once.

Personal data (the contact's name and phone, the site address, exact GPS points) is
masked for a role without ``parties.view_pii``, as on every other page.
"""

from __future__ import annotations

from django.utils import timezone

from unitrace.geo import divisions
from unitrace.parties.masking import can_see_pii, mask_address, mask_name, mask_phone
from unitrace.sales.selectors import party_dict
from unitrace.service import access
from unitrace.service.flags import describe
from unitrace.service.models import WorkOrder
from unitrace.service.states import Channel, Kind, Mode, Priority, State, actions_from


def _time(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def region_name(code: str) -> str:
    """浙江省/杭州市/西湖区 for 330106 ("" for no code)."""
    names: list[str] = []
    division = divisions.get(code) if code else None
    while division is not None:
        names.append(division.name)
        division = divisions.get(division.parent) if division.parent else None
    return "/".join(reversed(names))


def contact_of(work_order: WorkOrder, user) -> dict[str, str]:
    """Contact name, phone and site address as ``user`` may see them."""
    if can_see_pii(user):
        return {
            "contact_name": work_order.contact_name,
            "contact_phone": work_order.contact_phone,
            "address": work_order.address,
        }
    return {
        "contact_name": mask_name(work_order.contact_name),
        "contact_phone": mask_phone(work_order.contact_phone),
        "address": mask_address(work_order.address),
    }


def _fault(code) -> dict | None:
    if code is None:
        return None
    return {"code": code.code, "name": code.name, "category": code.category.code}


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def work_order_dict(work_order: WorkOrder, user, *, detail: bool = False) -> dict:
    unit = work_order.unit
    data = {
        "id": work_order.pk,
        "number": work_order.number,
        "kind": work_order.kind,
        "kind_label": _label(Kind, work_order.kind),
        "priority": work_order.priority,
        "priority_label": _label(Priority, work_order.priority),
        "mode": work_order.mode,
        "mode_label": _label(Mode, work_order.mode),
        "channel": work_order.channel,
        "channel_label": _label(Channel, work_order.channel),
        "state": work_order.state,
        "state_label": _label(State, work_order.state),
        "opened_at": _time(work_order.opened_at),
        "unit": None
        if unit is None
        else {"id": unit.pk, "serial": unit.serial, "sku": unit.sku.code, "status": unit.status},
        "serial_given": work_order.serial_given,
        "customer": party_dict(work_order.customer, user),
        **contact_of(work_order, user),
        "adcode": work_order.adcode,
        "region": region_name(work_order.adcode),
        "window_start": _time(work_order.window_start),
        "window_end": _time(work_order.window_end),
        "fault_reported": _fault(work_order.reported_fault),
        "fault_code": _fault(work_order.fault_code),
        "assignee": work_order.assignee.get_username() if work_order.assignee_id else None,
        "partner": None
        if work_order.partner is None
        else {"code": work_order.partner.code, "name": work_order.partner.name},
        "covered": work_order.covered,
        "flag_count": work_order.flag_count,
    }
    if detail:
        data.update(
            {
                "description": work_order.description,
                "notes": work_order.notes,
                "resolution": work_order.resolution,
                "cancel_reason": work_order.cancel_reason,
                "courier_in": work_order.courier_in,
                "tracking_in": work_order.tracking_in,
                "courier_out": work_order.courier_out,
                "tracking_out": work_order.tracking_out,
                "entitlement": work_order.entitlement,
                "reopen_count": work_order.reopen_count,
                "flags": [
                    {
                        "code": flag.code,
                        "label": str(flag.get_code_display()),
                        "message": describe(flag),
                        "raised_at": _time(flag.raised_at),
                        "cleared": flag.cleared_at is not None,
                    }
                    for flag in work_order.flags.all()
                ],
                "transitions": [
                    {
                        "action": t.action,
                        "from_state": t.from_state,
                        "to_state": t.to_state,
                        "at": _time(t.at),
                        "by": t.actor.get_username() if t.actor_id else None,
                        "reason": t.reason,
                    }
                    for t in work_order.transitions.select_related("actor")
                ],
                "actions": [a.name for a in actions_for(user, work_order)],
            }
        )
    return data


def actions_for(user, work_order: WorkOrder) -> list:
    """The steps ``user`` may take now: allowed by the table from the order's state
    (``states.actions_from``) and by the person (``access.may``)."""
    return [a for a in actions_from(work_order.state) if access.may(user, work_order, a.name)]


def with_related(queryset):
    """What ``work_order_dict`` reads, in the list's one query."""
    return queryset.select_related(
        "unit__sku",
        "customer",
        "partner",
        "assignee",
        "reported_fault__category",
        "fault_code__category",
    )
