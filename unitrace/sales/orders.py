"""Sales orders: creating them, and their status as deliveries come in."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU
from unitrace.core.audit import log_change, save_with_log
from unitrace.core.models import ChangeLog
from unitrace.core.numbering import assign_number, placeholder
from unitrace.parties.models import Party
from unitrace.sales.models import SalesChannel, SalesOrder, SalesOrderLine

BUYER_KINDS = (Party.Kind.CUSTOMER, Party.Kind.DISTRIBUTOR)


def create_order(
    buyer: Party,
    lines: Iterable[tuple[SKU, int]],
    *,
    channel: SalesChannel | None = None,
    customer_ref: str = "",
    notes: str = "",
    user=None,
    prices: Mapping[int, Decimal] | None = None,
) -> SalesOrder:
    """A new open order; the same SKU twice becomes one line with the summed quantity.

    ``prices`` (SKU id → price per unit) is optional: an order without prices is a
    plain delivery order, and its delivery note prints no amounts.
    """
    prices = dict(prices or {})
    errors: dict[str, list[str]] = {}
    if buyer.kind not in BUYER_KINDS:
        errors["buyer"] = [_("%(party)s is not a customer or distributor.") % {"party": buyer.code}]
    elif not buyer.active:
        errors["buyer"] = [_("%(party)s is inactive.") % {"party": buyer.code}]
    if channel is not None and not channel.active:
        errors["channel"] = [_("Channel %(code)s is inactive.") % {"code": channel.code}]
    merged: OrderedDict[int, list] = OrderedDict()
    for sku, quantity in lines:
        if not sku.serialized:
            errors.setdefault("lines", []).append(
                _("SKU %(code)s is not serialized.") % {"code": sku.code}
            )
        if quantity is None or quantity < 1:
            errors.setdefault("lines", []).append(
                _("SKU %(code)s: the quantity must be at least 1.") % {"code": sku.code}
            )
            continue
        merged.setdefault(sku.pk, [sku, 0])[1] += quantity
    for sku_id, price in prices.items():
        if price is not None and price < 0:
            code = merged[sku_id][0].code if sku_id in merged else sku_id
            errors.setdefault("lines", []).append(
                _("SKU %(code)s: the price cannot be negative.") % {"code": code}
            )
    if not merged and "lines" not in errors:
        errors["lines"] = [_("An order needs at least one line.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order = SalesOrder(
            number=placeholder(),
            buyer=buyer,
            channel=channel,
            customer_ref=customer_ref,
            notes=notes,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        order.save()
        assign_number(order, "SO", timezone.localdate())
        SalesOrderLine.objects.bulk_create(
            [
                SalesOrderLine(order=order, sku=sku, quantity=qty, unit_price=prices.get(sku.pk))
                for sku, qty in merged.values()
            ]
        )
        log_change(order, ChangeLog.Action.CREATE)
    return order


def refresh_status(order: SalesOrder) -> SalesOrder:
    """Open, partially delivered or delivered, from the lines' delivered counts."""
    if order.status == SalesOrder.Status.CANCELLED:
        return order
    counts = list(order.lines.values_list("quantity", "delivered"))
    if counts and all(delivered >= quantity for quantity, delivered in counts):
        status = SalesOrder.Status.DELIVERED
    elif any(delivered for _q, delivered in counts):
        status = SalesOrder.Status.PARTIAL
    else:
        status = SalesOrder.Status.OPEN
    if status != order.status:
        order.status = status
        SalesOrder.objects.filter(pk=order.pk).update(status=status)
    return order


def cancel_order(order: SalesOrder) -> SalesOrder:
    """Only an order nothing was delivered against can be cancelled."""
    with transaction.atomic():
        locked = SalesOrder.objects.select_for_update().get(pk=order.pk)
        if locked.lines.filter(delivered__gt=0).exists():
            raise ValidationError({"status": _("Units were already delivered against this order.")})
        locked.status = SalesOrder.Status.CANCELLED
        save_with_log(locked)
    order.status = locked.status
    return order
