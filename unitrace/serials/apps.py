from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class SerialsConfig(AppConfig):
    name = "unitrace.serials"
    label = "serials"
    verbose_name = _("Units and serials")
    plugin = Plugin(
        order=40,
        # serials' pages are mounted by unitfile, which composes the ``serials`` namespace
        api="unitrace.serials.api.urls",
        nav="unitrace.serials.nav",
        grants="unitrace.serials.roles",
        jobs=("unitrace.serials.jobs",),  # units.import, units.generate
    )
