"""manage.py escalate_sla [--at ISO-TIME]: the periodic SLA escalation, run by hand.

The same function the Celery beat task calls; safe to run while it runs (a clock is
escalated once whoever marks it).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from unitrace.service.sla.escalation import escalate


class Command(BaseCommand):
    help = "Mark at-risk and breached SLA clocks and record escalations to the supervisors."

    def add_arguments(self, parser):
        parser.add_argument(
            "--at", help="evaluate as of this moment (ISO 8601, default: now), e.g. for a replay"
        )

    def handle(self, *args, at: str | None = None, **options):
        when = None
        if at:
            when = parse_datetime(at)
            if when is None:
                raise CommandError(_("--at: %(value)s is not an ISO 8601 time.") % {"value": at})
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        result = escalate(when)
        self.stdout.write(
            _(
                "Run %(run)d: %(at_risk)d clocks at risk, %(breached)d breached, "
                "%(escalations)d escalations recorded."
            )
            % result.as_dict()
        )
