"""Core's pages in the main navigation: the audit trail, then the background jobs last."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("audit:changelog", _("Audit trail"), "core.view_changelog"),
    ("company:settings", _("Company"), "core.change_companysettings"),
    ("core:job_list", _("Jobs"), "core.view_job"),
]
