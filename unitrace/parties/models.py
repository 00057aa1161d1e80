"""Everyone a unit can be bought from, sold to or held by."""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from unitrace.geo.fields import Located

phone_validator = RegexValidator(
    r"^(\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
    _("Enter a Chinese mobile (11 digits starting with 1) or landline number (0xx-xxxxxxx)."),
)
_NOT_DIGITS = re.compile(r"\D+")
TAIL_DIGITS = 4


def phone_tail(phone: str) -> str:
    """The last four digits of a phone: what a caller says when asked "the last four?"."""
    return _NOT_DIGITS.sub("", phone or "")[-TAIL_DIGITS:]


class Party(Located):
    """A supplier, customer, distributor or service partner.

    One table so that a unit's holder and an event's party are a single foreign key;
    the kind says which role the party plays. Its address carries the division code
    and point it resolves to (``geo.fields.Located``, kept by ``services.save_any_party``).
    """

    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("supplier")
        CUSTOMER = "customer", _("customer")
        DISTRIBUTOR = "distributor", _("distributor")
        SERVICE_PARTNER = "service_partner", _("service partner")
        MANUFACTURER = "manufacturer", _("manufacturer")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_company = models.BooleanField(_("company"), default=True)
    contact = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[phone_validator], db_index=True
    )
    # Kept by ``save`` from ``phone``: an agent finds a caller by the last four digits
    # with an index instead of scanning every phone with LIKE '%1234'.
    phone_tail = models.CharField(
        _("last digits of the phone"), max_length=TAIL_DIGITS, blank=True, editable=False
    )
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    district = models.CharField(_("district"), max_length=30, blank=True)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["code"]
        permissions = [("view_pii", _("Can see personal data (phone, address) unmasked"))]
        indexes = [
            # finding a customer: by the phone's last digits, and by a name's beginning
            # (LIKE 'prefix%' needs the pattern operator class on PostgreSQL)
            models.Index(fields=["kind", "phone_tail"], name="party_kind_phone_tail"),
            models.Index(
                fields=["name"], name="party_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs) -> None:
        self.phone_tail = phone_tail(self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_tail"}
        super().save(*args, **kwargs)


class AuthorizedRegion(models.Model):
    """Where a distributor may sell: a whole province, or one city in it."""

    party = models.ForeignKey(
        Party, verbose_name=_("distributor"), on_delete=models.CASCADE, related_name="regions"
    )
    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=30, blank=True, help_text=_("empty = all"))

    class Meta:
        verbose_name = _("authorized region")
        verbose_name_plural = _("authorized regions")
        constraints = [
            models.UniqueConstraint(
                fields=["party", "province", "city"], name="authorized_region_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party.code}: {self.province}{self.city}"
