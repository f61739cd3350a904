"""Find points near a position with a spatial index (shapely's STRtree), not a scan.

Distances are great-circle metres; the index works in degrees with a
conservative search window, and candidates are then measured exactly.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from maas.geo import EARTH_RADIUS_M, haversine_m

_M_PER_DEG = EARTH_RADIUS_M * math.pi / 180.0


class PointIndex:
    """A spatial index over fixed points (e.g. all stops) in WGS84 degrees."""

    def __init__(self, lat: np.ndarray, lon: np.ndarray) -> None:
        self.lat = np.asarray(lat, dtype=float)
        self.lon = np.asarray(lon, dtype=float)
        self._tree = shapely.STRtree(shapely.points(self.lon, self.lat))
        self._max_abs_lat = float(np.max(np.abs(self.lat))) if len(self.lat) else 0.0

    def __len__(self) -> int:
        return len(self.lat)

    def _window_deg(self, radius_m: float, lat: float) -> float:
        worst = min(89.0, max(abs(lat), self._max_abs_lat) + radius_m / _M_PER_DEG)
        return radius_m / (_M_PER_DEG * math.cos(math.radians(worst))) * 1.001 + 1e-9

    def within(self, lat: float, lon: float, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
        """Return (indices, metres) of the points within ``radius_m`` of a position, nearest first."""
        if len(self.lat) == 0 or radius_m < 0:
            return np.zeros(0, np.int64), np.zeros(0)
        candidates = self._tree.query(shapely.Point(lon, lat), predicate="dwithin", distance=self._window_deg(radius_m, lat))
        d = haversine_m(lat, lon, self.lat[candidates], self.lon[candidates])
        keep = d <= radius_m
        idx, dist = candidates[keep], d[keep]
        order = np.lexsort((idx, dist))
        return idx[order].astype(np.int64), dist[order]

    def nearest(self, lat: float, lon: float, k: int = 1, max_radius_m: float = 50_000.0) -> tuple[np.ndarray, np.ndarray]:
        """Return (indices, metres) of the ``k`` nearest points within ``max_radius_m``."""
        radius = 250.0
        while True:
            idx, dist = self.within(lat, lon, radius)
            if len(idx) >= k or radius >= max_radius_m:
                return idx[:k], dist[:k]
            radius = min(radius * 4, max_radius_m)

    def pairs_within(self, radius_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (i, j, metres) for every ordered pair i != j closer than ``radius_m``."""
        if len(self.lat) == 0 or radius_m <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        geoms = shapely.points(self.lon, self.lat)
        i, j = self._tree.query(geoms, predicate="dwithin", distance=self._window_deg(radius_m, 0.0))
        keep = i != j
        i, j = i[keep], j[keep]
        d = haversine_m(self.lat[i], self.lon[i], self.lat[j], self.lon[j])
        keep = d <= radius_m
        return i[keep].astype(np.int64), j[keep].astype(np.int64), d[keep]
