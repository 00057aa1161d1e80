from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class CalendarsConfig(AppConfig):
    name = "unitrace.calendars"
    label = "calendars"
    verbose_name = _("Business calendars")
    plugin = Plugin(order=45, grants="unitrace.calendars.roles")
