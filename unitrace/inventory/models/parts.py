"""Spare parts and consumables counted by quantity (SKUs with ``serialized=False``).

Stock is kept per warehouse, SKU and lot (with its expiry date); every change is one
row of the append-only ``PartMove`` journal written by ``inventory.parts`` in the
same transaction, so the balance can always be explained.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unitrace.core.errors import DomainError


class PartStock(models.Model):
    warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="part_stock",
        db_index=False,  # the (warehouse, sku, lot) unique index serves
    )
    sku = models.ForeignKey(
        "catalog.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+"
    )
    lot = models.CharField(_("lot"), max_length=40, blank=True, default="")
    expiry = models.DateField(_("expiry date"), null=True, blank=True)
    quantity = models.IntegerField(_("quantity"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("part stock")
        verbose_name_plural = _("part stock")
        ordering = ["warehouse", "sku", "expiry", "lot"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="part_stock_never_negative"
            ),
            models.UniqueConstraint(fields=["warehouse", "sku", "lot"], name="part_stock_lot_once"),
        ]
        permissions = [
            ("adjust_partstock", _("Can correct part stock quantities")),
            ("issue_expired_parts", _("Can issue parts from an expired lot")),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse_id}/{self.sku_id}/{self.lot or '-'}: {self.quantity}"


class PartMoveError(DomainError, RuntimeError):
    """Part moves are never updated or deleted: a correction is a further move.

    Only code can try that, so it is a bug: the API leaves it to Django's 500 (and log).
    """

    code = "append_only"
    status = 500


class PartMove(models.Model):
    """One change of one lot's quantity. Rows are never updated or deleted."""

    class Type(models.TextChoices):
        RECEIVE = "receive", _("received")
        ISSUE = "issue", _("issued")
        TRANSFER = "transfer", _("transferred")
        ADJUST = "adjust", _("corrected")
        RETURN = "return", _("returned")

    type = models.CharField(_("type"), max_length=10, choices=Type.choices)
    stock = models.ForeignKey(
        PartStock, verbose_name=_("stock"), on_delete=models.PROTECT, related_name="moves"
    )
    warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sku = models.ForeignKey(
        "catalog.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT, related_name="+"
    )
    lot = models.CharField(_("lot"), max_length=40, blank=True)
    quantity = models.IntegerField(_("quantity change"))
    balance = models.IntegerField(_("balance after"))
    counterpart = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("other warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    forced = models.BooleanField(_("expired lot issued on purpose"), default=False)
    occurred_at = models.DateTimeField(_("time"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("part move")
        verbose_name_plural = _("part moves")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["warehouse", "sku", "occurred_at"], name="part_move_wh_sku_idx"),
            models.Index(fields=["reference"], name="part_move_ref_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.quantity:+d}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PartMoveError("part moves are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PartMoveError("part moves are append-only")


class MinStock(models.Model):
    """The least usable quantity a warehouse should hold of a part."""

    warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the (warehouse, sku) unique index serves
    )
    sku = models.ForeignKey(
        "catalog.SKU", verbose_name=_("SKU"), on_delete=models.CASCADE, related_name="+"
    )
    minimum = models.PositiveIntegerField(_("minimum quantity"))

    class Meta:
        verbose_name = _("minimum stock")
        verbose_name_plural = _("minimum stock")
        ordering = ["warehouse", "sku"]
        constraints = [models.UniqueConstraint(fields=["warehouse", "sku"], name="min_stock_once")]

    def __str__(self) -> str:
        return f"{self.warehouse_id}/{self.sku_id} ≥ {self.minimum}"


class StockAlert(models.Model):
    """Raised when usable stock falls below the minimum; resolved when it recovers."""

    warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sku = models.ForeignKey(
        "catalog.SKU", verbose_name=_("SKU"), on_delete=models.CASCADE, related_name="+"
    )
    minimum = models.PositiveIntegerField(_("minimum quantity"))
    quantity = models.IntegerField(_("usable quantity"))
    raised_at = models.DateTimeField(_("raised at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("low-stock alert")
        verbose_name_plural = _("low-stock alerts")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "sku"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_alert_per_part",
            )
        ]

    def __str__(self) -> str:
        return f"{self.warehouse_id}/{self.sku_id}: {self.quantity} < {self.minimum}"
