"""Deliveries (出库/交付) binding units to a buyer, and distributors' sell-through."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from unitrace.core.models import created_by_field


class Delivery(models.Model):
    """One delivery note: these units left this warehouse for this buyer at this time."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    order = models.ForeignKey(
        "sales.SalesOrder",
        verbose_name=_("order"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    warehouse = models.ForeignKey(
        "places.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT
    )
    buyer = models.ForeignKey(
        "parties.Party", verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered at"))
    unit_count = models.PositiveIntegerField(_("units"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    # who carries the goods and their waybill number, printed on the delivery note
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = created_by_field()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-delivered_at", "-id"]

    def __str__(self) -> str:
        return self.number


class DeliveryItem(models.Model):
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="items"
    )
    line = models.ForeignKey(
        "sales.SalesOrderLine", verbose_name=_("order line"), on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "serials.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("delivered unit")
        verbose_name_plural = _("delivered units")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "unit"], name="delivery_unit_once")
        ]
        indexes = [models.Index(fields=["unit"], name="delivery_item_unit_idx")]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.unit_id}"


class SellThrough(models.Model):
    """A distributor's sale of a unit it holds to an end customer.

    ``region`` is where this sale happened, as given with it (the in-region check uses
    it, never the customer's stored address); ``customer_name`` and ``customer_phone``
    are what the recorder typed, which is all a distributor is shown of the customer.
    """

    distributor = models.ForeignKey(
        "parties.Party",
        verbose_name=_("distributor"),
        on_delete=models.PROTECT,
        related_name="sell_throughs",
    )
    unit = models.ForeignKey(
        "serials.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        "parties.Party", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    sold_at = models.DateTimeField(_("sold at"))
    customer_name = models.CharField(_("customer name as given"), max_length=200, blank=True)
    customer_phone = models.CharField(_("customer phone as given"), max_length=20, blank=True)
    region = models.CharField(_("region"), max_length=80, blank=True)
    in_region = models.BooleanField(_("inside the authorized region"), default=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    created_by = created_by_field(_("recorded by"))

    class Meta:
        verbose_name = _("sell-through")
        verbose_name_plural = _("sell-throughs")
        ordering = ["-sold_at", "-id"]
        indexes = [models.Index(fields=["distributor", "sold_at"], name="sellthrough_dist_idx")]

    def __str__(self) -> str:
        return f"{self.distributor_id} → {self.customer_id}: {self.unit_id}"
