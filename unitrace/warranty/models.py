"""Warranty rules beyond the SKU's own (months from shipment, sale, ...).

``ExchangeWarrantyRule`` moved here from ``sales`` and keeps its table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeWarrantyRule(models.Model):
    """Per SKU: does a replacement unit keep the old unit's warranty or start afresh?"""

    class Mode(models.TextChoices):
        CARRY_OVER = "carry_over", _("carry over the old unit's warranty")
        RESTART = "restart", _("restart the warranty")

    sku = models.OneToOneField(
        "catalog.SKU",
        verbose_name=_("SKU"),
        on_delete=models.CASCADE,
        related_name="exchange_warranty_rule",
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.CARRY_OVER)

    class Meta:
        db_table = "sales_exchangewarrantyrule"
        verbose_name = _("exchange warranty rule")
        verbose_name_plural = _("exchange warranty rules")

    def __str__(self) -> str:
        return f"{self.sku_id}: {self.mode}"
