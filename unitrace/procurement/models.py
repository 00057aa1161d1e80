"""Purchase orders, the supplier's serial list (ASN), receipts and suspected counterfeits.

Units themselves are never touched here: receiving registers and moves them through
``unitrace.serials.registration`` and ``unitrace.serials.ledger``. These tables hold
the documents (what was ordered, what the supplier says it sent, what arrived) and
the counters that supplier-quality figures are computed from.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from unitrace.core.models import created_by_field


class PurchaseOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        PARTIAL = "partial", _("partially received")
        RECEIVED = "received", _("received")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("number"), max_length=30, unique=True)
    supplier = models.ForeignKey(
        "parties.Party",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "supplier"},
        related_name="purchase_orders",
    )
    warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("receiving warehouse"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    order_date = models.DateField(_("order date"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    notes = models.TextField(_("notes"), blank=True)
    created_by = created_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-order_date", "-id"]
        permissions = [("receive_purchaseorder", _("Can receive goods against purchase orders"))]

    def __str__(self) -> str:
        return self.number


class PurchaseOrderLine(models.Model):
    """One SKU of an order. ``received_quantity`` is counted under a row lock."""

    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("purchase order"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    sku = models.ForeignKey("catalog.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4, default=0)
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    received_quantity = models.PositiveIntegerField(_("received"), default=0, editable=False)
    asn_quantity = models.PositiveIntegerField(_("on the ASN"), default=0, editable=False)

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["order", "id"]
        constraints = [
            # One line per SKU: a scan names a SKU, so it must name exactly one line.
            models.UniqueConstraint(fields=["order", "sku"], name="po_line_one_per_sku"),
            # The last line of defence against over-receipt.
            models.CheckConstraint(
                condition=models.Q(received_quantity__lte=models.F("quantity")),
                name="po_line_not_over_received",
            ),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="po_line_qty_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.quantity} × {self.sku_id}"

    @property
    def remaining(self) -> int:
        return max(self.quantity - self.received_quantity, 0)


class ExpectedSerial(models.Model):
    """One serial of the supplier's advance ship notice (发货清单), before it arrives."""

    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("purchase order"),
        on_delete=models.CASCADE,
        related_name="expected_serials",
    )
    line = models.ForeignKey(
        PurchaseOrderLine,
        verbose_name=_("line"),
        on_delete=models.CASCADE,
        related_name="expected_serials",
    )
    sku = models.ForeignKey("catalog.SKU", verbose_name=_("SKU"), on_delete=models.PROTECT)
    serial = models.CharField(_("serial number"), max_length=40)
    supplier_serial = models.CharField(_("supplier serial"), max_length=64, blank=True)
    batch = models.ForeignKey(
        "catalog.Batch", verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT
    )
    production_date = models.DateField(_("production date"), null=True, blank=True)
    receipt = models.ForeignKey(
        "procurement.Receipt",
        verbose_name=_("received on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("expected serial (ASN)")
        verbose_name_plural = _("expected serials (ASN)")
        constraints = [
            # (order, serial, sku): the index also serves lookups by order and serial.
            models.UniqueConstraint(
                fields=["order", "serial", "sku"], name="asn_serial_unique_per_order"
            )
        ]
        indexes = [models.Index(fields=["sku", "serial"], name="asn_sku_serial_idx")]

    def __str__(self) -> str:
        return self.serial


class Receipt(models.Model):
    """One receiving session (收货单) of an order into a warehouse, with its tallies.

    The tallies are the supplier-quality record: every scan counts once, by outcome.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    number = models.CharField(_("number"), max_length=40, unique=True)
    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("purchase order"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    warehouse = models.ForeignKey(
        "places.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    scanned = models.PositiveIntegerField(_("scanned"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    suspected = models.PositiveIntegerField(_("suspected counterfeit"), default=0)
    duplicate = models.PositiveIntegerField(_("refused: duplicate"), default=0)
    unknown = models.PositiveIntegerField(_("refused: unknown"), default=0)
    wrong_sku = models.PositiveIntegerField(_("refused: wrong SKU"), default=0)
    over_quantity = models.PositiveIntegerField(_("refused: over the ordered quantity"), default=0)
    invalid = models.PositiveIntegerField(_("refused: unreadable code"), default=0)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "warehouse"],
                condition=models.Q(status="open"),
                name="receipt_one_open_per_order_warehouse",
            )
        ]
        permissions = [("view_supplier_quality", _("Can see supplier quality figures"))]

    def __str__(self) -> str:
        return self.number


class SuspectUnit(models.Model):
    """A unit that arrived but was not on the supplier's list: quarantined until decided."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted (released to stock)")
        REJECTED = "rejected", _("rejected (blocked)")

    unit = models.ForeignKey(
        "serials.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("purchase order"),
        on_delete=models.PROTECT,
        related_name="suspects",
    )
    line = models.ForeignKey(
        PurchaseOrderLine, verbose_name=_("line"), on_delete=models.PROTECT, related_name="+"
    )
    receipt = models.ForeignKey(
        Receipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="suspects"
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=Decision.choices,
        default=Decision.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_notes = models.TextField(_("decision notes"), blank=True)

    class Meta:
        verbose_name = _("suspected counterfeit")
        verbose_name_plural = _("suspected counterfeits")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "receipt"], name="suspect_once_per_receipt")
        ]
        permissions = [("decide_suspectunit", _("Can decide on suspected counterfeit units"))]

    def __str__(self) -> str:
        return f"{self.unit_id} ({self.decision})"
