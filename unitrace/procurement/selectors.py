"""Reads that matter: which orders a user may see, and supplier quality figures."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from unitrace.parties.models import Party
from unitrace.procurement.matching import REFUSALS, TALLY
from unitrace.procurement.models import PurchaseOrder, Receipt, SuspectUnit
from unitrace.serials.selectors import scope_party

TALLY_FIELDS = ["scanned", *TALLY.values()]


def orders_visible_to(user) -> QuerySet[PurchaseOrder]:
    """The one place order visibility is decided; a partner login sees only its own."""
    if not (user.is_authenticated and user.has_perm("procurement.view_purchaseorder")):
        return PurchaseOrder.objects.none()
    party = scope_party(user)
    queryset = PurchaseOrder.objects.all()
    if party is not None:
        queryset = queryset.filter(supplier=party)
    return queryset


def suspects_visible_to(user) -> QuerySet[SuspectUnit]:
    if not (user.is_authenticated and user.has_perm("procurement.view_suspectunit")):
        return SuspectUnit.objects.none()
    party = scope_party(user)
    queryset = SuspectUnit.objects.all()
    if party is not None:
        queryset = queryset.filter(order__supplier=party)
    return queryset


def receipts_visible_to(user) -> QuerySet[Receipt]:
    if not (user.is_authenticated and user.has_perm("procurement.view_receipt")):
        return Receipt.objects.none()
    party = scope_party(user)
    queryset = Receipt.objects.all()
    if party is not None:
        queryset = queryset.filter(order__supplier=party)
    return queryset


def suppliers_visible_to(user) -> QuerySet[Party]:
    if not (user.is_authenticated and user.has_perm("parties.view_party")):
        return Party.objects.none()
    queryset = Party.objects.filter(kind=Party.Kind.SUPPLIER)
    party = scope_party(user)
    if party is not None:
        queryset = queryset.filter(pk=party.pk)
    return queryset


def _bounds(start: date | None, end: date | None) -> Q:
    q = Q()
    zone = timezone.get_current_timezone()
    if start is not None:
        q &= Q(opened_at__gte=datetime.combine(start, time.min, tzinfo=zone))
    if end is not None:
        q &= Q(opened_at__lte=datetime.combine(end, time.max, tzinfo=zone))
    return q


def _rates(row: dict) -> dict:
    refused = sum(row[TALLY[o]] for o in REFUSALS)
    scanned = row["scanned"]
    received = row["accepted"] + row["suspected"]
    return {
        **row,
        "refused": refused,
        "refused_by_reason": {str(o): row[TALLY[o]] for o in REFUSALS},
        "suspect_rate": round(row["suspected"] / received, 4) if received else None,
        "refusal_rate": round(refused / scanned, 4) if scanned else None,
    }


def supplier_quality(
    user, *, start: date | None = None, end: date | None = None, supplier: Party | None = None
) -> list[dict]:
    """Per supplier: receipts, scans by outcome, rates, and how suspects were decided.

    Counted from the receipts' tallies (one grouped query) and the suspect decisions
    (one more), for receipts opened between ``start`` and ``end`` (local dates).
    """
    receipts = receipts_visible_to(user).filter(_bounds(start, end))
    if supplier is not None:
        receipts = receipts.filter(order__supplier=supplier)
    rows = (
        receipts.values("order__supplier", "order__supplier__code", "order__supplier__name")
        .annotate(receipts=Count("id"), **{f: Sum(f) for f in TALLY_FIELDS})
        .order_by("order__supplier__code")
    )
    decided = {
        (r["receipt__order__supplier"], r["decision"]): r["n"]
        for r in SuspectUnit.objects.filter(receipt__in=receipts)
        .values("receipt__order__supplier", "decision")
        .annotate(n=Count("id"))
    }
    out = []
    for row in rows:
        party_id = row.pop("order__supplier")
        figures = {f: row[f] or 0 for f in TALLY_FIELDS}
        out.append(
            {
                "supplier": {
                    "id": party_id,
                    "code": row["order__supplier__code"],
                    "name": row["order__supplier__name"],
                },
                "receipts": row["receipts"],
                **_rates(figures),
                "suspects_by_decision": {
                    str(d): decided.get((party_id, d), 0) for d in SuspectUnit.Decision
                },
            }
        )
    return out


def receipt_figures(receipt: Receipt) -> dict:
    return _rates({f: getattr(receipt, f) for f in TALLY_FIELDS})
