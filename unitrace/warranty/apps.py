from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class WarrantyConfig(AppConfig):
    name = "unitrace.warranty"
    label = "warranty"
    verbose_name = _("Warranty")
    plugin = Plugin(order=42, grants="unitrace.warranty.roles")
