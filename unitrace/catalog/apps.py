from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class CatalogConfig(AppConfig):
    name = "unitrace.catalog"
    label = "catalog"
    verbose_name = _("Catalog")
    plugin = Plugin(order=30, api="unitrace.catalog.api.urls")
