from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "unitrace.accounts"
    label = "accounts"
