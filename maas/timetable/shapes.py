"""Shapes (``shapes.txt``): the lines vehicles follow, compiled into flat arrays and cut per ride.

At compile time every stop of a trip that has a shape is placed on that shape,
as metres along it (:func:`locate_stops`):

- by ``shape_dist_traveled`` where both shapes.txt and stop_times.txt give it
  (the feed's own unit is turned into metres through the shape's points);
- else by projecting the stop onto the shape.  The stops of a trip are placed
  together, monotone along the line (a dynamic programme over each stop's
  nearby passages of the line), so a loop that starts and ends at one stop, or
  an out-and-back line that passes a stop twice, is cut at the right passage.

A query then only slices arrays (:func:`ride_line`): the shape's points
between the boarding and the alighting stop's positions, with the two cut
points interpolated.  Trips without a usable shape are drawn stop to stop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from maas.feeds.parse import parse_number
from maas.geo import EARTH_RADIUS_M, haversine_m

if TYPE_CHECKING:
    from maas.feeds.reader import Feed
    from maas.timetable.model import Timetable

#: A stop farther than this from every part of its trip's shape means the shape does not
#: belong to the trip (or the stop is misplaced): the trip is drawn stop to stop instead.
MAX_STOP_OFFSET_M = 250.0
#: Candidate passages of the line kept per stop (the nearest ones) in the placement.
MAX_CANDIDATES = 12
#: A stop may project this far behind the previous one (two poles of one terminal, a few
#: metres of position noise); its position is then raised to the previous one's.
BACKTRACK_M = 30.0
#: Stop positions given by ``shape_dist_traveled`` may pass the shape's last value by this
#: fraction of its length (rounding); beyond, the two files disagree and the stops are projected.
DIST_SLACK = 0.01
#: A stop placed by ``shape_dist_traveled`` moves to a projection of it onto the line within
#: this distance along the line, if one is nearer to the stop.
DIST_WINDOW_M = 250.0
#: Stops placed by ``shape_dist_traveled`` may lie this much farther from their place on the
#: line than from their projection onto it, at the median; farther, the feed measured its stop
#: times on another scale than its shape, and the stops are projected instead.
DIST_MEDIAN_OFFSET_M = 30.0
_M_PER_DEG = EARTH_RADIUS_M * np.pi / 180.0


@dataclass(frozen=True)
class ShapeLine:
    """One shape of a feed: its points in sequence order.

    ``feed_dist`` holds each point's ``shape_dist_traveled`` (the feed's unit)
    when every point gives one and they never decrease, else None.
    """

    lon: np.ndarray
    lat: np.ndarray
    feed_dist: np.ndarray | None


# --- reading -------------------------------------------------------------------------------


def read_shapes(feed: Feed) -> dict[str, ShapeLine]:
    """Return the feed's shapes by ``shape_id``; points that do not parse are left out.

    shapes.txt is optional and not checked by the validator, so anything
    malformed is skipped here: a point with a bad position or sequence, and a
    shape with fewer than two points left.
    """
    table = feed.table("shapes.txt")
    if not len(table) or not {"shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"} <= set(table.columns):
        return {}
    lat = parse_number(table["shape_pt_lat"])
    lon = parse_number(table["shape_pt_lon"])
    seq = parse_number(table["shape_pt_sequence"], integer=True)
    dist = parse_number(feed.column("shapes.txt", "shape_dist_traveled"))
    ok = ~(lat.empty | lat.bad | lon.empty | lon.bad | seq.empty | seq.bad)
    ok &= (np.abs(lat.values) <= 90) & (np.abs(lon.values) <= 180)
    ids = table["shape_id"].astype(str).to_numpy()[ok]
    order = np.lexsort((seq.values[ok], ids))
    ids = ids[order]
    lats, lons = lat.values[ok][order], lon.values[ok][order]
    dists = np.where(dist.empty | dist.bad, np.nan, dist.values)[ok][order]
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.zeros(0, np.int64)
    ends = np.r_[starts[1:], len(ids)]
    shapes = {}
    for a, b in zip(starts, ends):
        if b - a < 2 or not ids[a]:
            continue
        d = dists[a:b]
        usable = bool(np.isfinite(d).all() and (np.diff(d) >= 0).all() and d[-1] > d[0])
        shapes[str(ids[a])] = ShapeLine(lons[a:b].copy(), lats[a:b].copy(), d.copy() if usable else None)
    return shapes


# --- placing stops on a shape -----------------------------------------------------------------


def metres_along(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return the great-circle distance in metres from a line's first point to each of its points."""
    if len(lon) == 0:
        return np.zeros(0)
    return np.concatenate(([0.0], np.cumsum(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:]))))


def locate_stops(
    line: ShapeLine,
    along: np.ndarray,
    stop_lon: np.ndarray,
    stop_lat: np.ndarray,
    stop_feed_dist: np.ndarray | None = None,
) -> np.ndarray | None:
    """Return each stop's position on the line in metres (``along``'s scale), never decreasing.

    ``along`` is :func:`metres_along` of the line.  Each stop is placed at one
    of its candidate places, so that the positions never decrease (by more
    than :data:`BACKTRACK_M`, which is then evened out) and the summed
    stop-to-place distance is least.  A stop's candidates are its
    projections onto its nearby passages of the line; for a stop with a
    finite ``stop_feed_dist`` (the feed's ``shape_dist_traveled``, when the
    line has ``feed_dist`` too and the two files agree, see
    :func:`_placed_by_distance`), the place that distance names and the
    projections within :data:`DIST_WINDOW_M` of it: the feed's distance picks
    the passage, the projection the exact place (real feeds' distances can be
    a hundred metres off at stations).  Returns None
    when the line does not fit the stops (a stop farther than
    :data:`MAX_STOP_OFFSET_M` from it, or no order-keeping placement).
    """
    projected = _candidates(line, along, stop_lon, stop_lat)
    known = _placed_by_distance(line, along, stop_lon, stop_lat, stop_feed_dist, projected)
    if known is not None:
        placed = _monotone_choice([_near(projected[i], *known[:, i]) if np.isfinite(known[0, i]) else projected[i] for i in range(len(stop_lon))])
        if placed is not None:
            return placed
    if not all(len(pos) for pos, _ in projected):
        return None
    return _monotone_choice(projected)


def _placed_by_distance(
    line: ShapeLine,
    along: np.ndarray,
    stop_lon: np.ndarray,
    stop_lat: np.ndarray,
    stop_feed_dist: np.ndarray | None,
    projected: Sequence[tuple[np.ndarray, np.ndarray]],
) -> np.ndarray | None:
    """Return the stops' positions given by ``shape_dist_traveled`` and the offsets of those places, or None.

    The result is ``[positions, offsets]`` (metres; NaN where a stop gives no distance).

    None when the line or the stops give no distances, or when the two files
    do not measure on one scale: stops outside the line's range, or placed
    farther from the stops than their projections are by more than
    :data:`DIST_MEDIAN_OFFSET_M` at the median or :data:`MAX_STOP_OFFSET_M` at
    most (seen in a real feed: stop times measured from the first stop, the
    shape from its own start, 360 m before it).
    """
    if line.feed_dist is None or stop_feed_dist is None:
        return None
    fd = line.feed_dist
    given = np.isfinite(stop_feed_dist)
    slack = DIST_SLACK * (fd[-1] - fd[0])
    if not given.any() or stop_feed_dist[given].min() < fd[0] - slack or stop_feed_dist[given].max() > fd[-1] + slack:
        return None
    known = np.full(len(stop_feed_dist), np.nan)
    known[given] = np.interp(stop_feed_dist[given], fd, along)
    offset = haversine_m(stop_lat[given], stop_lon[given], np.interp(known[given], along, line.lat), np.interp(known[given], along, line.lon))
    nearest = np.array([off.min() if len(off) else np.nan for _, off in (projected[int(i)] for i in np.flatnonzero(given))])
    excess = (offset - nearest)[np.isfinite(nearest)]
    if len(excess) and (np.median(excess) > DIST_MEDIAN_OFFSET_M or excess.max() > MAX_STOP_OFFSET_M):
        return None
    offsets = np.full(len(known), np.nan)
    offsets[given] = offset
    return np.vstack([known, offsets])


def _near(projected: tuple[np.ndarray, np.ndarray], position: float, offset: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the candidates of a stop placed at ``position`` by distance: that place and the projections near it."""
    pos, off = projected
    close = np.abs(pos - position) <= DIST_WINDOW_M
    return np.r_[position, pos[close]], np.r_[offset, off[close]]


def _candidates(line: ShapeLine, along: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return, per stop, (positions along the line, offsets in metres) of its nearby passages of the line.

    A passage is a segment whose distance to the stop is a local minimum over
    the sequence of segments; only those within :data:`MAX_STOP_OFFSET_M` are
    kept, the :data:`MAX_CANDIDATES` nearest.  All stops are projected onto all
    segments at once (a stops × segments table, in metres on a plane tangent at
    each stop).
    """
    scale = np.cos(np.radians(lat))[:, None] * _M_PER_DEG
    x = (line.lon[None, :] - lon[:, None]) * scale
    y = (line.lat[None, :] - lat[:, None]) * _M_PER_DEG
    ax, ay, dx, dy = x[:, :-1], y[:, :-1], np.diff(x, axis=1), np.diff(y, axis=1)
    length2 = dx * dx + dy * dy
    t = np.clip(-(ax * dx + ay * dy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
    offset = np.hypot(ax + t * dx, ay + t * dy)
    inf = np.full((len(lon), 1), np.inf)
    padded = np.hstack([inf, offset, inf])
    local = (offset <= padded[:, :-2]) & (offset <= padded[:, 2:]) & (offset <= MAX_STOP_OFFSET_M)
    step = np.diff(along)
    out = []
    for i in range(len(lon)):
        seg = np.flatnonzero(local[i])
        if len(seg) > MAX_CANDIDATES:
            seg = np.sort(seg[np.argsort(offset[i, seg], kind="stable")[:MAX_CANDIDATES]])
        out.append((along[seg] + t[i, seg] * step[seg], offset[i, seg]))
    return out


def _monotone_choice(candidates: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray | None:
    """Pick one candidate per stop, positions never decreasing, least summed offset; None if impossible."""
    pos0, cost = candidates[0]
    back: list[np.ndarray] = []
    for pos, offset in candidates[1:]:
        allowed = pos0[None, :] <= pos[:, None] + BACKTRACK_M
        total = np.where(allowed, cost[None, :], np.inf)
        best = np.argmin(total, axis=1)
        cost = total[np.arange(len(pos)), best] + offset
        back.append(best)
        pos0 = pos
    if not np.isfinite(cost).any():
        return None
    choice = int(np.argmin(cost))
    out = np.empty(len(candidates))
    for i in range(len(candidates) - 1, -1, -1):
        out[i] = candidates[i][0][choice]
        if i:
            choice = int(back[i - 1][choice])
    return np.maximum.accumulate(out)


# --- all trips ---------------------------------------------------------------------------------


def compile_shapes(
    feed_shapes: Sequence[Mapping[str, ShapeLine]],
    trip_feed: np.ndarray,
    trip_shape_ids: Sequence[str],
    trip_time_offset: np.ndarray,
    stop_time_stops: np.ndarray,
    stop_time_feed_dist: np.ndarray,
    stop_lon: np.ndarray,
    stop_lat: np.ndarray,
) -> dict[str, Any]:
    """Return the shape fields of :class:`~maas.timetable.model.Timetable` for compiled trips.

    Trip ``t`` (feed ``trip_feed[t]``, shape ``trip_shape_ids[t]``, '' for
    none) has its stop times at ``trip_time_offset[t]`` onwards, up to the next
    trip's; ``stop_time_stops`` are their stop indices and
    ``stop_time_feed_dist`` their ``shape_dist_traveled`` (NaN where not
    given).  Only shapes that some trip uses are kept.  Trips sharing a shape
    and a stop sequence are placed once.
    """
    n_trips, n_st = len(trip_shape_ids), len(stop_time_stops)
    bounds = np.r_[np.asarray(trip_time_offset, np.int64), n_st]
    trip_shape = np.full(n_trips, -1, np.int32)
    st_dist = np.full(n_st, np.nan, np.float32)
    kept: dict[tuple[int, str], int] = {}
    keys: list[tuple[int, str]] = []
    lines: list[tuple[ShapeLine, np.ndarray]] = []
    placed: dict[tuple[int, bytes, bytes], np.ndarray | None] = {}
    for t in range(n_trips):
        f, sid = int(trip_feed[t]), trip_shape_ids[t]
        line = feed_shapes[f].get(sid) if sid else None
        if line is None:
            continue
        if (f, sid) not in kept:
            kept[(f, sid)] = len(keys)
            keys.append((f, sid))
            lines.append((line, metres_along(line.lon, line.lat)))
        s = kept[(f, sid)]
        a, b = bounds[t], bounds[t + 1]
        stops, fd = stop_time_stops[a:b], stop_time_feed_dist[a:b]
        key = (s, stops.tobytes(), fd.tobytes())
        if key not in placed:
            placed[key] = locate_stops(lines[s][0], lines[s][1], stop_lon[stops], stop_lat[stops], fd)
        pos = placed[key]
        if pos is not None:
            trip_shape[t] = s
            st_dist[a:b] = pos
    # Drop shapes whose every trip fell back to stop-to-stop lines; renumber the rest.
    used = np.zeros(len(keys), bool)
    used[trip_shape[trip_shape >= 0]] = True
    renumber = np.r_[np.cumsum(used) - 1, -1].astype(np.int32)  # index -1 (no shape) stays -1
    trip_shape = renumber[trip_shape]
    chosen = [lines[i] for i in np.flatnonzero(used)]
    sizes = [len(line.lon) for line, _ in chosen]
    return {
        "shape_ids": [keys[i][1] for i in np.flatnonzero(used)],
        "shape_offsets": np.r_[0, np.cumsum(sizes, dtype=np.int64)].astype(np.int64),
        "shape_lon": np.concatenate([line.lon for line, _ in chosen]) if chosen else np.zeros(0),
        "shape_lat": np.concatenate([line.lat for line, _ in chosen]) if chosen else np.zeros(0),
        "shape_dist": np.concatenate([along for _, along in chosen]) if chosen else np.zeros(0),
        "trip_shape": trip_shape,
        "stop_time_shape_dist": st_dist,
    }


# --- cutting a ride ---------------------------------------------------------------------------


def ride_line(tt: Timetable, trip: int, board: int, alight: int) -> np.ndarray:
    """Return the ride's line as ``[[lon, lat], ...]`` (float64, shape (n, 2)).

    Along the trip's shape from the boarding to the alighting stop (positions
    ``board`` < ``alight`` of its pattern) when it has one, else straight from
    stop to stop through the stops passed.
    """
    s = int(tt.trip_shape[trip])
    if s >= 0:
        o = int(tt.trip_time_offset[trip])
        a, b = int(tt.shape_offsets[s]), int(tt.shape_offsets[s + 1])
        line = cut_line(
            tt.shape_lon[a:b], tt.shape_lat[a:b], tt.shape_dist[a:b], float(tt.stop_time_shape_dist[o + board]), float(tt.stop_time_shape_dist[o + alight])
        )
        if len(line) >= 2:
            return line
    stops = tt.pattern_stop_list(int(tt.trip_pattern[trip]))[board : alight + 1]
    return np.column_stack([tt.stop_lon[stops], tt.stop_lat[stops]]).astype(np.float64)


def cut_line(lon: np.ndarray, lat: np.ndarray, along: np.ndarray, start: float, end: float) -> np.ndarray:
    """Return the part of a line from ``start`` to ``end`` metres along it, as ``[[lon, lat], ...]``.

    The points strictly between the two positions are kept as they are; the
    two ends are interpolated on their segments.  Empty when ``end`` is not
    after ``start``.
    """
    if not end > start:
        return np.zeros((0, 2))
    i = int(np.searchsorted(along, start, side="right"))
    j = int(np.searchsorted(along, end, side="left"))
    ends = np.array([[np.interp(start, along, lon), np.interp(start, along, lat)], [np.interp(end, along, lon), np.interp(end, along, lat)]])
    return np.vstack([ends[:1], np.column_stack([lon[i:j], lat[i:j]]), ends[1:]])


def pattern_line(tt: Timetable, pattern: int) -> np.ndarray:
    """Return the line of a whole pattern (its first trip's, first to last stop), as :func:`ride_line` draws it."""
    first_trip = int(tt.pattern_trip_offsets[pattern])
    return ride_line(tt, first_trip, 0, len(tt.pattern_stop_list(pattern)) - 1)
