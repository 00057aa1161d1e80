from django.apps import AppConfig

from unitrace.core.plugins import Plugin


class AccountsConfig(AppConfig):
    name = "unitrace.accounts"
    label = "accounts"
    plugin = Plugin(
        order=10,
        pages=(("accounts/", "unitrace.accounts.urls"),),
        api="unitrace.accounts.api.urls",
    )
