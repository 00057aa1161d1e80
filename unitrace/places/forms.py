"""The warehouse and bin forms of the master-data pages."""

from __future__ import annotations

from django import forms

from unitrace.places.models import Bin, Warehouse


class WarehouseForm(forms.ModelForm):
    class Meta:
        model = Warehouse
        fields = ["code", "name", "level", "parent", "province", "city", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Warehouse.objects.order_by("code")
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip()


class BinForm(forms.ModelForm):
    class Meta:
        model = Bin
        fields = ["code"]

    def __init__(self, *args, warehouse: Warehouse, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.warehouse = warehouse

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip()
