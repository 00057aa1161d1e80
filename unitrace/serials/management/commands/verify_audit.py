"""Walk the audit chains (unit events, change log) and name the first entry that does not match.

Exits with status 1 when a chain is broken, so a scheduled run can alert.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from unitrace.core.audit import verify_changelog
from unitrace.serials.verify import verify_ledger


class Command(BaseCommand):
    help = "Verify the hash chains of the unit ledger and the change log."

    def handle(self, *args, **options):
        broken = []
        for name, verify in (("unit events", verify_ledger), ("change log", verify_changelog)):
            count = 0

            def counter():
                nonlocal count
                count += 1

            problem = verify(counter=counter)
            if problem is None:
                self.stdout.write(f"{name}: {count} records, chain intact")
            else:
                self.stdout.write(f"{name}: BROKEN at {problem}")
                broken.append(problem)
        if broken:
            raise CommandError(f"audit chain broken: {broken[0]}")
