"""Great-circle distances and the point a record routes by."""

import pytest

from unitrace.geo.distance import CoordinateError, check_coordinates, haversine_km, point_for


def test_haversine_between_known_cities():
    beijing, shanghai = (39.9042, 116.4074), (31.2304, 121.4737)
    assert 1060 < haversine_km(beijing, shanghai) < 1075
    assert haversine_km(beijing, beijing) == 0


def test_the_centroid_when_no_gps():
    point = point_for("330106")
    assert not point.exact and point.adcode == "330106"
    assert point_for("3301").adcode == "330100"  # a prefix names its division


def test_gps_overrides_the_centroid():
    point = point_for("330106", 30.2741, "120.1551")
    assert point.exact and (point.latitude, point.longitude) == (30.2741, 120.1551)


@pytest.mark.parametrize(
    ("lat", "lng", "field"),
    [
        (91, 120, "latitude"),
        (30, 181, "longitude"),
        (120.1, 30.2, "latitude"),  # swapped
        (0, 0, "latitude"),  # off Africa
        (48.85, 2.35, "latitude"),  # Paris
        ("abc", 120, "latitude"),
        (30, "nan", "longitude"),
        (30, None, "longitude"),
    ],
)
def test_bad_coordinates_are_refused(lat, lng, field):
    with pytest.raises(CoordinateError) as refused:
        point_for("330106", lat, lng)
    assert refused.value.field == field and str(refused.value)


def test_unknown_division():
    with pytest.raises(CoordinateError):
        point_for("999999")
    assert check_coordinates("30.1", "120.2") == (30.1, 120.2)
