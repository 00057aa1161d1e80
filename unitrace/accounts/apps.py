from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class AccountsConfig(AppConfig):
    name = "unitrace.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")
    plugin = Plugin(
        order=10,
        pages=(("accounts/", "unitrace.accounts.urls"),),
        api="unitrace.accounts.api.urls",
    )
