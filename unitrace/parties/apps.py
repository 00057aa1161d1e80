from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class PartiesConfig(AppConfig):
    name = "unitrace.parties"
    label = "parties"
    verbose_name = _("Parties")
    # the change log shows a party's personal data masked like every page does
    plugin = Plugin(
        masks="unitrace.parties.changelog",
        pages=(("parties/", "unitrace.parties.urls"),),
        nav="unitrace.parties.nav",
        nav_order=9020,  # master data after the documents, before audit and jobs
        jobs=("unitrace.parties.exports", "unitrace.parties.importing"),
    )
