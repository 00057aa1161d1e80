from django.apps import AppConfig


class WarrantyConfig(AppConfig):
    name = "unitrace.warranty"
    label = "warranty"
