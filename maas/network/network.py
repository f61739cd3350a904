"""The network the planners run on: a timetable, POIs, walking, and spatial look-ups."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from maas.geo import haversine_m
from maas.network.footpaths import Footpaths, build_footpaths
from maas.network.osm import StreetNetwork
from maas.network.spatial import PointIndex
from maas.network.walking import WalkModel
from maas.pois import Poi
from maas.timetable.model import Timetable


@dataclass
class Network:
    """A compiled timetable with its POIs and how people walk between them.

    What every planner runs on; :func:`maas.load_network` builds one from
    feed paths.  Footpaths depend on the walk model (radius, speed, detour
    factor), which a query may change; :meth:`footpaths` builds and keeps
    them per model.  Spatial indexes over stops and POIs are built on first use.

    Parameters
    ----------
    timetable
        The compiled feeds.
    pois
        Points of interest (tours, place names), possibly none.
    streets
        A street network to walk along (an OSM extract), or None for
        straight-line walks.
    """

    timetable: Timetable
    pois: list[Poi] = field(default_factory=list)
    streets: StreetNetwork | None = None
    _footpaths: dict[WalkModel, Footpaths] = field(default_factory=dict, repr=False, init=False)
    _stop_index: PointIndex | None = field(default=None, repr=False, init=False)
    _poi_index: PointIndex | None = field(default=None, repr=False, init=False)

    @property
    def stop_index(self) -> PointIndex:
        """Spatial index over stops and stations (indices are stop indices)."""
        if self._stop_index is None:
            self._stop_index = PointIndex(self.timetable.stop_lat, self.timetable.stop_lon)
        return self._stop_index

    @property
    def poi_index(self) -> PointIndex:
        """Spatial index over POIs (indices into ``pois``)."""
        if self._poi_index is None:
            self._poi_index = PointIndex(np.array([p.lat for p in self.pois]), np.array([p.lon for p in self.pois]))
        return self._poi_index

    def footpaths(self, walk: WalkModel) -> Footpaths:
        """Return the stop-to-stop walking links under ``walk`` (built once per model)."""
        found = self._footpaths.get(walk)
        if found is None:
            found = build_footpaths(self.timetable, walk, self.streets)
            if len(self._footpaths) > 8:
                self._footpaths.clear()
            self._footpaths[walk] = found
        return found

    def walk_from_point(self, lat: float, lon: float, walk: WalkModel, boardable_only: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Return (stop indices, seconds) reachable on foot from a position within the walk radius."""
        idx, metres = self.stop_index.within(lat, lon, walk.radius_m)
        if boardable_only:
            keep = self.timetable.stop_location_type[idx] == 0
            idx, metres = idx[keep], metres[keep]
        if self.streets is not None and len(idx):
            street = self.streets.distances(lat, lon, self.timetable.stop_lat[idx], self.timetable.stop_lon[idx], walk.radius_m * 3)
            keep = np.isfinite(street)
            return idx[keep], np.ceil(street[keep] / walk.speed_m_s - 1e-9).astype(np.int64)
        return idx, walk.seconds(metres)

    def walk_seconds(self, lat1: float, lon1: float, lat2: float, lon2: float, walk: WalkModel) -> int | None:
        """Return seconds to walk between two positions, or None beyond the walk radius."""
        if self.streets is not None:
            d = self.streets.distances(lat1, lon1, np.array([lat2]), np.array([lon2]), walk.radius_m * 3)[0]
            return None if not np.isfinite(d) else int(np.ceil(d / walk.speed_m_s - 1e-9))
        d = float(haversine_m(lat1, lon1, lat2, lon2))
        return None if d > walk.radius_m else int(walk.seconds(d))
