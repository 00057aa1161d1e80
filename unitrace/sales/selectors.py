"""Which sales records a user may see: one place for the API and the pages.

Staff see everything their permissions cover; a login that acts for a party
(distributor, service partner) sees only the records where that party is the buyer,
the holder or the distributor.
"""

from __future__ import annotations

from django.db.models import QuerySet

from unitrace.parties.masking import can_see_pii, mask_name, party_contact
from unitrace.parties.models import Party
from unitrace.sales.models import Delivery, SalesChannel, SalesOrder, SellThrough
from unitrace.serials.selectors import scope_party


def _allowed(user, perm: str) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(perm))


def parties_for(user, kind: str) -> QuerySet[Party]:
    if not _allowed(user, "parties.view_party") or scope_party(user) is not None:
        return Party.objects.none()
    return Party.objects.filter(kind=kind)


def channels_for(user) -> QuerySet[SalesChannel]:
    if not _allowed(user, "sales.view_saleschannel"):
        return SalesChannel.objects.none()
    return SalesChannel.objects.all()


def orders_for(user) -> QuerySet[SalesOrder]:
    if not _allowed(user, "sales.view_salesorder"):
        return SalesOrder.objects.none()
    party = scope_party(user)
    queryset = SalesOrder.objects.select_related("buyer", "channel")
    return queryset.filter(buyer=party) if party is not None else queryset


def deliveries_for(user) -> QuerySet[Delivery]:
    if not _allowed(user, "sales.view_delivery"):
        return Delivery.objects.none()
    party = scope_party(user)
    queryset = Delivery.objects.select_related("order", "buyer", "warehouse")
    return queryset.filter(buyer=party) if party is not None else queryset


def sell_throughs_for(user) -> QuerySet[SellThrough]:
    if not _allowed(user, "sales.view_sellthrough"):
        return SellThrough.objects.none()
    party = scope_party(user)
    queryset = SellThrough.objects.select_related("distributor", "customer", "unit__sku")
    return queryset.filter(distributor=party) if party is not None else queryset


def party_dict(party: Party | None, user) -> dict | None:
    """A party as this user may see it: phone and address masked without view_pii."""
    if party is None:
        return None
    return {
        "id": party.pk,
        "code": party.code,
        "name": party.name,
        "kind": party.kind,
        "is_company": party.is_company,
        "contact": party.contact if can_see_pii(user) else mask_name(party.contact),
        "province": party.province,
        "city": party.city,
        "district": party.district,
        **party_contact(party, user),
    }


def unit_by_code(user, code: str, sku: str = ""):
    """(unit, None) for a scanned serial/GS1 code the user may see, else (None, message)."""
    from django.utils.translation import gettext as _

    from unitrace.sales.scanning import read_code
    from unitrace.serials.resolver import Reason, plain_serial, resolve

    serial, gtin, problem = read_code(code)
    if problem:
        return None, problem
    result = resolve(plain_serial(serial, gtin), user=user, sku=sku, limit=5)
    if result.reason == Reason.AMBIGUOUS:
        return None, _("serial %(s)s exists under SKUs %(skus)s: give the SKU") % {
            "s": serial,
            "skus": ", ".join(sorted(u.sku.code for u in result.units)),
        }
    if result.unit is None:
        return None, _("no unit with serial %(s)s") % {"s": serial}
    return result.unit, None
