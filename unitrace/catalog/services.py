"""Writes of SKUs and batches from the pages: validated, change-logged, atomic.

The model's ``clean`` holds the rules (GTIN normalized to GTIN-14, a serial rule that
parses, a key component stays serialized, no production date in the future); a unique
code taken meanwhile by someone else is a form error, not a failure.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU, Batch
from unitrace.core.audit import save_with_log


def save_sku(sku: SKU) -> SKU:
    try:
        with transaction.atomic():
            return save_with_log(sku)
    except IntegrityError:
        raise ValidationError({"code": _("Another SKU already has this code or GTIN.")}) from None


def save_batch(batch: Batch) -> Batch:
    try:
        with transaction.atomic():
            return save_with_log(batch)
    except IntegrityError:
        raise ValidationError(
            {"code": _("This SKU already has a batch with this number.")}
        ) from None
