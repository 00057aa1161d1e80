"""Distances between points, and the point a record is routed by.

A record with an address has its division's centroid; exact coordinates from a phone's
GPS, when given, override it (``point_for``). Coordinates are checked: within the
globe's ranges, and roughly within China's bounding box, so a swapped latitude and
longitude or a point in the sea off Africa (0, 0) is refused with a clear message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from unitrace.core.errors import DomainError
from unitrace.geo.divisions import get

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
# China with its islands (南沙 ~3.8°N, 漠河 ~53.6°N, 帕米尔 ~73.5°E, 抚远 ~135.1°E), with a margin.
CHINA_LATITUDE = (3.0, 54.0)
CHINA_LONGITUDE = (73.0, 136.0)


class CoordinateError(DomainError):
    code = "invalid_coordinates"


@dataclass(frozen=True)
class Point:
    """Where to route to; ``exact`` is True for GPS coordinates, False for a centroid."""

    latitude: float
    longitude: float
    exact: bool
    adcode: str = ""


def _number(value, field: str) -> float:
    try:
        number = float(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError, TypeError):
        number = math.nan
    if not math.isfinite(number):
        message = (
            _("Enter the latitude as a number.")
            if field == "latitude"
            else _("Enter the longitude as a number.")
        )
        raise CoordinateError(message, field=field)
    return number


def check_coordinates(latitude, longitude) -> tuple[float, float]:
    """``(latitude, longitude)`` as floats, or a ``CoordinateError`` naming the field."""
    lat = _number(latitude, "latitude")
    lng = _number(longitude, "longitude")
    if not -90 <= lat <= 90:
        raise CoordinateError(_("A latitude lies between -90 and 90."), field="latitude")
    if not -180 <= lng <= 180:
        raise CoordinateError(_("A longitude lies between -180 and 180."), field="longitude")
    if not (
        CHINA_LATITUDE[0] <= lat <= CHINA_LATITUDE[1]
        and CHINA_LONGITUDE[0] <= lng <= CHINA_LONGITUDE[1]
    ):
        raise CoordinateError(
            _(
                "(%(lat)s, %(lng)s) is not in China: check that latitude and longitude "
                "are not swapped."
            )
            % {"lat": lat, "lng": lng},
            field="latitude",
        )
    return lat, lng


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres between two (latitude, longitude) points."""
    lat1, lng1 = map(math.radians, a)
    lat2, lng2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def point_for(adcode: str = "", lat=None, lng=None) -> Point:
    """Exact coordinates when both are given (checked), else the division's centroid."""
    if lat not in (None, "") or lng not in (None, ""):
        if lat in (None, "") or lng in (None, ""):
            field = "latitude" if lat in (None, "") else "longitude"
            raise CoordinateError(_("Give both latitude and longitude."), field=field)
        latitude, longitude = check_coordinates(lat, lng)
        return Point(latitude, longitude, exact=True, adcode=adcode or "")
    division = get(adcode)
    if division is None:
        raise CoordinateError(
            _("'%(code)s' is not a division code.") % {"code": adcode}, field="adcode"
        )
    return Point(division.latitude, division.longitude, exact=False, adcode=division.code)
