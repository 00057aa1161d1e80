from django.apps import AppConfig

from unitrace.core.plugins import Plugin


class CatalogConfig(AppConfig):
    name = "unitrace.catalog"
    label = "catalog"
    plugin = Plugin(order=30, api="unitrace.catalog.api.urls")
