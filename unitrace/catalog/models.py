"""What products are: categories, SKUs (型号) with their components, and batches."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unitrace.codes.gs1 import normalize_gtin
from unitrace.codes.patterns import PatternError, SerialPattern
from unitrace.core.display import shown_date


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class WarrantyStart(models.TextChoices):
    SHIPMENT = "shipment", _("shipment")
    SALE = "sale", _("sale")
    ACTIVATION = "activation", _("activation")
    INSTALLATION = "installation", _("installation")


class SerialMode(models.TextChoices):
    SEQUENCE = "sequence", _("sequence")
    RANDOM = "random", _("random (unguessable)")


class SKU(models.Model):
    code = models.CharField(_("model code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    gtin = models.CharField(
        _("GTIN"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        help_text=_("8, 12, 13 or 14 digits; stored as GTIN-14."),
    )
    serialized = models.BooleanField(_("serialized"), default=True)
    serial_pattern = models.CharField(
        _("serial rule"),
        max_length=100,
        blank=True,
        help_text=_("e.g. A{YY}{MM}{SEQ:6}{CHECK} or {RAND:10}{CHECK}"),
    )
    serial_max_length = models.PositiveSmallIntegerField(
        _("maximum serial length"),
        default=20,
        validators=[MinValueValidator(1)],
    )
    enforce_pattern = models.BooleanField(_("imported serials must match the rule"), default=False)
    warranty_months = models.PositiveSmallIntegerField(_("warranty months"), default=12)
    warranty_start = models.CharField(
        _("warranty starts at"),
        max_length=20,
        choices=WarrantyStart.choices,
        default=WarrantyStart.SALE,
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SKU / model")
        verbose_name_plural = _("SKUs / models")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.gtin:
            try:
                self.gtin = normalize_gtin(self.gtin)
            except ValueError as exc:
                errors["gtin"] = str(exc)
        else:
            self.gtin = None
        if self.serial_pattern:
            try:
                SerialPattern.parse(self.serial_pattern)
            except PatternError as exc:
                errors["serial_pattern"] = str(exc)
        if (
            not self.serialized
            and self.pk is not None
            and ComponentSpec.objects.filter(component_id=self.pk).exists()
        ):
            errors["serialized"] = _(
                "%(code)s is a key component of other models and must stay serialized; "
                "remove it from their key components first."
            ) % {"code": self.code}
        if errors:
            raise ValidationError(errors)

    @property
    def pattern(self) -> SerialPattern | None:
        return SerialPattern.parse(self.serial_pattern) if self.serial_pattern else None


class ComponentSpec(models.Model):
    """A key serialized component that goes into a SKU (the BOM lines that are tracked)."""

    parent = models.ForeignKey(
        SKU, verbose_name=_("product"), on_delete=models.CASCADE, related_name="components"
    )
    component = models.ForeignKey(
        SKU, verbose_name=_("component"), on_delete=models.PROTECT, related_name="used_in"
    )
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    position = models.CharField(_("position"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("key component")
        verbose_name_plural = _("key components")
        constraints = [
            models.UniqueConstraint(fields=["parent", "component"], name="component_spec_unique"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("component")), name="component_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.code} ⊃ {self.quantity} × {self.component.code}"

    def clean(self) -> None:
        # Key components are traced unit by unit (fitted, removed, recalled), which a
        # part counted by quantity cannot be.
        try:
            component = self.component
        except SKU.DoesNotExist:
            return  # no component (yet): the field's own validation reports it
        if not component.serialized:
            raise ValidationError(
                {
                    "component": _(
                        "%(code)s is not serialized: only serialized SKUs can be key "
                        "components (parts counted by quantity are not traced per unit)."
                    )
                    % {"code": component.code}
                }
            )


class Batch(models.Model):
    class QC(models.TextChoices):
        PENDING = "pending", _("pending")
        PASSED = "passed", _("passed")
        FAILED = "failed", _("failed")
        ON_HOLD = "on_hold", _("on hold")

    sku = models.ForeignKey(SKU, verbose_name=_("SKU"), on_delete=models.PROTECT)
    code = models.CharField(_("batch number"), max_length=40)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    factory = models.CharField(_("factory"), max_length=100, blank=True)
    line = models.CharField(_("production line"), max_length=40, blank=True)
    supplier = models.ForeignKey(
        "parties.Party",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    qc_status = models.CharField(
        _("QC status"), max_length=10, choices=QC.choices, default=QC.PENDING
    )

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-production_date", "code"]
        constraints = [models.UniqueConstraint(fields=["sku", "code"], name="batch_unique_per_sku")]

    def __str__(self) -> str:
        return f"{self.sku.code}/{self.code}"

    def clean(self) -> None:
        # "Today" is the business's calendar day (settings.TIME_ZONE, Asia/Shanghai),
        # whatever time zone the request runs in.
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        made = self.production_date
        if isinstance(made, datetime.date) and made > today:
            raise ValidationError(
                {
                    "production_date": _(
                        "The production date %(date)s is in the future (today is %(today)s)."
                    )
                    % {"date": shown_date(made), "today": shown_date(today)}
                }
            )
