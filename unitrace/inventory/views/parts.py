"""Spare-part pages: stock by lot, the move form with its FEFO suggestion, journal, low stock."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unitrace.catalog.models import SKU
from unitrace.core.dates import parse_iso_day
from unitrace.inventory import parts
from unitrace.inventory.alerts import low_stock
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import PartMove, PartStock, StockAlert
from unitrace.inventory.views.common import warehouse_by_code, warehouse_codes

Type = PartMove.Type
FIELDS = (
    "type",
    "warehouse",
    "sku",
    "quantity",
    "lot",
    "expiry",
    "to_warehouse",
    "reference",
    "reason",
)


def _part_codes():
    return SKU.objects.filter(serialized=False, active=True).values_list("code", "name")[:500]


@login_required
@permission_required("inventory.view_partstock", raise_exception=True)
def part_stock(request):
    queryset = PartStock.objects.select_related("warehouse", "sku").order_by(
        "warehouse__code", "sku__code", "expiry", "lot"
    )
    values = {key: request.GET.get(key, "").strip() for key in ("warehouse", "sku")}
    if values["warehouse"]:
        queryset = queryset.filter(warehouse__code=values["warehouse"])
    if values["sku"]:
        queryset = queryset.filter(sku__code=values["sku"])
    if not request.GET.get("empty"):
        queryset = queryset.filter(quantity__gt=0)
    today = timezone.localdate()
    return render(
        request,
        "inventory/part_stock.html",
        {
            "rows": [{"stock": s, "expired": parts.is_expired(s, today)} for s in queryset[:500]],
            "values": values,
            "warehouse_codes": warehouse_codes(),
            "part_codes": _part_codes(),
        },
    )


def _move(values: dict, user) -> list[PartMove]:
    """Parse the form and call the service; refusals come back as InventoryError."""
    kind = values["type"]
    warehouse = warehouse_by_code(values["warehouse"])
    sku = SKU.objects.filter(code=values["sku"], serialized=False).first()
    if warehouse is None or sku is None:
        raise InventoryError(_("choose an active warehouse and a non-serialized part"))
    try:
        quantity = int(values["quantity"])
    except ValueError:
        raise InventoryError(_("the quantity must be a whole number"), code="bad_quantity")
    expiry = parse_iso_day(values["expiry"]) if values["expiry"] else None
    if values["expiry"] and expiry is None:
        raise InventoryError(_("the expiry date must be YYYY-MM-DD"), code="bad_date")
    force = values["force"]
    if kind == Type.ADJUST and not user.has_perm("inventory.adjust_partstock"):
        raise PermissionDenied
    if force and not user.has_perm("inventory.issue_expired_parts"):
        raise PermissionDenied
    common = {"reference": values["reference"], "reason": values["reason"]}
    lot = values["lot"]
    if kind in (Type.RECEIVE, Type.RETURN):
        return [
            parts.receive_parts(
                warehouse, sku, quantity, lot=lot, expiry=expiry, kind=kind, **common
            )
        ]
    if kind == Type.ISSUE:
        return parts.issue_parts(warehouse, sku, quantity, lot=lot or None, force=force, **common)
    if kind == Type.TRANSFER:
        target = warehouse_by_code(values["to_warehouse"])
        if target is None:
            raise InventoryError(_("choose the warehouse the parts go to"), code="warehouse")
        return parts.transfer_parts(
            warehouse, target, sku, quantity, lot=lot or None, force=force, **common
        )
    if kind == Type.ADJUST:
        return [parts.adjust_parts(warehouse, sku, quantity, lot=lot, expiry=expiry, **common)]
    raise InventoryError(_("choose what happens to the parts"), code="type")


def _suggestion(values: dict):
    warehouse = warehouse_by_code(values["warehouse"])
    sku = SKU.objects.filter(code=values["sku"], serialized=False).first()
    if warehouse is None or sku is None or not values["quantity"].isdigit():
        return None
    return parts.suggest_issue(warehouse, sku, int(values["quantity"]))


@login_required
@permission_required("inventory.add_partmove", raise_exception=True)
@require_http_methods(["GET", "POST"])
def part_move(request):
    source = request.POST if request.method == "POST" else request.GET
    values = {key: source.get(key, "").strip() for key in FIELDS}
    values["type"] = values["type"] or Type.ISSUE
    values["force"] = bool(source.get("force"))
    failure = None
    if request.method == "POST":
        try:
            moves = _move(values, request.user)
        except InventoryError as exc:
            failure = exc
        else:
            messages.success(
                request,
                _("%(n)d part moves recorded; %(sku)s balance in %(lot)s: %(balance)d")
                % {
                    "n": len(moves),
                    "sku": values["sku"],
                    "lot": moves[-1].lot or "—",
                    "balance": moves[-1].balance,
                },
            )
            return redirect("inventory:part_moves")
    return render(
        request,
        "inventory/part_move.html",
        {
            "values": values,
            "types": Type.choices,
            "failure": failure,
            "suggestion": _suggestion(values)
            if values["type"] in (Type.ISSUE, Type.TRANSFER)
            else None,
            "warehouse_codes": warehouse_codes(),
            "part_codes": _part_codes(),
        },
    )


@login_required
@permission_required("inventory.view_partmove", raise_exception=True)
def part_moves(request):
    queryset = PartMove.objects.select_related("warehouse", "sku", "counterpart")
    for key, field in (
        ("warehouse", "warehouse__code"),
        ("sku", "sku__code"),
        ("reference", "reference"),
    ):
        if request.GET.get(key):
            queryset = queryset.filter(**{field: request.GET[key].strip()})
    return render(
        request, "inventory/part_moves.html", {"moves": queryset[:200], "values": request.GET}
    )


@login_required
@permission_required(["inventory.view_partstock", "inventory.view_minstock"], raise_exception=True)
def low_stock_page(request):
    since = {
        (a.warehouse_id, a.sku_id): a.raised_at
        for a in StockAlert.objects.filter(resolved_at__isnull=True)
    }
    rows = [{"min": m, "since": since.get((m.warehouse_id, m.sku_id))} for m in low_stock()]
    return render(request, "inventory/low_stock.html", {"rows": rows})
