"""manage.py sync_roles: make each role group hold exactly what accounts/roles.py grants."""

from django.core.management.base import BaseCommand

from unitrace.accounts.services import sync_roles


class Command(BaseCommand):
    help = "Re-seed the role groups' permissions from accounts/roles.py."

    def handle(self, *args, **options):
        for role, count in sync_roles().items():
            self.stdout.write(f"{role}: {count} permissions")
