"""Where one can be within a time budget: per-stop earliest arrivals, isochrones, travel-time matrices.

All three come from one-to-all RAPTOR searches (:meth:`Planner.arrivals`)
under one set of :class:`~maas.routing.params.RoutingParams`.  An isochrone is
the union of walking discs around every stop reached in time, each as wide as
the time left allows but no wider than the walk radius (the planner's longest
walk), drawn in an azimuthal equidistant projection around the origin so the
discs are round on the ground; its area is measured in the same projection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyproj
import shapely
from shapely.geometry import mapping

from maas.errors import InputError
from maas.network.walking import WalkModel
from maas.routing.journeys import iso_time
from maas.routing.kernel import INF
from maas.routing.params import DEFAULT_PARAMS, RoutingParams
from maas.routing.places import Place, stop_ref
from maas.routing.planner import MAX_WINDOW_S, Planner
from maas.routing.raptor import Endpoint

#: Segments per quarter circle of each walking disc.
_QUAD_SEGS = 8


@dataclass(frozen=True)
class StopReach:
    """A stop reached within the budget: when, and how many minutes after leaving."""

    stop: int
    id: str
    name: str
    lat: float
    lon: float
    arrival: int
    minutes: float


@dataclass(frozen=True)
class Reach:
    """The result of a reach query: stops reached and the isochrone polygon (WGS84).

    Parameters
    ----------
    origin
        Where the traveller starts.
    date
        The service date.
    depart
        Leaving time, seconds of the service day.
    minutes
        The time budget.
    timezone
        The feeds' time zone, for ISO 8601 times.
    stops
        Every stop reached within the budget, earliest first.
    polygon
        The isochrone: the union of walking discs around the origin and every
        stop reached, each as wide as the time left allows (at most the walk
        radius).
    """

    origin: Place
    date: dt.date
    depart: int
    minutes: int
    timezone: str
    stops: list[StopReach]
    polygon: shapely.Geometry

    def area_km2(self) -> float:
        """Return the isochrone's area in square kilometres (0 when nothing is reached on foot)."""
        return area_km2(self.polygon, self.origin.lat, self.origin.lon)

    def to_geojson(self) -> dict[str, Any]:
        """Return a FeatureCollection: the isochrone polygon (with its area, km², 3 decimals), then one Point per stop."""
        features = [
            {
                "type": "Feature",
                "geometry": mapping(self.polygon),
                "properties": {
                    "kind": "isochrone",
                    "origin": self.origin.id,
                    "origin_name": self.origin.name,
                    "departure": iso_time(self.date, self.depart, self.timezone),
                    "minutes": self.minutes,
                    "area_km2": round(self.area_km2(), 3),
                },
            }
        ]
        for s in self.stops:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                    "properties": {
                        "kind": "stop",
                        "id": s.id,
                        "name": s.name,
                        "arrival": iso_time(self.date, s.arrival, self.timezone),
                        "minutes": round(s.minutes, 1),
                    },
                }
            )
        return {"type": "FeatureCollection", "features": features}


def reach(planner: Planner, origin: Place, date: dt.date, depart: int, minutes: int, *, params: RoutingParams = DEFAULT_PARAMS) -> Reach:
    """Return the stops reachable within ``minutes`` of leaving ``origin`` at ``depart``, and the isochrone.

    One one-to-all RAPTOR search gives the earliest arrival at every stop;
    the isochrone is the union of walking discs drawn in a local equidistant
    projection, so they are round on the ground.

    Parameters
    ----------
    planner
        The journey planner.
    origin
        Where the traveller starts.
    date
        The service date.
    depart
        Leaving time, seconds of the service day.
    minutes
        The time budget, 1 to 1,440 minutes.
    params
        How people may travel (transfers, walking, modes, transfer time).

    Returns
    -------
    Reach
        The stops reached and the isochrone (:meth:`Reach.to_geojson` for the map).

    Raises
    ------
    InputError
        A budget out of range (field ``minutes``), or no trip runs on ``date``
        (field ``date``).
    """
    if not 1 <= minutes <= MAX_WINDOW_S // 60:
        raise InputError(f"minutes must be 1 to {MAX_WINDOW_S // 60}, not {minutes}", "minutes")
    tt = planner.network.timetable
    arrivals = planner.arrivals(origin, date, depart, params)
    end = depart + minutes * 60
    reached = np.flatnonzero(arrivals.any <= end)
    stops = [
        StopReach(
            int(s),
            stop_ref(planner.network, int(s)),
            tt.stop_names[s],
            float(tt.stop_lat[s]),
            float(tt.stop_lon[s]),
            int(arrivals.any[s]),
            (int(arrivals.any[s]) - depart) / 60,
        )
        for s in reached
    ]
    stops.sort(key=lambda r: (r.arrival, r.id))
    centres = [(origin.lat, origin.lon, float(minutes * 60))] + [(s.lat, s.lon, float(end - s.arrival)) for s in stops]
    polygon = _discs(origin.lat, origin.lon, centres, params.walk)
    return Reach(origin, date, depart, minutes, tt.timezone, stops, polygon)


def _local_crs(lat0: float, lon0: float) -> pyproj.CRS:
    """Return the azimuthal equidistant projection (metres) centred on a point: distances from it are true."""
    return pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +units=m +datum=WGS84")


def area_km2(geometry: shapely.Geometry, lat0: float, lon0: float) -> float:
    """Return the area of a WGS84 geometry in square kilometres, measured in the equidistant projection around (lat0, lon0).

    The projection stretches lengths across the radial direction by about
    ``1 + (d / R)² / 6`` at a distance ``d`` from the centre, so within 100 km
    the area is within 0.01 % of the area on the ground.
    """
    if geometry.is_empty:
        return 0.0
    to_local = pyproj.Transformer.from_crs("EPSG:4326", _local_crs(lat0, lon0), always_xy=True)
    return float(shapely.transform(geometry, lambda x, y: to_local.transform(x, y), interleaved=False).area / 1e6)


def _discs(lat0: float, lon0: float, centres: list[tuple[float, float, float]], walk: WalkModel) -> shapely.Geometry:
    """Union of walking discs, built in an azimuthal equidistant projection around the origin."""
    local = _local_crs(lat0, lon0)
    to_local = pyproj.Transformer.from_crs("EPSG:4326", local, always_xy=True)
    to_wgs = pyproj.Transformer.from_crs(local, "EPSG:4326", always_xy=True)
    discs = []
    for lat, lon, seconds in centres:
        radius = min(seconds * walk.speed_m_s / walk.detour_factor, walk.radius_m)
        if radius <= 0:
            continue
        x, y = to_local.transform(lon, lat)
        discs.append(shapely.Point(x, y).buffer(radius, quad_segs=_QUAD_SEGS))
    if not discs:
        return shapely.GeometryCollection()
    merged = shapely.union_all(discs)
    return shapely.transform(merged, lambda x, y: to_wgs.transform(x, y), interleaved=False)


def arrival_times(
    planner: Planner,
    origin: Place,
    destinations: Sequence[Place],
    egress: Sequence[Endpoint],
    date: dt.date,
    depart: int,
    *,
    params: RoutingParams = DEFAULT_PARAMS,
    direct: np.ndarray | None = None,
) -> np.ndarray:
    """Return the earliest arrival (seconds, INF if none) at each destination after leaving at ``depart``.

    ``egress[j]`` is ``planner.access(destinations[j], params.walk, reverse=True)``,
    computed once by the caller; so may be ``direct[j]``, the seconds to walk
    there without riding (-1 if too far), see :func:`direct_walks`.  A stop
    destination counts as reached however one gets there; a position or POI
    by walking from a stop after a ride, or on foot all the way.
    """
    if direct is None:
        direct = direct_walks(planner, origin, destinations, params.walk)
    arr = planner.arrivals(origin, date, depart, params)
    out = np.full(len(destinations), INF, np.int64)
    for j, d in enumerate(destinations):
        best = int(INF)
        if d.stops:
            best = int(arr.any[list(d.stops)].min())
        e = egress[j]
        if len(e.stops):
            best = min(best, int((arr.by_ride[e.stops] + e.seconds).min()))
        if direct[j] >= 0:
            best = min(best, depart + int(direct[j]))
        out[j] = min(best, int(INF))
    return out


def direct_walks(planner: Planner, origin: Place, destinations: Sequence[Place], walk: WalkModel) -> np.ndarray:
    """Return the seconds to walk from ``origin`` to each destination without riding (-1 when too far)."""
    out = np.full(len(destinations), -1, np.int64)
    for j, d in enumerate(destinations):
        seconds = planner.direct_walk(origin, d, walk)
        if seconds is not None:
            out[j] = seconds
    return out


def travel_minutes(
    planner: Planner,
    origins: Sequence[Place],
    destinations: Sequence[Place],
    date: dt.date,
    depart: int,
    *,
    params: RoutingParams = DEFAULT_PARAMS,
) -> np.ndarray:
    """Return the travel minutes from each origin to each destination for one departure time.

    One one-to-all search per origin; a destination counts as reached at its
    own stops (however one gets there), by a ride to a nearby stop and the
    walk from there, or on foot all the way.  For percentiles over a
    departure window use :func:`maas.travel_time_matrix`.

    Parameters
    ----------
    planner
        The journey planner.
    origins, destinations
        Places, as :meth:`~maas.routing.places.PlaceIndex.resolve` returns them.
    date
        The service date.
    depart
        Leaving time, seconds of the service day.
    params
        How people may travel.

    Returns
    -------
    numpy.ndarray
        ``[origins × destinations]`` float minutes, NaN where unreachable that day.

    Raises
    ------
    InputError
        No trip runs on ``date`` (field ``date``).
    """
    egress = [planner.access(d, params.walk, reverse=True) for d in destinations]
    out = np.full((len(origins), len(destinations)), np.nan)
    for i, o in enumerate(origins):
        arrival = arrival_times(planner, o, destinations, egress, date, depart, params=params)
        ok = arrival < INF
        out[i, ok] = (arrival[ok] - depart) / 60
    return out
