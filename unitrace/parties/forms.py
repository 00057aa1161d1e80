"""The party form of the master-data pages (personal data masked for roles without
``parties.view_pii``: shown masked, kept unless a whole new value is typed)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unitrace.parties.masking import PII_FIELDS, can_see_pii, is_person, mask_name, masked_value
from unitrace.parties.models import Party

FIELDS = (
    "kind",
    "code",
    "name",
    "is_company",
    "contact",
    "phone",
    "province",
    "city",
    "district",
    "address",
    "active",
)


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = FIELDS
        help_texts = {"code": _("Leave empty to have one drawn.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["code"].required = False
        # the phone is checked after normalizing ("138 1234 1234"), by the service
        self.fields["phone"].validators = []
        if self.instance.pk is not None:
            self.fields["code"].disabled = True  # codes are printed on documents
            self.fields["kind"].disabled = True
        if self.instance.pk is not None and not can_see_pii(user):
            for name in PII_FIELDS:
                self.initial[name] = masked_value(name, getattr(self.instance, name))
                self.fields[name].help_text = _(
                    "Shown masked; leave it as it is to keep it, or type a whole new value."
                )
            if is_person(self.instance):  # a private customer's name is personal data
                self.initial["name"] = mask_name(self.instance.name)
                self.fields["name"].help_text = self.fields["phone"].help_text

    def _hides_name(self) -> bool:
        party = self.instance
        return party.pk is not None and is_person(party) and not can_see_pii(self.user)

    def clean_name(self) -> str:
        name = (self.cleaned_data.get("name") or "").strip()
        if self._hides_name() and name != mask_name(self.instance.name) and "*" in name:
            raise forms.ValidationError(
                _("Type the whole new value: a masked value cannot be edited.")
            )
        return name

    def _post_clean(self) -> None:
        """Validation is the service's (``save_any_party``): it normalizes the phone and
        keeps masked personal data first, then runs the model's checks."""

    def values(self) -> dict:
        """The values for ``save_any_party``: the masked name sent back unchanged means
        "keep it" (the service does the same for phone, address and contact)."""
        data = dict(self.cleaned_data)
        data.pop("kind", None)
        if self._hides_name() and data.get("name") == mask_name(self.instance.name):
            del data["name"]
        return data
