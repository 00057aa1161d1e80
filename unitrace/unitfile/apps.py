from django.apps import AppConfig


class UnitfileConfig(AppConfig):
    """Read-side compositions over serials, warranty and authenticity: the unit file
    (page and API), the scan summary and label sheets. Owns no tables."""

    name = "unitrace.unitfile"
    label = "unitfile"
