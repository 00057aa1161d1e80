"""Places a unit can be: warehouses of several levels, down to an engineer's van.

Bins are optional shelves inside a warehouse. Master data that every document layer
(inventory, procurement, sales, service) and the serials ledger point at; the tables keep
the names they had when these models lived in ``inventory``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext
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

    def clean(self) -> None:
        """A warehouse cannot be its own ancestor (admin and API validate with
        ``full_clean``). Inside a transaction the check runs under the row locks of
        ``places.hierarchy.lock_chain``, so concurrent re-parentings cannot close a loop."""
        super().clean()
        if transaction.get_connection().in_atomic_block:
            # the admin validates inside its transaction: check under the row locks
            from unitrace.places.hierarchy import lock_chain

            lock_chain(self)
        chain = self.ancestor_codes()
        if chain is not None:
            raise ValidationError(
                {
                    "parent": gettext(
                        "%(code)s cannot be placed under %(parent)s: the hierarchy would "
                        "loop (%(chain)s)"
                    )
                    % {
                        "code": self.code,
                        "parent": self.parent.code,
                        "chain": " → ".join([self.code, *chain]),
                    }
                },
                code="cycle",
            )

    def ancestor_codes(self) -> list[str] | None:
        """The codes from the parent up to this warehouse if the chosen parent would
        make a loop, else None. One query per level (hierarchies are a few levels)."""
        if self.parent_id is None:
            return None
        chain: list[str] = []
        seen: set[int] = set()
        current = self.parent_id
        while current is not None and current not in seen:
            if self.pk is not None and current == self.pk:
                chain.append(self.code)
                return chain
            seen.add(current)
            row = Warehouse.objects.filter(pk=current).values_list("code", "parent_id").first()
            if row is None:
                return None
            chain.append(row[0])
            current = row[1]
        return None  # the top, or a loop above that does not pass through this one


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
