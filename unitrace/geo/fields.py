"""The fields of anything with an address people route to (parties; work orders and
engineers next): the division code, the point, whether the text resolved.

``adcode`` is the deepest division the address names (six digits), indexed so that a
region filter is a prefix query: ``adcode__startswith="3301"`` (杭州市),
``adcode__startswith="33"`` (浙江省); ``divisions.prefix(code)`` gives the digits.
``latitude``/``longitude`` are the division's centroid, or exact GPS coordinates when
``location_exact``. An address that did not resolve keeps its text as typed, and
``address_resolved`` False with ``address_issue`` saying why.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from unitrace.geo.resolve import Resolution

SIX_PLACES = Decimal("0.000001")


def coordinate(value: float | None) -> Decimal | None:
    """A float coordinate as the column stores it (six decimals, about 0.1 m)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def location_values(resolution: Resolution, *, has_address: bool = True) -> dict:
    """The ``Located`` columns for a resolution (centroid), as plain values: for
    ``apply_resolution`` and for migrations, whose historical models lack its methods."""
    issue = "" if resolution.resolved or not has_address else resolution.reason
    return {
        "adcode": resolution.adcode,
        "latitude": coordinate(resolution.latitude),
        "longitude": coordinate(resolution.longitude),
        "address_resolved": resolution.resolved,
        "address_issue": issue[:300],
    }


class Located(models.Model):
    """Abstract: the division code and point of a record's address."""

    adcode = models.CharField(_("division code"), max_length=6, blank=True, db_index=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_exact = models.BooleanField(
        _("exact coordinates"), default=False, help_text=_("from GPS, not the district centre")
    )
    address_resolved = models.BooleanField(_("address resolved"), default=False)
    address_issue = models.CharField(_("address problem"), max_length=300, blank=True)

    LOCATION_FIELDS = (
        "adcode",
        "latitude",
        "longitude",
        "location_exact",
        "address_resolved",
        "address_issue",
    )

    class Meta:
        abstract = True

    def apply_resolution(self, resolution: Resolution, *, has_address: bool = True) -> None:
        """Store a resolution's code and centroid (exact coordinates are kept)."""
        values = location_values(resolution, has_address=has_address)
        if self.location_exact:
            del values["latitude"], values["longitude"]
        for name, value in values.items():
            setattr(self, name, value)

    def set_exact_point(self, latitude: float | None, longitude: float | None) -> None:
        """GPS coordinates (checked by the caller), or None to go back to the centroid."""
        self.location_exact = latitude is not None
        self.latitude = coordinate(latitude)
        self.longitude = coordinate(longitude)
