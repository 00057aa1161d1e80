from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class SalesConfig(AppConfig):
    name = "unitrace.sales"
    label = "sales"
    verbose_name = _("Sales and channels")
    plugin = Plugin(
        order=70,
        # sales' pages are mounted by service, which composes the ``sales`` namespace
        api="unitrace.sales.api.urls",
        nav="unitrace.sales.nav",
        grants="unitrace.sales.roles",
    )
