"""Document numbers: the one place that says what every document type's number looks like.

The number comes from the row's own primary key, so creating a document never waits
for a counter held by another, possibly long, transaction (a 10,000-unit delivery): the
row is inserted under a unique :func:`placeholder` and renamed from its id at once.

The formats, per document type:

* ``PREFIX000123`` — inventory documents (transfers ``TR``, stocktakes ``ST``);
* ``PREFIX-YYYYMMDD-000123`` — documents people read aloud: sales orders ``SO``,
  deliveries ``DN`` and returns ``RMA`` (dated the day they are created), purchase
  orders ``PO`` (dated by their order date);
* ``PARENT-R01`` — a document that belongs to another and is counted within it
  (the receipts of a purchase order), :func:`part_number`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from django.db import IntegrityError, models, transaction


def placeholder(length: int = 32) -> str:
    """A unique stand-in until the row has a primary key (``length`` fits the column)."""
    return uuid.uuid4().hex[:length]


def document_number(prefix: str, pk: int, day: date | None = None) -> str:
    """``PREFIX000123``, or ``PREFIX-YYYYMMDD-000123`` for a dated document."""
    if day is None:
        return f"{prefix}{pk:06d}"
    return f"{prefix}-{day:%Y%m%d}-{pk:06d}"


def part_number(parent: str, mark: str, ordinal: int) -> str:
    """``PO-20260301-000012-R02``: the ``ordinal``-th document of its kind under ``parent``."""
    return f"{parent}-{mark}{ordinal:02d}"


def assign_number(instance: models.Model, prefix: str, day: date | None = None) -> str:
    """Give a freshly inserted document its number (one UPDATE)."""
    instance.number = document_number(prefix, instance.pk, day)
    type(instance)._default_manager.filter(pk=instance.pk).update(number=instance.number)
    return instance.number


def create_numbered(
    model: type[models.Model],
    prefix: str,
    number: str = "",
    *,
    taken: Callable[[str], Exception] | None = None,
    **fields,
):
    """Insert a document with the caller's number (from an ERP) or ``PREFIX000123``.

    Without a number from the caller the row is inserted under a placeholder and renamed
    from its id, so concurrent creations never collide. A caller's number that is
    already used raises ``taken(number)`` (the caller's own error).
    """
    number = number.strip()
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = model.objects.create(number=number or placeholder(), **fields)
        except IntegrityError:
            if taken is not None and number and model.objects.filter(number=number).exists():
                raise taken(number)
            raise
        if not number:
            assign_number(row, prefix)
    return row
