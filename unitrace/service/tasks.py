"""Celery entry points; the work is in plain functions that tests call directly."""

from celery import shared_task

from unitrace.service.sla.escalation import escalate


@shared_task(name="unitrace.service.escalate_sla")
def escalate_sla_task() -> dict[str, int]:
    """Periodic (``CELERY_BEAT_SCHEDULE`` in settings): mark at-risk and breached SLA
    clocks and tell the regions' supervisors; a repeated run escalates nothing twice."""
    return escalate().as_dict()
