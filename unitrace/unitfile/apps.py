from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from unitrace.core.plugins import Plugin


class UnitfileConfig(AppConfig):
    """Read-side compositions over serials, warranty and authenticity: the unit file
    (page and API), the scan summary and label sheets. Owns no tables."""

    name = "unitrace.unitfile"
    label = "unitfile"
    verbose_name = _("Unit file")
    plugin = Plugin(
        order=45,  # its API after serials': units/{id}/ must not shadow units/generate/
        pages=(("", "unitrace.unitfile.urls"),),  # the catch-all, with serials' pages
        api="unitrace.unitfile.api.urls",
        jobs=("unitrace.unitfile.labels",),  # labels: large label runs
    )
