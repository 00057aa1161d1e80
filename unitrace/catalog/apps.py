from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class CatalogConfig(AppConfig):
    name = "unitrace.catalog"
    label = "catalog"
    verbose_name = _("Catalog")
    plugin = Plugin(
        order=30,
        api="unitrace.catalog.api.urls",
        pages=(("catalog/", "unitrace.catalog.urls"),),
        nav="unitrace.catalog.nav",
        jobs=("unitrace.catalog.exports", "unitrace.catalog.importing"),
        nav_order=9000,  # master data after the documents, before audit and jobs
    )
