from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "unitrace.core"
    label = "core"
