from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class GeoConfig(AppConfig):
    """Division reference data (GB/T 2260), address resolution and distances.

    No models of its own: the division table is packaged data held in memory
    (``geo.divisions``); records store a division's code (``geo.fields.Located``)."""

    name = "unitrace.geo"
    label = "geo"
    verbose_name = _("Divisions and addresses")
    plugin = Plugin(api="unitrace.geo.api.urls")
