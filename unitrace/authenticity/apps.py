from django.apps import AppConfig


class AuthenticityConfig(AppConfig):
    name = "unitrace.authenticity"
    label = "authenticity"
