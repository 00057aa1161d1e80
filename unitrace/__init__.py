"""unitrace: every unit its own identity, followed from purchase to years of service."""

from unitrace.celery import app as celery_app

__all__ = ["celery_app"]
