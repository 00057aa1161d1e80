from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed only so that Django finds the ``seed_demo`` command; it has no models."""

    name = "unitrace.demo"
    label = "demo"
