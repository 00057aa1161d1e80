"""Celery entry points; the work is in plain functions that tests call directly."""

from celery import shared_task

from unitrace.inventory.alerts import check_min_stock


@shared_task(name="unitrace.inventory.check_min_stock")
def check_min_stock_task() -> dict[str, int]:
    """Periodic (``CELERY_BEAT_SCHEDULE`` in settings): raise and resolve low-stock alerts.

    Stock changes also check their own part at once (``alerts.check_after_commit``).
    """
    return check_min_stock()
