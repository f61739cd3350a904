"""The isochrone's area: measured in the library, the same figure in the CLI's and the API's answers."""

from __future__ import annotations

import datetime as dt
import math

import pyproj
import pytest
import shapely

from maas.network.walking import WalkModel
from maas.routing.params import RoutingParams
from maas.routing.places import Place
from maas.routing.reach import area_km2, reach

#: Segments of each walking disc: 8 per quarter circle.
SEGMENTS = 32


def polygon_area(radius_m: float, n: int = SEGMENTS) -> float:
    """Area of a regular n-gon inscribed in a circle, km²."""
    return n / 2 * radius_m**2 * math.sin(2 * math.pi / n) / 1e6


def disc_wgs84(lat: float, lon: float, radius_m: float) -> shapely.Geometry:
    """A 32-gon of that radius around a point, built with geodesic offsets (independent of the library's projection)."""
    geod = pyproj.Geod(ellps="WGS84")
    points = [geod.fwd(lon, lat, 360 * k / SEGMENTS, radius_m)[:2] for k in range(SEGMENTS)]
    return shapely.Polygon(points)


@pytest.mark.parametrize("radius_m", [100.0, 500.0, 3000.0])
def test_area_of_a_geodesic_polygon(radius_m):
    """A polygon whose corners lie at true distances from the centre has the plane polygon's area."""
    lat, lon = 34.17, 131.47
    assert area_km2(disc_wgs84(lat, lon, radius_m), lat, lon) == pytest.approx(polygon_area(radius_m), rel=1e-4)


def test_area_barely_depends_on_the_centre():
    """Measured around a centre 30 km away, the area changes by less than 0.01 %."""
    geometry = disc_wgs84(34.17, 131.47, 2000.0)
    here = area_km2(geometry, 34.17, 131.47)
    assert area_km2(geometry, 34.17 + 0.27, 131.47) == pytest.approx(here, rel=1e-4)
    assert area_km2(shapely.GeometryCollection(), 34.17, 131.47) == 0.0


def test_a_reach_without_stops_is_one_walking_disc(default_planner):
    """From a point with no stop within the walk radius, the isochrone is the walk radius' disc."""
    origin = Place("point", "34.300000,131.650000", "34.3,131.65", 34.3, 131.65, ())
    params = RoutingParams(walk=WalkModel(radius_m=400.0))
    r = reach(default_planner, origin, dt.date(2026, 12, 1), 8 * 3600, 30, params=params)
    assert r.stops == [], "the test's point must be farther than 400 m from every stop"
    assert r.area_km2() == pytest.approx(polygon_area(400.0), rel=1e-6)
    iso = r.to_geojson()["features"][0]["properties"]
    assert iso["kind"] == "isochrone" and iso["area_km2"] == round(r.area_km2(), 3)


def test_a_shorter_budget_gives_a_smaller_area(default_planner, default_places):
    """From Shin-Yamaguchi the isochrone grows with the time budget (more stops, wider discs)."""
    origin = default_places.resolve("Shin-Yamaguchi")
    areas = [reach(default_planner, origin, dt.date(2026, 12, 1), 8 * 3600, m).area_km2() for m in (10, 30, 60)]
    assert 0 < areas[0] < areas[1] < areas[2]
