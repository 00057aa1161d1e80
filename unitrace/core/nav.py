"""Core's page in the main navigation: the background jobs, always the last entry."""

from django.utils.translation import gettext_lazy as _

ITEMS = [("core:job_list", _("Jobs"), "core.view_job")]
