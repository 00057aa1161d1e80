from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class PlacesConfig(AppConfig):
    name = "unitrace.places"
    label = "places"
    verbose_name = _("Warehouses and bins")
    plugin = Plugin(
        pages=(("places/", "unitrace.places.urls"),),
        nav="unitrace.places.nav",
        nav_order=9010,  # master data after the documents, before audit and jobs
        jobs=("unitrace.places.exports", "unitrace.places.importing"),
    )
