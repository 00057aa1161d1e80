from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class ProcurementConfig(AppConfig):
    name = "unitrace.procurement"
    label = "procurement"
    verbose_name = _("Procurement")
    plugin = Plugin(
        order=50,
        pages=(("procurement/", "unitrace.procurement.urls"),),
        api="unitrace.procurement.api.urls",
        nav="unitrace.procurement.nav",
        grants="unitrace.procurement.roles",
        jobs=("unitrace.procurement.jobs",),  # ASN import, receiving from a file
    )
