from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class InventoryConfig(AppConfig):
    name = "unitrace.inventory"
    label = "inventory"
    verbose_name = _("Inventory")
    plugin = Plugin(
        order=60,
        pages=(("inventory/", "unitrace.inventory.urls"),),
        api="unitrace.inventory.api.urls",
        nav="unitrace.inventory.nav",
        grants="unitrace.inventory.roles",
    )
