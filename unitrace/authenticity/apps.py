from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class AuthenticityConfig(AppConfig):
    name = "unitrace.authenticity"
    label = "authenticity"
    verbose_name = _("Authenticity and activation")
    plugin = Plugin(
        order=80,
        pages=(
            ("p/", "unitrace.authenticity.urls"),
            ("01/", "unitrace.authenticity.link_urls"),  # GS1 Digital Link on labels
            ("r/", "unitrace.authenticity.progress_urls"),  # a repair request's progress
        ),
        api="unitrace.authenticity.api.urls",
        nav="unitrace.authenticity.nav",
        grants="unitrace.authenticity.roles",
        intake_flags="unitrace.authenticity.intake_flags",
    )
