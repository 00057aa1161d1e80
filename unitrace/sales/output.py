"""Sales records as plain dicts: the API's bodies and the pages' context share them."""

from __future__ import annotations

from itertools import groupby

from django.utils import timezone

from unitrace.parties.masking import can_see_pii, is_person, mask_name, mask_phone
from unitrace.sales.models import Delivery, DeliveryItem, SalesOrder, SellThrough
from unitrace.sales.selectors import party_dict
from unitrace.serials.selectors import scope_party


def _time(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def order_dict(order: SalesOrder, user, *, detail: bool = False) -> dict:
    data = {
        "id": order.pk,
        "number": order.number,
        "status": order.status,
        "status_label": order.get_status_display(),
        "buyer": party_dict(order.buyer, user),
        "channel": order.channel.code if order.channel_id else None,
        "customer_ref": order.customer_ref,
        "created_at": _time(order.created_at),
    }
    if detail:
        data["notes"] = order.notes
        data["lines"] = [
            {
                "id": line.pk,
                "sku": line.sku.code,
                "sku_name": line.sku.name,
                "quantity": line.quantity,
                "delivered": line.delivered,
                "remaining": line.remaining,
                "unit_price": str(line.unit_price) if line.unit_price is not None else None,
            }
            for line in order.lines.select_related("sku")
        ]
        data["deliveries"] = [
            {
                "id": d.pk,
                "number": d.number,
                "delivered_at": _time(d.delivered_at),
                "unit_count": d.unit_count,
            }
            for d in order.deliveries.order_by("delivered_at", "pk")
        ]
    return data


def units_by_sku(delivery: Delivery) -> list[dict]:
    """Delivered serials grouped by SKU (sorted), as the delivery note prints them."""
    rows = (
        DeliveryItem.objects.filter(delivery=delivery)
        .order_by("line__sku__code", "unit__serial")
        .values_list("line__sku__code", "line__sku__name", "unit__serial")
    )
    groups = []
    for (code, name), items in groupby(rows, key=lambda r: (r[0], r[1])):
        serials = [serial for _c, _n, serial in items]
        groups.append({"sku": code, "name": name, "count": len(serials), "serials": serials})
    return groups


def delivery_dict(delivery: Delivery, user, *, detail: bool = False) -> dict:
    data = {
        "id": delivery.pk,
        "number": delivery.number,
        "order": delivery.order.number,
        "order_id": delivery.order_id,
        "warehouse": delivery.warehouse.code,
        "buyer": party_dict(delivery.buyer, user),
        "delivered_at": _time(delivery.delivered_at),
        "unit_count": delivery.unit_count,
        "notes": delivery.notes,
        "carrier": delivery.carrier,
        "tracking_number": delivery.tracking_number,
    }
    if detail:
        data["units"] = units_by_sku(delivery)
    return data


def customer_as_given(sale: SellThrough, user) -> dict:
    """The sale's customer as a partner login may see it: only what was typed for it.

    A distributor never sees the customer record's name, phone or address (another
    distributor or staff may have given or changed them): it sees the name and phone
    recorded with this sale (phone and a person's name masked without ``parties.view_pii``) and the
    sale's region. A sale recorded without them (before they were kept, or by an
    activation) shows the record's name and phone masked.
    """
    customer = sale.customer
    visible = can_see_pii(user)
    if sale.customer_phone:
        phone = sale.customer_phone if visible else mask_phone(sale.customer_phone)
    else:
        phone = mask_phone(customer.phone)
    if sale.customer_name and (visible or not is_person(customer)):
        name = sale.customer_name
    else:
        name = mask_name(sale.customer_name or customer.name)
    return {
        "id": customer.pk,
        "code": customer.code,
        "name": name,
        "kind": customer.kind,
        "phone": phone,
        "region": sale.region,
    }


def sell_through_dict(sale: SellThrough, user) -> dict:
    """A sell-through; a partner login sees the customer only as given (``customer_as_given``)."""
    scoped = scope_party(user) is not None
    return {
        "id": sale.pk,
        "serial": sale.unit.serial,
        "sku": sale.unit.sku.code,
        "distributor": {"code": sale.distributor.code, "name": sale.distributor.name},
        "customer": customer_as_given(sale, user) if scoped else party_dict(sale.customer, user),
        "sold_at": _time(sale.sold_at),
        "region": sale.region,
        "in_region": sale.in_region,
    }
