from django.apps import AppConfig

from unitrace.core.plugins import Plugin


class InventoryConfig(AppConfig):
    name = "unitrace.inventory"
    label = "inventory"
    plugin = Plugin(
        order=60,
        pages=(("inventory/", "unitrace.inventory.urls"),),
        api="unitrace.inventory.api.urls",
        nav="unitrace.inventory.nav",
        grants="unitrace.inventory.roles",
    )
