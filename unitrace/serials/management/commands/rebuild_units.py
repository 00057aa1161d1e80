"""manage.py rebuild_units [--fix] [--sku CODE]: replay the ledger, report drift."""

from django.core.management.base import BaseCommand

from unitrace.serials.models import Unit
from unitrace.serials.rebuild import check_units


class Command(BaseCommand):
    help = "Re-derive every unit's current state from its events and report any drift."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="write the derived state back")
        parser.add_argument("--sku", help="only units of this SKU code")

    def handle(self, *args, fix: bool = False, sku: str | None = None, **options):
        queryset = Unit.objects.all()
        if sku:
            queryset = queryset.filter(sku__code=sku)
        drifted: set[int] = set()
        for drift in check_units(queryset, fix=fix):
            drifted.add(drift.unit_id)
            self.stdout.write(
                f"{drift.serial} (#{drift.unit_id}) {drift.field}: "
                f"stored={drift.stored!r} derived={drift.derived!r}"
            )
        total = queryset.count()
        verb = "repaired" if fix else "drifted"
        self.stdout.write(f"{total} units checked, {len(drifted)} {verb}.")
        if drifted and not fix:
            raise SystemExit(1)
