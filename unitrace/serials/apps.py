from django.apps import AppConfig

from unitrace.core.plugins import Plugin


class SerialsConfig(AppConfig):
    name = "unitrace.serials"
    label = "serials"
    plugin = Plugin(
        order=40,
        pages=(("", "unitrace.serials.urls"),),  # the catch-all: always mounted last
        api="unitrace.serials.api.urls",
        nav="unitrace.serials.nav",
        grants="unitrace.serials.roles",
        jobs=("unitrace.serials.jobs",),  # units.import, units.generate
    )
