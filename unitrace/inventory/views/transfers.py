"""Transfer pages: list and create, the transfer with its scan field, and its actions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from unitrace.inventory import transfers
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.models import Transfer, TransferLine
from unitrace.inventory.resolving import resolve_code
from unitrace.inventory.views.common import bin_or_error, warehouse_by_code, warehouse_codes
from unitrace.serials.selectors import units_visible_to

PAGE = 100
# The scan log's badge for a refusal: a word or two, the message says the rest.
REFUSED_LABELS = {
    "already_sold": gettext_lazy("sold"),
    "wrong_warehouse": gettext_lazy("in another warehouse"),
    "on_other_transfer": gettext_lazy("on another transfer"),
    "not_on_transfer": gettext_lazy("not on this transfer"),
    "illegal_transition": gettext_lazy("cannot move"),
    "unknown": gettext_lazy("unknown"),
    "invalid": gettext_lazy("unreadable"),
    "ambiguous": gettext_lazy("needs the barcode"),
}


@login_required
@permission_required("inventory.view_transfer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def transfer_list(request):
    form = {"from_warehouse": "", "to_warehouse": "", "notes": ""}
    failure = None
    if request.method == "POST":
        if not request.user.has_perm("inventory.add_transfer"):
            raise PermissionDenied
        form = {key: request.POST.get(key, "").strip() for key in form}
        source = warehouse_by_code(form["from_warehouse"])
        target = warehouse_by_code(form["to_warehouse"])
        try:
            if source is None or target is None:
                raise InventoryError(_("choose two active warehouses by code"), code="warehouse")
            transfer = transfers.create_transfer(
                source, target, user=request.user, notes=form["notes"]
            )
        except InventoryError as exc:
            failure = exc
        else:
            return redirect("inventory:transfer_detail", pk=transfer.pk)
    status = request.GET.get("status", "")
    queryset = Transfer.objects.select_related("from_warehouse", "to_warehouse").annotate(
        units=Count("lines"), received=Count("lines", filter=Q(lines__received_at__isnull=False))
    )
    if status in Transfer.Status.values:
        queryset = queryset.filter(status=status)
    return render(
        request,
        "inventory/transfer_list.html",
        {
            "transfers": queryset.order_by("-created_at", "-id")[:PAGE],
            "statuses": Transfer.Status.choices,
            "status": status,
            "form": form,
            "failure": failure,
            "warehouse_codes": warehouse_codes(),
        },
    )


def _lines(transfer: Transfer):
    return TransferLine.objects.filter(transfer=transfer).select_related(
        "unit__sku", "received_bin", "received_by"
    )


@login_required
@permission_required("inventory.view_transfer", raise_exception=True)
def transfer_detail(request, pk: int, *, scan_result: dict | None = None):
    transfer = get_object_or_404(
        Transfer.objects.select_related("from_warehouse", "to_warehouse"), pk=pk
    )
    return render(
        request,
        "inventory/transfer_detail.html",
        {
            "transfer": transfer,
            "lines": _lines(transfer).order_by("received_at", "unit__serial")[:1000],
            **_figures(transfer),
            "bins": transfer.to_warehouse.bins.order_by("code").values_list("code", flat=True),
            "result": scan_result,
            "is_draft": transfer.status == Transfer.Status.DRAFT,
        },
    )


def _figures(transfer: Transfer) -> dict:
    """The unit count and what is still to come, as the page and each scan show them."""
    lines = TransferLine.objects.filter(transfer=transfer)
    return {
        "line_count": lines.count(),
        "waiting": lines.filter(received_at__isnull=True).count(),
    }


@login_required
@permission_required(["inventory.view_transfer", "serials.view_unit"], raise_exception=True)
@require_POST
def transfer_scan(request, pk: int):
    """One scan: adds the unit to a draft, or receives it at the destination.

    The htmx answer declares its outcome (accepted, duplicate, refused) for the scan
    field's tone and carries the changed unit row and figures, so the list and the
    count follow every scan without reloading the page.
    """
    transfer = get_object_or_404(
        Transfer.objects.select_related("from_warehouse", "to_warehouse"), pk=pk
    )
    draft = transfer.status == Transfer.Status.DRAFT
    needed = "inventory.add_transfer" if draft else "inventory.receive_transfer"
    if not request.user.has_perm(needed):
        raise PermissionDenied
    code = request.POST.get("code", "")
    result = {"code": code, "outcome": "refused", "reason": "", "message": ""}
    found = resolve_code(code, units_visible_to(request.user).select_related("warehouse"))
    try:
        if found.unit is None:
            raise InventoryError(found.message, code=found.outcome)
        if draft:
            added = transfers.add_units(transfer, [found.unit], user=request.user)
            result.update(
                outcome="accepted" if added else "duplicate",
                label=_("added") if added else _("already on it"),
                message=_("added") if added else _("already on this transfer"),
            )
        else:
            receipt = transfers.receive_units(
                transfer,
                [found.unit],
                user=request.user,
                bin=bin_or_error(transfer.to_warehouse, request.POST.get("bin", "")),
            )
            result.update(
                outcome="accepted" if receipt.received else "duplicate",
                label=_("received") if receipt.received else _("already received"),
                message=_("received; %(n)d still to come") % {"n": receipt.remaining}
                if receipt.received
                else _("already received"),
            )
    except InventoryError as exc:
        failed = exc.rows[0] if exc.rows else None
        reason = failed.code if failed else exc.code
        result.update(
            reason=reason,
            label=str(REFUSED_LABELS.get(reason, gettext_lazy("refused"))),
            message=failed.message if failed else exc.message,
        )
    result["serial"] = found.unit.serial if found.unit else code
    if not request.htmx:
        return transfer_detail(request, pk, scan_result=result)
    line = None
    if result["outcome"] == "accepted":
        line = _lines(transfer).filter(unit=found.unit).first()
    figures = _figures(transfer)
    counts = {"units": figures["line_count"], "waiting": figures["waiting"]}
    return render(
        request,
        "inventory/_transfer_scan_result.html",
        {
            "result": result,
            "transfer": transfer,
            "line": line,
            "is_draft": draft,
            "counts_json": json.dumps(counts),
            **figures,
        },
    )


@login_required
@permission_required("inventory.view_transfer", raise_exception=True)
@require_POST
def transfer_action(request, pk: int, action: str):
    transfer = get_object_or_404(Transfer, pk=pk)
    needed = {
        "dispatch": "inventory.dispatch_transfer",
        "cancel": "inventory.add_transfer",
        "remove": "inventory.add_transfer",
        "close": "inventory.receive_transfer",
    }[action]
    if not request.user.has_perm(needed):
        raise PermissionDenied
    try:
        if action == "dispatch":
            transfers.dispatch_transfer(transfer, user=request.user)
            messages.success(request, _("Transfer dispatched: the units are in transit."))
        elif action == "cancel":
            transfers.cancel_transfer(transfer)
            messages.success(request, _("Transfer cancelled."))
        elif action == "remove":
            line = get_object_or_404(TransferLine, transfer=transfer, pk=request.POST.get("line"))
            transfers.remove_unit(transfer, line.unit)
        else:
            missing = transfers.close_receipt(
                transfer, reason=request.POST.get("reason", ""), user=request.user
            )
            messages.success(
                request,
                _("Receipt closed; %(n)d units reported missing.") % {"n": len(missing)},
            )
    except InventoryError as exc:
        messages.error(request, exc.message)
        for failed in exc.rows[:50]:
            messages.error(request, f"{failed.value}: {failed.message}")
    return redirect("inventory:transfer_detail", pk=pk)
