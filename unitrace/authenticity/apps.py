from django.apps import AppConfig

from unitrace.core.plugins import Plugin


class AuthenticityConfig(AppConfig):
    name = "unitrace.authenticity"
    label = "authenticity"
    plugin = Plugin(
        order=80,
        pages=(
            ("p/", "unitrace.authenticity.urls"),
            ("01/", "unitrace.authenticity.link_urls"),  # GS1 Digital Link on labels
        ),
        api="unitrace.authenticity.api.urls",
        nav="unitrace.authenticity.nav",
        grants="unitrace.authenticity.roles",
    )
