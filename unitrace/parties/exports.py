"""XLSX/CSV export of the party list, masked and scoped as the page is."""

from __future__ import annotations

from django.utils.translation import gettext as _

from unitrace.core.exports import Export, Table, register_export
from unitrace.parties.masking import party_contact, record_pii_read
from unitrace.parties.models import Party
from unitrace.parties.selectors import filtered_parties


def party_table(user, params: dict[str, str]) -> Table:
    queryset, form = filtered_parties(user, params)
    count = queryset.count()
    filters = dict(form.data.items())
    header = [
        _("code"),
        _("kind"),
        _("name"),
        _("company"),
        _("contact person"),
        _("phone"),
        _("region"),
        _("street address"),
        _("active"),
    ]

    def rows():
        for party in queryset.iterator(2000):
            seen = party_contact(party, user)
            yield [
                party.code,
                party.get_kind_display(),
                seen["name"],
                _("yes") if party.is_company else _("no"),
                seen["contact"],
                seen["phone"],
                seen["region"],
                seen["address"],
                _("yes") if party.active else _("no"),
            ]

    # a file of unmasked personal data is a bulk read of it
    record_pii_read(user, Party, rows=count, filters=filters, what="parties.export")
    return Table(header, rows(), count, filters=filters)


PARTY_EXPORT = register_export(
    Export(
        name="parties",
        what="parties.party",
        permission="parties.view_party",
        stem="parties",
        title=lambda: _("Parties"),
        table=party_table,
    )
)
