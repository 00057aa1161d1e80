"""Writes of bins from the pages (warehouses: ``hierarchy.save_warehouse``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from unitrace.core.audit import save_with_log
from unitrace.places.hierarchy import save_warehouse
from unitrace.places.models import Bin, Warehouse


def save_warehouse_record(warehouse: Warehouse) -> Warehouse:
    """``save_warehouse``, with a code taken meanwhile as a form error."""
    try:
        return save_warehouse(warehouse)
    except IntegrityError:
        raise ValidationError({"code": _("Another warehouse already has this code.")}) from None


def add_bin(bin_: Bin) -> Bin:
    """A new bin in its warehouse (change-logged); a code taken meanwhile is refused."""
    try:
        with transaction.atomic():
            return save_with_log(bin_)
    except IntegrityError:
        raise ValidationError(
            {"code": _("This warehouse already has a bin with this code.")}
        ) from None
