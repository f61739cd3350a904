"""Walking links between stops, ready for routing (CSR by origin stop).

Links join every pair of stops (location_type 0) within the walk radius, plus
the feed's own transfers.txt links (type 2, between different stops, taking
``min_transfer_time``); when both exist the quicker applies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from maas.network.osm import StreetNetwork
from maas.network.spatial import PointIndex
from maas.network.walking import WalkModel
from maas.timetable.model import Timetable


@dataclass(frozen=True)
class Footpaths:
    """Walking links: the links from stop ``s`` are ``offsets[s]:offsets[s + 1]``.

    ``targets`` (int32 stop indices), ``seconds`` (int32 walking time) and
    ``metres`` (float64, straight-line or street distance; the transfers.txt
    links carry their stops' straight-line distance).
    """

    offsets: np.ndarray
    targets: np.ndarray
    seconds: np.ndarray
    metres: np.ndarray

    def links_from(self, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (target stops, seconds) of the links leaving ``stop``."""
        a, b = self.offsets[stop], self.offsets[stop + 1]
        return self.targets[a:b], self.seconds[a:b]

    def reversed(self) -> Footpaths:
        """Return the same links pointing the other way (for backward searches)."""
        n = len(self.offsets) - 1
        src = np.repeat(np.arange(n), np.diff(self.offsets))
        return _csr(n, self.targets, src, self.seconds, self.metres)


def stop_index(tt: Timetable) -> PointIndex:
    """Return a spatial index over all stops and stations of the timetable."""
    return PointIndex(tt.stop_lat, tt.stop_lon)


def build_footpaths(tt: Timetable, walk: WalkModel, streets: StreetNetwork | None = None) -> Footpaths:
    """Return the walking links of a timetable under a walk model."""
    n = tt.n_stops
    boardable = tt.stop_location_type == 0
    index = PointIndex(tt.stop_lat, tt.stop_lon)
    i, j, metres = index.pairs_within(walk.radius_m)
    keep = boardable[i] & boardable[j]
    i, j, metres = i[keep], j[keep], metres[keep]
    if streets is not None and len(i):
        street_m = np.full(len(i), np.inf)
        for s in np.unique(i):
            sel = np.flatnonzero(i == s)
            street_m[sel] = streets.distances(tt.stop_lat[s], tt.stop_lon[s], tt.stop_lat[j[sel]], tt.stop_lon[j[sel]], walk.radius_m * 3)
        keep = np.isfinite(street_m)
        i, j, metres = i[keep], j[keep], street_m[keep]
        seconds = np.ceil(metres / walk.speed_m_s - 1e-9).astype(np.int64)
    else:
        seconds = walk.seconds(metres)
    if len(tt.transfer_from):
        from maas.geo import haversine_m

        tf, tt_ = tt.transfer_from.astype(np.int64), tt.transfer_to.astype(np.int64)
        i = np.r_[i, tf]
        j = np.r_[j, tt_]
        seconds = np.r_[seconds, tt.transfer_seconds.astype(np.int64)]
        metres = np.r_[metres, haversine_m(tt.stop_lat[tf], tt.stop_lon[tf], tt.stop_lat[tt_], tt.stop_lon[tt_])]
    return _csr(n, i, j, seconds, metres)


def _csr(n: int, i: np.ndarray, j: np.ndarray, seconds: np.ndarray, metres: np.ndarray) -> Footpaths:
    """Sort links by origin then target, keep the quickest of duplicates, pack as CSR."""
    order = np.lexsort((seconds, j, i))
    i, j, seconds, metres = i[order], j[order], seconds[order], metres[order]
    if len(i):
        first = np.r_[True, (i[1:] != i[:-1]) | (j[1:] != j[:-1])]
        i, j, seconds, metres = i[first], j[first], seconds[first], metres[first]
    offsets = np.zeros(n + 1, np.int64)
    np.add.at(offsets, i + 1, 1)
    return Footpaths(np.cumsum(offsets), j.astype(np.int32), seconds.astype(np.int32), metres.astype(np.float64))
