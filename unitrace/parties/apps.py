from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "unitrace.parties"
    label = "parties"
