"""Places a unit can be: warehouses of several levels, down to an engineer's van.

Bins are optional shelves inside a warehouse. Master data that every document layer
(inventory, procurement, sales, service) and the serials ledger point at; the tables keep
the names they had when these models lived in ``inventory``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Warehouse(models.Model):
    class Level(models.TextChoices):
        HQ = "hq", _("headquarters")
        REGIONAL = "regional", _("regional")
        SERVICE_CENTRE = "service_centre", _("service centre")
        VAN = "van", _("engineer van")
        FACTORY = "factory", _("factory")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT
    )
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "inventory_warehouse"
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]
        permissions = [
            ("hold_units", _("Can quarantine, block and release units")),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Bin(models.Model):
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.CASCADE, related_name="bins"
    )
    code = models.CharField(_("code"), max_length=40)

    class Meta:
        db_table = "inventory_bin"
        verbose_name = _("bin")
        verbose_name_plural = _("bins")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="bin_unique_per_warehouse")
        ]

    def __str__(self) -> str:
        return f"{self.warehouse.code}/{self.code}"
