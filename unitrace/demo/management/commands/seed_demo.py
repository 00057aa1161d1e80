"""manage.py seed_demo [--units N]: load the demo company (skipped if it is there)."""

from django.core.management.base import BaseCommand

from unitrace.demo.seed import DEFAULT_UNITS, demo_present, logins_table, seed_demo


class Command(BaseCommand):
    help = "Load demo master data, logins (one per role) and units with real histories."

    def add_arguments(self, parser):
        parser.add_argument(
            "--units", type=int, default=DEFAULT_UNITS, help="about how many units to create"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args, units: int, seed: int, **options):
        if demo_present():
            self.stdout.write("Demo data is already present; nothing to do.")
        else:
            self.stdout.write(f"Loading demo data (about {units} units)...")
            result = seed_demo(units=units, seed=seed, log=self.stdout.write)
            statuses = ", ".join(f"{k} {v}" for k, v in result.statuses.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {result.units} units, {result.events} events and "
                    f"{result.links} component links in {result.seconds:.1f} s."
                )
            )
            self.stdout.write(f"  statuses: {statuses}")
            self.stdout.write(
                "  after-sales: " + ", ".join(f"{k} {v}" for k, v in result.stats.items())
            )
        self.stdout.write("\nDemo logins:")
        self.stdout.write(logins_table())
