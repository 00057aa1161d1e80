"""Which units are inside which, over time (assembly, repair swaps, recalls).

Links carry a time range, so both questions can be asked for any moment: the
component tree of a unit, and where a component was used up to the finished product.
Every change goes through the ledger (an event on the parent and on the component).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.catalog.models import ComponentSpec
from unitrace.serials import ledger
from unitrace.serials.genealogy_reads import parent_chain, tree_links
from unitrace.serials.ledger import EventData, LedgerError
from unitrace.serials.models import ComponentLink, Unit
from unitrace.serials.statuses import EventType, Status


def ancestors(unit: Unit, at: datetime | None = None) -> list[Unit]:
    """Parents of ``unit`` at ``at``, nearest first, up to the finished product."""
    return parent_chain(unit.pk, at or timezone.now())


def _refuse_fitted_parent(parent_id: int) -> None:
    """A sub-assembly inside a product changes its parts only in a swap: taking a part
    out or adding one alone would leave the product's history without the change."""
    row = Unit.objects.filter(pk=parent_id).values_list("serial", "status", "parent__serial")
    serial, status, holder = row.get()
    if status == Status.FITTED:
        raise LedgerError(
            _(
                "%(parent)s is fitted in %(holder)s: replace the part in one swap, "
                "or take %(parent)s out first"
            )
            % {"parent": serial, "holder": holder or "?"},
            code="parent_fitted",
        )


def install_component(
    parent: Unit,
    component: Unit,
    *,
    when: datetime | None = None,
    position: str = "",
    ref_type: str = "",
    ref_id: str = "",
    notes: str = "",
    _swap: bool = False,
) -> ComponentLink:
    """Fit ``component`` into ``parent`` (assembly at production or a swap in repair)."""
    when = when or timezone.now()
    with transaction.atomic():
        locked = {
            u.pk: u
            for u in Unit.objects.select_for_update()
            .select_related("sku")
            .filter(pk__in=[parent.pk, component.pk])
            .order_by("pk")
        }
        parent, component = locked[parent.pk], locked[component.pk]
        if not _swap:
            _refuse_fitted_parent(parent.pk)
        if parent.pk == component.pk:
            raise LedgerError(_("a unit cannot be fitted into itself"), unit=component, code="self")
        if component.pk in {u.pk for u in ancestors(parent, when)}:
            raise LedgerError(
                _("%(component)s contains %(parent)s; fitting it would make a loop")
                % {"component": component.serial, "parent": parent.serial},
                unit=component,
                code="cycle",
            )
        spec = ComponentSpec.objects.filter(parent=parent.sku, component=component.sku).first()
        if spec is None:
            raise LedgerError(
                _("%(sku)s is not a key component of %(parent_sku)s")
                % {"sku": component.sku.code, "parent_sku": parent.sku.code},
                unit=component,
                code="not_a_component",
            )
        fitted = ComponentLink.objects.filter(
            parent=parent, component__sku=component.sku, removed_at__isnull=True
        ).count()
        if fitted >= spec.quantity:
            raise LedgerError(
                _("%(parent)s already holds %(count)d × %(sku)s (the model takes %(max)d)")
                % {
                    "parent": parent.serial,
                    "count": fitted,
                    "sku": component.sku.code,
                    "max": spec.quantity,
                },
                unit=parent,
                code="quantity",
            )
        common = {"when": when, "ref_type": ref_type, "ref_id": ref_id, "notes": notes}
        ledger.record(component, EventData(EventType.FITTED, parent=parent, **common))
        ledger.record(
            parent,
            EventData(
                EventType.COMPONENT_INSTALLED,
                details={
                    "component_id": component.pk,
                    "component_serial": component.serial,
                    "component_sku": component.sku.code,
                    "position": position,
                },
                **common,
            ),
        )
        try:
            with transaction.atomic():
                return ComponentLink.objects.create(
                    parent=parent, component=component, installed_at=when, position=position
                )
        except IntegrityError:
            raise LedgerError(
                _("already fitted in another unit"), unit=component, code="already_fitted"
            )


def remove_component(
    parent: Unit,
    component: Unit,
    *,
    when: datetime | None = None,
    warehouse=None,
    ref_type: str = "",
    ref_id: str = "",
    notes: str = "",
    _swap: bool = False,
) -> ComponentLink:
    """Take ``component`` out of ``parent``; it becomes a removed part to inspect."""
    when = when or timezone.now()
    with transaction.atomic():
        if not _swap:
            Unit.objects.select_for_update().filter(pk=parent.pk).exists()
            _refuse_fitted_parent(parent.pk)
        link = (
            ComponentLink.objects.select_for_update()
            .filter(parent=parent, component=component, removed_at__isnull=True)
            .first()
        )
        if link is None:
            raise LedgerError(
                _("%(component)s is not fitted in %(parent)s")
                % {"component": component.serial, "parent": parent.serial},
                unit=component,
                code="not_fitted",
            )
        if when < link.installed_at:
            raise LedgerError(_("removal before installation"), unit=component, code="time")
        common = {"when": when, "ref_type": ref_type, "ref_id": ref_id, "notes": notes}
        ledger.record(
            parent,
            EventData(
                EventType.COMPONENT_REMOVED,
                details={
                    "component_id": component.pk,
                    "component_serial": component.serial,
                    "component_sku": component.sku.code,
                    "position": link.position,
                },
                **common,
            ),
        )
        ledger.record(
            component,
            EventData(
                EventType.UNFITTED,
                warehouse=warehouse,
                details={"parent_id": parent.pk, "parent_serial": parent.serial},
                **common,
            ),
        )
        link.removed_at = when
        link.save(update_fields=["removed_at"])
        return link


def replace_component(
    parent: Unit,
    old: Unit,
    new: Unit,
    *,
    when: datetime | None = None,
    warehouse=None,
    ref_type: str = "",
    ref_id: str = "",
    notes: str = "",
) -> ComponentLink:
    """Swap a part in one transaction: both happen, or neither.

    ``parent`` may itself be fitted (a chip on a board inside a product): the old part
    gets ``unfitted``, the new one ``fitted``, the board ``component_removed`` and
    ``component_installed``, and every unit above the board one ``part_swapped`` naming
    the board and both parts, so the product's history shows what changed inside it.
    The parent, both parts and the units above are locked (in id order) first, so two
    swaps of the same part queue: the second finds the part no longer fitted.
    """
    when = when or timezone.now()
    common = {"ref_type": ref_type, "ref_id": ref_id, "notes": notes}
    with transaction.atomic():
        _lock([parent.pk, old.pk, new.pk])
        above = ancestors(parent, when)
        _lock([parent.pk, old.pk, new.pk, *(u.pk for u in above)])
        old_link = (
            ComponentLink.objects.select_for_update()
            .filter(parent=parent, component=old, removed_at__isnull=True)
            .first()
        )
        position = old_link.position if old_link else ""
        remove_component(parent, old, when=when, warehouse=warehouse, _swap=True, **common)
        link = install_component(parent, new, when=when, position=position, _swap=True, **common)
        if above:
            parts = Unit.objects.select_related("sku").in_bulk([parent.pk, old.pk, new.pk])
            details = {
                "via_id": parent.pk,
                "via_serial": parts[parent.pk].serial,
                "via_sku": parts[parent.pk].sku.code,
                "old_id": old.pk,
                "old_serial": parts[old.pk].serial,
                "new_id": new.pk,
                "new_serial": parts[new.pk].serial,
                "sku": parts[new.pk].sku.code,
                "position": position,
            }
            for unit in above:
                ledger.record(
                    unit, EventData(EventType.PART_SWAPPED, when=when, details=details, **common)
                )
        return link


def _lock(unit_ids: list[int]) -> None:
    """Row locks on these units, always in id order (no deadlock between two swaps)."""
    list(
        Unit.objects.select_for_update()
        .filter(pk__in=set(unit_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass
class TreeNode:
    unit: Unit
    position: str = ""
    installed_at: datetime | None = None
    children: list[TreeNode] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "id": self.unit.pk,
            "serial": self.unit.serial,
            "sku": self.unit.sku.code,
            "sku_name": self.unit.sku.name,
            "status": self.unit.status,
            "position": self.position,
            "installed_at": timezone.localtime(self.installed_at).isoformat()
            if self.installed_at
            else None,
            "children": [c.as_dict() for c in self.children],
        }


def component_tree(unit: Unit, at: datetime | None = None) -> TreeNode:
    """Everything inside ``unit`` at ``at``, in one query (``genealogy_reads``)."""
    root = TreeNode(unit=unit)
    nodes = {unit.pk: root}
    for parent_id, position, installed_at, component in tree_links(unit.pk, at or timezone.now()):
        node = TreeNode(component, position, installed_at)
        nodes[parent_id].children.append(node)
        nodes[component.pk] = node
    return root


def where_used(unit: Unit, at: datetime | None = None) -> list[dict]:
    """Every parent of a component at ``at``, nearest first, up to the finished product."""
    return [
        {"id": p.pk, "serial": p.serial, "sku": p.sku.code, "status": p.status, "level": i + 1}
        for i, p in enumerate(parent_chain(unit.pk, at or timezone.now()))
    ]
