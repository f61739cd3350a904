"""A deliberately naive journey planner to check RAPTOR against.

It follows the semantics in :mod:`maas.routing.planner` literally and shares no
code with the planner's search: no patterns, no day views, no binary search,
no pruning.  Round k tries every running trip from every stop reached with
fewer rides; walks follow only ride arrivals.  The latest departure for an
arrival is found by trying later departures (earliest arrival is monotone in
the departure time).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from maas.geo import haversine_m
from maas.timetable.model import Timetable
from maas.when import date_to_day

INF = math.inf
DAY = 86_400


@dataclass(frozen=True)
class RefQuery:
    origin: int  # stop index
    destination: int
    date: dt.date
    time: int
    max_rides: int
    radius_m: float
    speed: float = 1.2
    slack: int = 0


def walking_links(tt: Timetable, radius_m: float, speed: float) -> dict[int, dict[int, int]]:
    """All-pairs walking links by brute force (no spatial index)."""
    links: dict[int, dict[int, int]] = {s: {} for s in range(tt.n_stops)}
    boardable = [tt.stop_location_type[s] == 0 for s in range(tt.n_stops)]
    if radius_m > 0:
        for a in range(tt.n_stops):
            for b in range(tt.n_stops):
                if a != b and boardable[a] and boardable[b]:
                    d = float(haversine_m(tt.stop_lat[a], tt.stop_lon[a], tt.stop_lat[b], tt.stop_lon[b]))
                    if d <= radius_m:
                        links[a][b] = math.ceil(d / speed - 1e-9)
    for a, b, sec in zip(tt.transfer_from, tt.transfer_to, tt.transfer_seconds):
        a, b, sec = int(a), int(b), int(sec)
        links[a][b] = min(links[a].get(b, INF), sec)
    return links


def running_trips(tt: Timetable, date: dt.date) -> list[tuple[int, int]]:
    """(trip, shift) for trips of the date and the previous day's (shifted by -24 h)."""
    col = date_to_day(date) - tt.first_day
    out = []
    for t in range(tt.n_trips):
        svc = tt.trip_service[t]
        if 0 <= col < tt.n_days and tt.service_runs[svc, col]:
            out.append((t, 0))
        if 0 <= col - 1 < tt.n_days and tt.service_runs[svc, col - 1]:
            out.append((t, -DAY))
    return out


def earliest_by_rides(tt, q: RefQuery, links, trips, depart: int) -> list[float]:
    """Earliest arrival at the destination with at most k rides, k = 0..max_rides."""
    access = {q.origin: depart}
    for b, sec in links[q.origin].items():
        access[b] = min(access.get(b, INF), depart + sec)
    egress = {q.destination: 0}
    for a in range(tt.n_stops):
        if q.destination in links[a]:
            egress[a] = min(egress.get(a, INF), links[a][q.destination])
    direct = 0 if q.origin == q.destination else links[q.origin].get(q.destination, INF)
    best = [depart + direct]
    label = dict(access)  # reached with <= k-1 rides
    for k in range(1, q.max_rides + 1):
        ride: dict[int, float] = {}
        for t, shift in trips:
            p = int(tt.trip_pattern[t])
            stops = tt.pattern_stop_list(p)
            o = tt.pattern_stop_offsets[p]
            arr, dep = tt.trip_times(t)
            for i in range(len(stops)):
                if not tt.pattern_pickup[o + i]:
                    continue
                need = label.get(int(stops[i]), INF) + (q.slack if k > 1 else 0)
                if need <= dep[i] + shift:
                    for j in range(i + 1, len(stops)):
                        if tt.pattern_dropoff[o + j]:
                            s = int(stops[j])
                            ride[s] = min(ride.get(s, INF), int(arr[j]) + shift)
                    break
        new = dict(label)
        for s, a in ride.items():
            new[s] = min(new.get(s, INF), a)
        for s, a in ride.items():
            for b, sec in links[s].items():
                new[b] = min(new.get(b, INF), a + sec)
        reach = min((a + egress[s] for s, a in ride.items() if s in egress), default=INF)
        best.append(min(best[-1], reach))
        label = new
    return best


def departure_candidates(tt, q: RefQuery, links, trips) -> list[int]:
    """Every time one could leave the origin to catch a trip (first ride departure minus access walk)."""
    access = {q.origin: 0, **links[q.origin]}
    times = set()
    for t, shift in trips:
        p = int(tt.trip_pattern[t])
        stops = tt.pattern_stop_list(p)
        o = tt.pattern_stop_offsets[p]
        _, dep = tt.trip_times(t)
        for i, s in enumerate(stops):
            if int(s) in access and tt.pattern_pickup[o + i]:
                times.add(int(dep[i]) + shift - access[int(s)])
    return sorted(x for x in times if x >= q.time)


def reference_pareto(tt: Timetable, q: RefQuery) -> set[tuple[int, int, int]]:
    """Return {(rides, arrival, departure)} of the Pareto journeys, departures as late as possible."""
    links = walking_links(tt, q.radius_m, q.speed)
    trips = running_trips(tt, q.date)
    best = earliest_by_rides(tt, q, links, trips, q.time)
    out = set()
    if best[0] < INF:
        out.add((0, int(best[0]), q.time))
    candidates = departure_candidates(tt, q, links, trips)
    for k in range(1, len(best)):
        if best[k] < best[k - 1]:
            target = best[k]
            lo, hi = 0, len(candidates) - 1  # largest candidate whose k-ride arrival is still `target`
            latest = None
            while lo <= hi:
                mid = (lo + hi) // 2
                if earliest_by_rides(tt, q, links, trips, candidates[mid])[k] <= target:
                    latest = candidates[mid]
                    lo = mid + 1
                else:
                    hi = mid - 1
            out.add((k, int(target), int(latest) if latest is not None else -1))
    return out


def reference_range(tt: Timetable, q: RefQuery, window_s: int) -> set[tuple[int, int, int]]:
    """Return {(rides, arrival, departure)} Pareto-optimal over departure (later better), arrival and rides,
    for journeys leaving in ``[q.time, q.time + window_s]``.  Departures after the window take part
    in the comparison (leaving early to wait for them is not a separate option) but are not listed.
    """
    links = walking_links(tt, q.radius_m, q.speed)
    trips = running_trips(tt, q.date)
    end = q.time + window_s
    options = []
    for t in departure_candidates(tt, q, links, trips):
        best = earliest_by_rides(tt, q, links, trips, t)
        for k in range(1, len(best)):
            if best[k] < best[k - 1]:  # k rides beat fewer rides (and walking all the way)
                options.append((t, int(best[k]), k))
    pareto = {(k, a, t) for t, a, k in options if not any(t2 >= t and a2 <= a and k2 <= k and (t2, a2, k2) != (t, a, k) for t2, a2, k2 in options)}
    return {(k, a, t) for k, a, t in pareto if t <= end}
