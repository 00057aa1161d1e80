"""Which returns and exchanges a user may see: one place for the API and the pages.

Staff see everything their permissions cover; a login that acts for a party
(distributor, service partner) sees only the documents where that party is the holder.
"""

from __future__ import annotations

from django.db.models import QuerySet

from unitrace.serials.selectors import scope_party
from unitrace.service.models import RMA, Exchange


def _allowed(user, perm: str) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(perm))


def rmas_for(user) -> QuerySet[RMA]:
    if not _allowed(user, "service.view_rma"):
        return RMA.objects.none()
    party = scope_party(user)
    queryset = RMA.objects.select_related("holder", "warehouse")
    return queryset.filter(holder=party) if party is not None else queryset


def exchanges_for(user) -> QuerySet[Exchange]:
    if not _allowed(user, "service.view_exchange"):
        return Exchange.objects.none()
    party = scope_party(user)
    queryset = Exchange.objects.select_related("old_unit__sku", "new_unit__sku", "rma", "holder")
    return queryset.filter(holder=party) if party is not None else queryset
