"""Sales channels and sales orders (one line per SKU with its delivered count)."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from unitrace.core.models import created_by_field


class SalesChannel(models.Model):
    class Kind(models.TextChoices):
        ECOMMERCE = "ecommerce", _("e-commerce")
        DEALER = "dealer", _("dealer / distributor")
        DIRECT_STORE = "direct_store", _("direct store")
        PROJECT = "project", _("project")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SalesOrder(models.Model):
    """What a customer or distributor bought; delivered over one or more deliveries."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PARTIAL = "partial", _("partially delivered")
        DELIVERED = "delivered", _("delivered")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("number"), max_length=40, unique=True)
    buyer = models.ForeignKey(
        "parties.Party", verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.ForeignKey(
        SalesChannel, verbose_name=_("channel"), on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    customer_ref = models.CharField(_("customer reference"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = created_by_field()

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["buyer", "status"], name="so_buyer_status_idx")]

    def __str__(self) -> str:
        return self.number


class SalesOrderLine(models.Model):
    order = models.ForeignKey(
        SalesOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    sku = models.ForeignKey("catalog.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    # the agreed price per unit (tax included) when the order has one; the delivery
    # note prints prices and amounts only then
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "sku"], name="so_line_one_per_sku"),
            # The last line of defence against over-delivery, whatever the code does.
            models.CheckConstraint(
                condition=models.Q(delivered__lte=models.F("quantity")),
                name="so_line_not_over_delivered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.quantity} × {self.sku_id}"

    @property
    def remaining(self) -> int:
        return self.quantity - self.delivered
