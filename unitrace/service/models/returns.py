"""Returns and exchanges (退换货): the after-sales documents.

They moved here from ``sales`` and keep their tables (``sales_rma``, ...). How an exchange
treats the warranty is a warranty rule (``warranty.models.ExchangeWarrantyRule``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from unitrace.core.models import created_by_field


class InspectionResult(models.TextChoices):
    PENDING = "pending", _("not inspected yet")
    RESALEABLE = "resaleable", _("resaleable: back to stock")
    REPAIR = "repair", _("needs repair")
    SCRAP = "scrap", _("scrap")


class RMA(models.Model):
    """A return authorization: units coming back from a holder, with their inspection."""

    class Kind(models.TextChoices):
        RETURN = "return", _("return")
        EXCHANGE = "exchange", _("exchange")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for inspection")
        CLOSED = "closed", _("closed")

    number = models.CharField(_("number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RETURN)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    holder = models.ForeignKey(
        "parties.Party",
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    warehouse = models.ForeignKey(
        "places.Warehouse", verbose_name=_("returned to"), on_delete=models.PROTECT
    )
    reason = models.CharField(_("reason"), max_length=200)
    received_at = models.DateTimeField(_("received at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = created_by_field()

    class Meta:
        db_table = "sales_rma"
        verbose_name = _("return (RMA)")
        verbose_name_plural = _("returns (RMA)")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.number


class RMALine(models.Model):
    rma = models.ForeignKey(
        RMA, verbose_name=_("RMA"), on_delete=models.CASCADE, related_name="lines"
    )
    unit = models.ForeignKey(
        "serials.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        "parties.Party",
        verbose_name=_("returned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField(
        _("inspection result"),
        max_length=12,
        choices=InspectionResult.choices,
        default=InspectionResult.PENDING,
    )
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        db_table = "sales_rmaline"
        verbose_name = _("returned unit")
        verbose_name_plural = _("returned units")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["rma", "unit"], name="rma_unit_once")]

    def __str__(self) -> str:
        return f"{self.rma_id}: {self.unit_id}"


class Exchange(models.Model):
    """A new unit shipped to the holder of an old one; links the two for warranty."""

    old_unit = models.ForeignKey(
        "serials.Unit", verbose_name=_("old unit"), on_delete=models.PROTECT, related_name="+"
    )
    new_unit = models.ForeignKey(
        "serials.Unit", verbose_name=_("new unit"), on_delete=models.PROTECT, related_name="+"
    )
    rma = models.ForeignKey(
        RMA, verbose_name=_("RMA"), on_delete=models.PROTECT, related_name="exchanges"
    )
    holder = models.ForeignKey(
        "parties.Party", verbose_name=_("holder"), on_delete=models.PROTECT, related_name="+"
    )
    carry_over = models.BooleanField(_("warranty carried over"))
    exchanged_at = models.DateTimeField(_("exchanged at"))
    created_by = created_by_field()

    class Meta:
        db_table = "sales_exchange"
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-exchanged_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(old_unit=models.F("new_unit")), name="exchange_not_self"
            )
        ]
        indexes = [models.Index(fields=["new_unit", "exchanged_at"], name="exchange_new_idx")]

    def __str__(self) -> str:
        return f"{self.old_unit_id} → {self.new_unit_id}"
