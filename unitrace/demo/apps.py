from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Installed only so that Django finds the ``seed_demo`` command; it has no models."""

    name = "unitrace.demo"
    label = "demo"
    verbose_name = _("Demo data")
