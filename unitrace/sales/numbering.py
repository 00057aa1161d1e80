"""Document numbers people can read aloud: PREFIX-YYYYMMDD-000123.

The number comes from the row's own primary key, so creating a document never waits
for a counter held by another, possibly long, transaction (a 10,000-unit delivery).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


def placeholder() -> str:
    """A unique stand-in until the row has a primary key."""
    return uuid.uuid4().hex


def assign_number(instance: models.Model, prefix: str) -> str:
    """Give a freshly inserted document its number (one UPDATE)."""
    day = timezone.localdate().strftime("%Y%m%d")
    instance.number = f"{prefix}-{day}-{instance.pk:06d}"
    type(instance)._default_manager.filter(pk=instance.pk).update(number=instance.number)
    return instance.number
