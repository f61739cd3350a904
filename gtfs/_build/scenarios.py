"""Journeys the default feeds must allow (checked after every build).

A tiny connection-scan over the written feeds (jr + bus + techno-shuttle),
with walking between stops less than 400 m apart (4.5 km/h) and between a
station and its platforms.  Used only as a build self-check.

Usage: python gtfs/_build/scenarios.py
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import GTFS_DIR, haversine_m, service_dates  # noqa: E402

FEEDS = ["jr", "bus", "techno-shuttle"]


def _read(feed, fn):
    p = GTFS_DIR / feed / fn
    if not p.exists():
        return []
    with open(p, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _secs(t):
    h, m, s = t.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


class Net:
    def __init__(self):
        self.stops, self.routes, self.trips = {}, {}, {}
        self.stop_times = {}
        self.days = {}
        for f in FEEDS:
            for r in _read(f, "stops.txt"):
                self.stops[r["stop_id"]] = r
            for r in _read(f, "routes.txt"):
                self.routes[r["route_id"]] = r
            cal = _read(f, "calendar.txt")
            cd = _read(f, "calendar_dates.txt")
            for sid, ds in service_dates(cal, cd).items():
                self.days[(f, sid)] = ds
            for r in _read(f, "trips.txt"):
                r["_feed"] = f
                self.trips[r["trip_id"]] = r
            for r in _read(f, "stop_times.txt"):
                self.stop_times.setdefault(r["trip_id"], []).append(r)
        ids = [s for s, r in self.stops.items() if (r.get("location_type") or "0") == "0"]
        self.walk = {s: [] for s in ids}
        for i, a in enumerate(ids):
            ra = self.stops[a]
            for b in ids[i + 1:]:
                rb = self.stops[b]
                same_parent = ra.get("parent_station") and ra.get("parent_station") == rb.get("parent_station")
                d = haversine_m(float(ra["stop_lat"]), float(ra["stop_lon"]), float(rb["stop_lat"]),
                                float(rb["stop_lon"]))
                if d < 400 or same_parent:
                    secs = max(120, int(d / 1.25))
                    self.walk[a].append((b, secs))
                    self.walk[b].append((a, secs))

    def journey(self, date: dt.date, origins, t0: str, targets, routes=None):
        day = date.strftime("%Y%m%d")
        conns = []
        for tid, tr in self.trips.items():
            if day not in self.days[(tr["_feed"], tr["service_id"])]:
                continue
            if routes and tr["route_id"] not in routes:
                continue
            st = self.stop_times[tid]
            for a, b in zip(st, st[1:]):
                conns.append((_secs(a["departure_time"]), _secs(b["arrival_time"]), a["stop_id"], b["stop_id"], tid))
        conns.sort()
        INF = 10**9
        arr = {s: INF for s in self.walk}
        how = {}
        start = _secs(t0 + ":00")
        for o in origins:
            arr[o] = start
            for b, w in self.walk[o]:
                if start + w < arr[b]:
                    arr[b], how[b] = start + w, ("walk", o)
        reached_trip = set()
        for dep, ar, a, b, tid in conns:
            if tid in reached_trip or arr[a] <= dep:
                if tid not in reached_trip:
                    reached_trip.add(tid)
                    how.setdefault(("board", tid), a)
                if ar < arr[b]:
                    arr[b], how[b] = ar, ("ride", tid, a, dep)
                    for c, w in self.walk[b]:
                        if ar + w < arr[c]:
                            arr[c], how[c] = ar + w, ("walk", b)
        best = min(targets, key=lambda s: arr[s])
        if arr[best] >= INF:
            return None
        legs, s = [], best
        while s not in origins:
            h = how[s]
            if h[0] == "walk":
                legs.append(f"walk {h[1]}->{s}")
                s = h[1]
            else:
                tid = h[1]
                board = how[("board", tid)]
                legs.append(f"{self.routes[self.trips[tid]['route_id']]['route_short_name']} {tid} {board}->{s}")
                s = board
        return best, arr[best], legs[::-1]


def _hm(secs):
    return f"{secs // 3600:02d}:{secs % 3600 // 60:02d}"


SCENARIOS = [
    ("weekday Dec 2026: Shin-Yamaguchi -> Ajisu by Ube Line", dt.date(2026, 12, 9), ["shinyamaguchi"], "09:00",
     ["ajisu"], {"ube"}),
    ("weekday Dec 2026: Shin-Yamaguchi -> Hagi by Super Hagi", dt.date(2026, 12, 9), ["bus_shinyamaguchi"], "09:00",
     ["bus_hagi_meirin", "bus_higashihagi_eki"], {"bocho_superhagi"}),
    ("weekday Dec 2026: Shin-Yamaguchi -> Akiyoshido by bus", dt.date(2026, 12, 9), ["bus_shinyamaguchi"], "09:00",
     ["bus_akiyoshido"], {"bocho_akiyoshido"}),
    ("weekday Dec 2026: Yamaguchi -> Tsuwano by Yamaguchi Line", dt.date(2026, 12, 9), ["yamaguchi"], "09:00",
     ["tsuwano"], {"yamaguchi", "super_oki"}),
    ("weekday Dec 2019: Shin-Yamaguchi -> Motoyura by Sanyo Line for the 7:24 shuttle", dt.date(2019, 12, 10),
     ["shinyamaguchi"], "06:30", ["motoyura"], {"sanyo"}),
    ("weekday Dec 2019: Shin-Yamaguchi -> Ube Techno Park (Sanyo Line + shuttle)", dt.date(2019, 12, 10),
     ["shinyamaguchi"], "06:30", ["ube_techno_park"], None),
    ("weekday Dec 2019: Shin-Yamaguchi 7:30 -> Yamaguchi Techno Park (Sanyo Line + 8:01 shuttle)",
     dt.date(2019, 12, 10), ["shinyamaguchi"], "07:30", ["yamaguchi_techno_park"], None),
    ("Mine Line rail on 2023-06-29", dt.date(2023, 6, 29), ["asa"], "08:00", ["nagatoshi"], {"mine"}),
    ("Mine replacement bus on 2026-12-09", dt.date(2026, 12, 9), ["bus_asa_eki"], "08:00", ["bus_nagatoshi_eki"],
     {"jrwest_mine_bus"}),
    ("SL Yamaguchi on Sunday 2024-10-06", dt.date(2024, 10, 6), ["shinyamaguchi"], "10:50", ["tsuwano"],
     {"sl_yamaguchi"}),
]
MUST_FAIL = [
    ("no Mine Line rail on 2023-06-30", dt.date(2023, 6, 30), ["asa"], "05:00", ["nagatoshi"], {"mine"}),
    ("no shuttle on 2020-03-02", dt.date(2020, 3, 2), ["motoyura"], "07:00", ["ube_techno_park"], {"techno_shuttle"}),
    ("no SL on a weekday 2024-10-09", dt.date(2024, 10, 9), ["shinyamaguchi"], "10:00", ["tsuwano"], {"sl_yamaguchi"}),
]


def run(verbose=True) -> bool:
    net = Net()
    ok = True
    for label, date, o, t, d, routes in SCENARIOS:
        res = net.journey(date, o, t, d, routes)
        if res is None:
            ok = False
            print(f"FAIL {label}")
            continue
        if verbose:
            print(f"ok   {label}: arrive {res[0]} {_hm(res[1])} via " + "; ".join(res[2]))
    for label, date, o, t, d, routes in MUST_FAIL:
        res = net.journey(date, o, t, d, routes)
        if res is not None:
            ok = False
            print(f"FAIL {label}: found {res}")
        elif verbose:
            print(f"ok   {label}")
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if run() else 1)
