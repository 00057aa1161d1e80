"""Transfers (调拨): units leave one warehouse, travel, and are scanned in at the other.

The document only records intent and receipt; every change to a unit goes through the
ledger (``transfer_out`` at dispatch, ``transfer_in`` at receipt).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unitrace.core.models import created_by_field


class Transfer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_TRANSIT = "in_transit", _("in transit")
        PARTIALLY_RECEIVED = "partially_received", _("partially received")
        RECEIVED = "received", _("received")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("number"), max_length=40, unique=True)
    from_warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("from warehouse"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("to warehouse"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = created_by_field()
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dispatched by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(
        _("receipt closed at"),
        null=True,
        blank=True,
        help_text=_("Set when the receiver closes the receipt, reporting what never came."),
    )
    closing_reason = models.TextField(_("reason for units not received"), blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_warehouse=models.F("to_warehouse")),
                name="transfer_between_two_warehouses",
            )
        ]
        indexes = [models.Index(fields=["status", "to_warehouse"], name="transfer_open_idx")]
        permissions = [
            ("dispatch_transfer", _("Can dispatch transfers")),
            ("receive_transfer", _("Can receive transfers")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        """Still waiting for units at the destination."""
        return self.closed_at is None and self.status in {
            self.Status.IN_TRANSIT,
            self.Status.PARTIALLY_RECEIVED,
        }


class TransferLine(models.Model):
    """One unit on a transfer; ``received_at`` is set when it is scanned at the other end."""

    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("transfer"),
        on_delete=models.CASCADE,
        related_name="lines",
        db_index=False,  # the (transfer, unit) unique index serves
    )
    unit = models.ForeignKey(
        "serials.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_bin = models.ForeignKey(
        "places.Bin",
        verbose_name=_("received into bin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "unit"], name="transfer_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.transfer_id}:{self.unit_id}"
