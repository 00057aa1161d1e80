from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "unitrace.catalog"
    label = "catalog"
