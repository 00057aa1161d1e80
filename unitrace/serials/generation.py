"""Generating new serials by a SKU's rule and registering them in one call.

Numbers are reserved from a per-(SKU, scope) counter in a short transaction holding a
row lock, so parallel generators never hand out the same number; the units are then
written in a second transaction. A failed write leaves a gap, never a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.catalog.models import SKU, Batch
from unitrace.core.errors import DomainError
from unitrace.serials.models import SerialCounter
from unitrace.serials.registration import NewUnit, register_units, registered_serials

MAX_GENERATE = 1_000_000


class GenerationError(DomainError, ValueError):
    """Serials cannot be generated as asked (count, rule or scope)."""

    code = "generation_refused"


@dataclass(frozen=True)
class Generated:
    count: int
    first: str
    last: str
    scope: str

    def as_dict(self) -> dict:
        return {"count": self.count, "first": self.first, "last": self.last, "scope": self.scope}


def reserve(sku: SKU, scope: str, count: int, max_sequence: int) -> int:
    """Reserve ``count`` numbers; returns the first. Row lock = no two callers overlap."""
    with transaction.atomic():
        SerialCounter.objects.get_or_create(sku=sku, scope=scope)
        counter = SerialCounter.objects.select_for_update().get(sku=sku, scope=scope)
        first = counter.last_value + 1
        last = counter.last_value + count
        if last > max_sequence:
            raise GenerationError(
                _("the rule of %(sku)s has room for %(left)d more serials in '%(scope)s'")
                % {
                    "sku": sku.code,
                    "left": max(0, max_sequence - counter.last_value),
                    "scope": scope,
                }
            )
        counter.last_value = last
        counter.save(update_fields=["last_value"])
    return first


def _taken(sku: SKU, serials: list[str]) -> set[str]:
    sku_id = None if settings.UNITRACE_SERIAL_GLOBAL_UNIQUE else sku.pk
    return set(registered_serials(serials, sku_id))


def draw_serials(sku: SKU, count: int, when: date, batch: Batch | None) -> tuple[list[str], str]:
    """New serials not yet in the database, in order, and the counter scope used."""
    pattern = sku.pattern
    if pattern is None:
        raise GenerationError(_("SKU %(sku)s has no serial rule") % {"sku": sku.code})
    batch_code = batch.code if batch else None
    if pattern.mode == "random":
        serials: list[str] = []
        seen: set[str] = set()
        while len(serials) < count:
            fresh = [
                s
                for s in pattern.render_many(1, count - len(serials), when, batch_code)
                if s not in seen
            ]
            taken = _taken(sku, fresh)
            for s in fresh:
                if s not in taken:
                    seen.add(s)
                    serials.append(s)
        return serials, "random"
    scope = pattern.scope_key(when, batch_code)
    serials = []
    needed = count
    while needed:
        first = reserve(sku, scope, needed, pattern.max_sequence)
        fresh = pattern.render_many(first, needed, when, batch_code)
        taken = _taken(sku, fresh)  # e.g. serials imported earlier that fit the rule
        serials.extend(s for s in fresh if s not in taken)
        needed = count - len(serials)
    return serials, scope


def generate_units(
    sku: SKU,
    count: int,
    *,
    batch: Batch | None = None,
    when: datetime | None = None,
    warehouse=None,
    progress: Callable[[int], None] | None = None,
    ref_id: str = "",
) -> Generated:
    """Register ``count`` new serials of ``sku``; ``ref_id`` (e.g. the job) is kept on
    each registration event, so the run's labels can be printed later."""
    if not sku.serialized:
        raise GenerationError(_("SKU %(sku)s is not serialized") % {"sku": sku.code})
    if not 1 <= count <= MAX_GENERATE:
        raise GenerationError(_("count must be between 1 and %(max)d") % {"max": MAX_GENERATE})
    if batch is not None and batch.sku_id != sku.pk:
        raise GenerationError(_("batch %(batch)s belongs to another SKU") % {"batch": batch.code})
    when = when or timezone.now()
    production = batch.production_date if batch and batch.production_date else None
    serials, scope = draw_serials(sku, count, production or timezone.localtime(when).date(), batch)
    items = [NewUnit(s, "", batch.pk if batch else None, production) for s in serials]
    register_units(
        sku,
        items,
        warehouse=warehouse,
        when=when,
        ref_type="generate",
        ref_id=ref_id,
        progress=progress,
        chunk=10_000,  # a progress step every 10,000 units
    )
    return Generated(len(serials), serials[0], serials[-1], scope)
