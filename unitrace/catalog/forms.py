"""The SKU and batch forms of the master-data pages."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from unitrace.catalog.models import SKU, Batch
from unitrace.core.forms import DayField
from unitrace.parties.models import Party

MAX_WARRANTY_MONTHS = 600  # fifty years
MAX_SERIAL_LENGTH = 40  # the unit table's serial column: a longer rule could not be stored
MAX_BATCH_QUANTITY = 2_147_483_647  # PostgreSQL's integer


class SkuForm(forms.ModelForm):
    class Meta:
        model = SKU
        fields = [
            "code",
            "name",
            "category",
            "gtin",
            "serialized",
            "serial_pattern",
            "serial_max_length",
            "enforce_pattern",
            "warranty_months",
            "warranty_start",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The same bounds on every database: SQLite stores any integer, PostgreSQL's
        # smallint stops at 32767, and neither is a sensible warranty or serial length.
        self.fields["warranty_months"].max_value = MAX_WARRANTY_MONTHS
        self.fields["warranty_months"].validators.append(MaxValueValidator(MAX_WARRANTY_MONTHS))
        self.fields["serial_max_length"].validators.append(MaxValueValidator(MAX_SERIAL_LENGTH))

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip()


class BatchForm(forms.ModelForm):
    production_date = DayField(
        label=_("production date"),
        required=False,
        help_text=_("e.g. 2026-01-15 or 2026年1月15日"),
    )

    class Meta:
        model = Batch
        fields = [
            "sku",
            "code",
            "production_date",
            "factory",
            "line",
            "supplier",
            "quantity",
            "qc_status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Party.objects.filter(kind=Party.Kind.SUPPLIER)
        self.fields["sku"].queryset = SKU.objects.order_by("code")
        self.fields["quantity"].validators.append(MaxValueValidator(MAX_BATCH_QUANTITY))

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip()
