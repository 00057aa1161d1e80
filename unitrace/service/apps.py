from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class ServiceConfig(AppConfig):
    name = "unitrace.service"
    label = "service"
    verbose_name = _("Returns and service")
    plugin = Plugin(
        order=75,
        pages=(
            ("sales/", "unitrace.service.urls"),  # with sales' own pages
            ("service/", "unitrace.service.web_urls"),  # work orders, agent console
        ),
        api="unitrace.service.api.urls",
        nav="unitrace.service.nav",
        grants="unitrace.service.roles",
        jobs=("unitrace.service.exports",),  # the work-order export (a job when large)
    )
