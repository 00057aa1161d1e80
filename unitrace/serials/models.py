"""Units (一物一码), their append-only event ledger and their component links."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unitrace.core.errors import DomainError
from unitrace.serials.statuses import EventType, Status


def new_public_token() -> str:
    """Unguessable handle for the unit's public page: serials can't be enumerated."""
    return secrets.token_urlsafe(12)


class Unit(models.Model):
    """One physical product unit. Its state fields are derived from its events.

    Only ``unitrace.serials.ledger`` writes to the state fields (status, place,
    holder, dates); everything else reads them.
    """

    # Indexes are chosen for bulk registration: each one costs every new unit an index
    # insert, so a foreign key gets none of its own when a composite index starts with
    # it, and nullable place/party keys are indexed only where set (new units have
    # none). See the Meta and docs/benchmarks.md.
    sku = models.ForeignKey(
        "catalog.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT, db_index=False
    )
    serial = models.CharField(_("serial number"), max_length=40)
    supplier_serial = models.CharField(_("supplier serial"), max_length=64, blank=True)
    batch = models.ForeignKey(
        "catalog.Batch",
        verbose_name=_("batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    public_token = models.CharField(
        _("public token"), max_length=24, default=new_public_token, editable=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    bin = models.ForeignKey(
        "places.Bin",
        verbose_name=_("bin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
    )
    holder = models.ForeignKey(
        "parties.Party",
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_units",
        db_index=False,
    )
    distributor = models.ForeignKey(
        "parties.Party",
        verbose_name=_("distributor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distributed_units",
        db_index=False,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("fitted in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fitted_components",
        db_index=False,
    )
    production_date = models.DateField(_("production date"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    sold_at = models.DateTimeField(_("sold at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    installed_at = models.DateTimeField(_("installed at"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("last event at"), null=True, blank=True)
    event_count = models.PositiveIntegerField(_("events"), default=0)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            # in any letter case: scanning reads PB000002W and pb000002w as one serial
            models.UniqueConstraint(Upper("serial"), "sku", name="unit_serial_unique_per_sku_ci"),
            models.UniqueConstraint(fields=["public_token"], name="unit_public_token_unique"),
        ]
        indexes = [
            # pattern ops: serves equality and prefix search (LIKE 'A12%') in any collation
            models.Index(
                fields=["serial"], name="unit_serial_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["status", "sku"], name="unit_status_sku_idx"),
            # scans fall back to the supplier's serial; generated units have none
            models.Index(
                fields=["supplier_serial"],
                name="unit_supplier_serial_idx",
                condition=~models.Q(supplier_serial=""),
            ),
            models.Index(fields=["batch"], name="unit_batch_idx"),
            *(
                models.Index(
                    fields=[name],
                    name=f"unit_{name}_idx",
                    condition=models.Q(**{f"{name}__isnull": False}),
                )
                for name in ("warehouse", "bin", "holder", "distributor", "parent")
            ),
        ]
        permissions = [
            ("record_event", _("Can record events on units")),
            ("print_labels", _("Can print unit labels")),
        ]

    def __str__(self) -> str:
        return self.serial


class AppendOnlyError(DomainError, RuntimeError):
    """Events are never updated or deleted: a mistake is corrected by a further event.

    Only code can try that, so it is a bug: the API leaves it to Django's 500 (and log).
    """

    code = "append_only"
    status = 500


class UnitEvent(models.Model):
    """One thing that happened to one unit. Rows are never updated or deleted."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # event_unit_time_idx starts with it
    )
    type = models.CharField(_("event"), max_length=24, choices=EventType.choices)
    occurred_at = models.DateTimeField(_("time"))
    # set when the event is built (not on save): the chain hash covers it
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=10, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    party = models.ForeignKey(
        "parties.Party",
        verbose_name=_("party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    region = models.CharField(_("region"), max_length=80, blank=True)
    # the unit this one replaces (set on a replacement's delivery in an exchange)
    replaces = models.ForeignKey(
        Unit,
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    ref_type = models.CharField(_("document type"), max_length=30, blank=True)
    ref_id = models.CharField(_("document"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    # HMAC chained to the unit's previous event (serials.chain); "" only on a database
    # that predates the chain and was never sealed
    chain_hash = models.CharField(
        _("chain hash"), max_length=64, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["unit", "occurred_at", "id"], name="event_unit_time_idx"),
            models.Index(
                fields=["ref_type", "ref_id"], name="event_ref_idx", condition=~models.Q(ref_id="")
            ),
            *(
                models.Index(
                    fields=[name],
                    name=f"event_{name}_idx",
                    condition=models.Q(**{f"{name}__isnull": False}),
                )
                for name in ("actor", "warehouse", "party", "replaces")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.type}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("unit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("unit events are append-only")


class ComponentLink(models.Model):
    """A component unit fitted in a parent unit from one moment until another."""

    # no single-column indexes: link_parent_idx and link_component_idx start with them
    parent = models.ForeignKey(
        Unit,
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        related_name="component_links",
        db_index=False,
    )
    component = models.ForeignKey(
        Unit,
        verbose_name=_("component"),
        on_delete=models.PROTECT,
        related_name="parent_links",
        db_index=False,
    )
    installed_at = models.DateTimeField(_("installed at"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("component link")
        verbose_name_plural = _("component links")
        constraints = [
            models.UniqueConstraint(
                fields=["component"],
                condition=models.Q(removed_at__isnull=True),
                name="component_fitted_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("component")), name="link_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["parent", "installed_at"], name="link_parent_idx"),
            models.Index(fields=["component", "installed_at"], name="link_component_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.component_id} in {self.parent_id}"


class SerialCounter(models.Model):
    """Next free sequence number per SKU rule and fixed part (date, batch)."""

    sku = models.ForeignKey("catalog.SKU", on_delete=models.CASCADE)
    scope = models.CharField(max_length=60)
    last_value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sku", "scope"], name="serial_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sku_id}:{self.scope}={self.last_value}"
