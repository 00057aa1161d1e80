"""A job module for the plug-in tests: importing it registers one handler."""

from unitrace.core.jobs import job_handler


@job_handler("test.plugged_in")
def plugged_in(job, progress) -> dict:
    return {}
