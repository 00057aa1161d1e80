"""manage.py rebuild_units [--fix] [--sku CODE]: replay the ledger, report drift.

Checks the units' state fields and their component links against the events. Exits
with status 1 when anything drifted and was not repaired: without ``--fix`` any
drift, with ``--fix`` links whose parent and component events disagree (the events
are append-only; a person records the correcting event).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from unitrace.serials.models import Unit
from unitrace.serials.rebuild import check_links, check_units


class Command(BaseCommand):
    help = "Re-derive every unit's state and component links from its events; report drift."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="write the derived state and links back"
        )
        parser.add_argument("--sku", help="only units of this SKU code")

    def handle(self, *args, fix: bool = False, sku: str | None = None, **options):
        queryset = Unit.objects.all()
        if sku:
            queryset = queryset.filter(sku__code=sku)
        drifted: set[int] = set()
        for drift in check_units(queryset, fix=fix):
            drifted.add(drift.unit_id)
            self.stdout.write(drift.describe())
        link_drifts = 0
        unfixable = 0
        for link in check_links(queryset, fix=fix):
            link_drifts += 1
            unfixable += not link.fixable
            self.stdout.write(link.describe())
        counts = {
            "total": queryset.count(),
            "units": len(drifted),
            "links": link_drifts - unfixable if fix else link_drifts,
        }
        if fix:
            self.stdout.write(_("%(total)d units checked, %(units)d repaired.") % counts)
            self.stdout.write(_("%(links)d component links repaired.") % counts)
        else:
            self.stdout.write(_("%(total)d units checked, %(units)d drifted.") % counts)
            self.stdout.write(_("%(links)d component links drifted.") % counts)
        if unfixable:
            self.stderr.write(
                _(
                    "%(count)d component links have disagreeing events and were not "
                    "repaired: record a correcting event."
                )
                % {"count": unfixable}
            )
        if (not fix and (drifted or link_drifts)) or unfixable:
            raise SystemExit(1)
