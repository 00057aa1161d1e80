"""Plumbing shared by the inventory API views."""

from __future__ import annotations

from django.utils.translation import gettext as _

from unitrace.core.api import ActorMixin
from unitrace.inventory.errors import InventoryError
from unitrace.inventory.resolving import units_for_codes
from unitrace.places.models import Bin, Warehouse
from unitrace.serials.selectors import units_visible_to


class InventoryAPIMixin(ActorMixin):
    """Refusals from the services are rendered by the API's one error handler."""


def bin_of(warehouse: Warehouse, code: str | None) -> Bin | None:
    if not code:
        return None
    found = Bin.objects.filter(warehouse=warehouse, code=code.strip()).first()
    if found is None:
        raise InventoryError(
            _("%(warehouse)s has no bin %(bin)s") % {"warehouse": warehouse.code, "bin": code},
            code="unknown_bin",
        )
    return found


def units_of(request, codes):
    """The units named by ``codes`` among those the user may see (all or an error)."""
    return units_for_codes(codes, units_visible_to(request.user))
