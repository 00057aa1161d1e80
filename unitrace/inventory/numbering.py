"""Document numbers: the caller's own (from an ERP), or PREFIX + the row id."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from unitrace.inventory.errors import InventoryError


def create_numbered(model: type[models.Model], prefix: str, number: str = "", **fields):
    """Insert a document and give it a number that is unique by construction.

    Without a number from the caller the row is inserted under a random placeholder and
    renamed to ``PREFIX000123`` from its id, so concurrent creations never collide.
    """
    number = number.strip()
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = model.objects.create(number=number or uuid.uuid4().hex, **fields)
        except IntegrityError:
            if number and model.objects.filter(number=number).exists():
                raise InventoryError(
                    _("number %(number)s is already used") % {"number": number},
                    code="duplicate_number",
                )
            raise
        if not number:
            row.number = f"{prefix}{row.pk:06d}"
            model.objects.filter(pk=row.pk).update(number=row.number)
    return row
