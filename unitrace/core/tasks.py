from celery import shared_task
from django.db import close_old_connections

from unitrace.core.jobs import run_job


@shared_task(name="unitrace.run_job", acks_late=True)
def run_job_task(job_id: int) -> None:
    close_old_connections()
    run_job(job_id)
