"""Celery application: workers run background jobs and periodic tasks."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unitrace.settings")

app = Celery("unitrace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
