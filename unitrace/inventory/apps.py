from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "unitrace.inventory"
    label = "inventory"
