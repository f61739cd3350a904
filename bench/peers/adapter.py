"""Convert GTFS feeds into the one-day, simplified GTFS folder the peer planners read.

The peers (pyraptor, raptor-journey-planner) are picky, so the benchmark writes
each feed, for one service date, into the shape they want:

- only the trips that run on that date (calendar.txt + calendar_dates.txt
  resolved *here*, independently of maas), under one service ``D`` that is
  given both as ``calendar_dates.txt`` (pyraptor reads only that) and as a
  one-day ``calendar.txt`` (raptor-journey-planner reads that);
- frequencies.txt expanded into scheduled trips; missing intermediate times
  interpolated linearly by stop position; trips whose times go backwards (that
  pyraptor's asserts reject) dropped and counted; previous-day trips that pass
  midnight are *not* included (neither peer can use them);
- plain ids (``s12``, ``t7``, ``r3``), one agency ``bench``, integer
  ``trip_short_name`` and a ``trip_long_name`` on every trip, ``stop_code`` and
  ``platform_code`` on every stop;
- **stations**: pyraptor groups stops into stations by ``stop_name`` and puts
  a fixed 120 s transfer between the stops of a station (and no other
  transfers).  Grouping by raw name merges different stations that share a
  name (NYC has several "86 St"), which gives impossible journeys.  The adapter
  therefore puts stops in one station when they share a ``parent_station`` or
  when they have the same name (the parent's name for platforms) and lie
  within 400 m of each other (the distance maas uses to cluster same-name
  stops into a place), and writes a unique name per group ("86 St [2]").
  ``native_name_merges`` in the metadata counts the names that pyraptor's own
  grouping would have merged across groups;
- ``transfers.txt`` holds the walking links maas uses by default, computed
  here independently: every pair of served stops within 500 m, great-circle
  distance (haversine, R = 6,371,008.8 m), ``ceil(d / 1.2 m/s)`` seconds, plus
  the feed's transfers.txt type-2 links between two different served stops,
  a rule naming a station standing for each of its stops as GTFS says
  (the quicker link wins).  raptor-journey-planner uses them as footpaths; pyraptor
  ignores the file.

Only the standard library and numpy are used.  ``meta.json`` in the output
folder maps the adapter's ids back to ``(feed, stop_id)`` and lists the
station groups.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import math
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np

EARTH_R = 6_371_008.8
CLUSTER_M = 400.0


# --- reading -------------------------------------------------------------------
class _Source:
    """A GTFS feed as a zip or a folder; ``rows(name)`` yields dicts (BOM tolerated)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.zip = zipfile.ZipFile(self.path) if self.path.is_file() else None
        if self.zip is not None:
            self.names = {Path(n).name: n for n in self.zip.namelist() if not n.endswith("/")}
        else:
            self.names = {p.name: p for p in self.path.iterdir() if p.is_file()}

    def has(self, name: str) -> bool:
        return name in self.names

    def rows(self, name: str):
        if name not in self.names:
            return
        if self.zip is not None:
            text = io.TextIOWrapper(self.zip.open(self.names[name]), encoding="utf-8-sig", newline="")
        else:
            text = open(self.names[name], encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by the with below
        with text:
            for row in csv.DictReader(text):
                if any(v.strip() for v in row.values() if isinstance(v, str)):
                    yield {k.strip(): (v.strip() if isinstance(v, str) else "") for k, v in row.items() if k}


def parse_time(text: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def format_time(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def services_on(src: _Source, date: dt.date) -> set[str]:
    """Return the service_ids that run on ``date`` (calendar.txt then calendar_dates.txt exceptions)."""
    ymd = date.strftime("%Y%m%d")
    day = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[date.weekday()]
    running = set()
    for row in src.rows("calendar.txt"):
        if row.get("start_date", "") <= ymd <= row.get("end_date", "") and row.get(day) == "1":
            running.add(row["service_id"])
    for row in src.rows("calendar_dates.txt"):
        if row.get("date") == ymd:
            if row.get("exception_type") == "1":
                running.add(row["service_id"])
            elif row.get("exception_type") == "2":
                running.discard(row["service_id"])
    return running


def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_R * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


# --- the conversion -------------------------------------------------------------
def adapt(feeds: list[tuple[str, Path]], date: dt.date, out: Path, walk_radius_m: float = 500.0, walk_speed_m_s: float = 1.2) -> dict:
    """Write the adapted folder for ``feeds`` (``(name, path)`` pairs) on ``date``; return its metadata."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stops: list[dict] = []  # served stops: feed, stop_id, name, lat, lon, parent, platform
    stop_key: dict[tuple[str, str], int] = {}
    trips_out: list[tuple[str, list[tuple[int, int, int, int, int]]]] = []  # (route key, [(stop, arr, dep, pick, drop)])
    trip_src: list[list[str]] = []  # (feed, trip_id) of each written trip
    routes: dict[tuple[str, str], dict] = {}
    transfers_feed: list[tuple[int, int, int]] = []
    counts = defaultdict(int)

    for feed_name, path in feeds:
        src = _Source(path)
        running = services_on(src, date)
        all_stops = {r["stop_id"]: r for r in src.rows("stops.txt")}
        route_rows = {r["route_id"]: r for r in src.rows("routes.txt")}
        trips = {}
        for r in src.rows("trips.txt"):
            if r.get("service_id") in running:
                trips[r["trip_id"]] = r
        counts["trips_running"] += len(trips)
        times: dict[str, list] = defaultdict(list)
        for r in src.rows("stop_times.txt"):
            if r["trip_id"] in trips:
                times[r["trip_id"]].append(
                    (
                        int(float(r["stop_sequence"])),
                        r["stop_id"],
                        parse_time(r.get("arrival_time", "")),
                        parse_time(r.get("departure_time", "")),
                        r.get("pickup_type", "") or "0",
                        r.get("drop_off_type", "") or "0",
                    )
                )
        freqs = defaultdict(list)
        for r in src.rows("frequencies.txt"):
            freqs[r["trip_id"]].append((parse_time(r["start_time"]), parse_time(r["end_time"]), int(r["headway_secs"])))

        for trip_id, rows in times.items():
            rows.sort()
            arr = [a if a is not None else d for _, _, a, d, _, _ in rows]
            dep = [d if d is not None else a for _, _, a, d, _, _ in rows]
            known = [i for i, t in enumerate(arr) if t is not None]
            if len(rows) < 2 or not known or known[0] != 0 or known[-1] != len(rows) - 1:
                counts["trips_dropped_no_times"] += 1
                continue
            if len(known) < len(rows):
                counts["trips_interpolated"] += 1
                for a, b in itertools.pairwise(known):
                    for i in range(a + 1, b):
                        t = dep[a] + (arr[b] - dep[a]) * (i - a) // (b - a)
                        arr[i] = dep[i] = t
            if any(arr[i] > dep[i] for i in range(len(rows))) or any(dep[i] > arr[i + 1] for i in range(len(rows) - 1)):
                counts["trips_dropped_backwards"] += 1
                continue
            trip = trips[trip_id]
            rkey = (feed_name, trip["route_id"])
            if rkey not in routes:
                rr = route_rows.get(trip["route_id"], {})
                routes[rkey] = {
                    "id": f"r{len(routes)}",
                    "short": rr.get("route_short_name", "") or rr.get("route_long_name", "") or trip["route_id"],
                    "long": rr.get("route_long_name", "") or rr.get("route_short_name", "") or trip["route_id"],
                    "type": rr.get("route_type", "3") or "3",
                }
            seq = []
            for (_, sid, _, _, pick, drop), a, d in zip(rows, arr, dep):
                key = (feed_name, sid)
                if key not in stop_key:
                    s = all_stops.get(sid, {})
                    parent = s.get("parent_station", "")
                    stop_key[key] = len(stops)
                    stops.append(
                        {
                            "feed": feed_name,
                            "stop_id": sid,
                            "name": s.get("stop_name", "") or sid,
                            "lat": float(s.get("stop_lat") or 0.0),
                            "lon": float(s.get("stop_lon") or 0.0),
                            "parent": parent,
                            "parent_name": all_stops.get(parent, {}).get("stop_name", "") if parent else "",
                            "platform": s.get("platform_code", ""),
                        }
                    )
                seq.append((stop_key[key], a, d, 1 if pick == "1" else 0, 1 if drop == "1" else 0))
            if len({s for s, *_ in seq}) < len(seq):
                counts["trips_visiting_a_stop_twice"] += 1
            if trip_id in freqs:
                counts["frequency_templates"] += 1
                base = seq[0][1]
                for start, end, headway in freqs[trip_id]:
                    t = start
                    while t < end:
                        shift = t - base
                        trips_out.append((rkey, [(s, a + shift, d + shift, p, q) for s, a, d, p, q in seq]))
                        trip_src.append([feed_name, trip_id])
                        t += headway
            else:
                trips_out.append((rkey, seq))
                trip_src.append([feed_name, trip_id])
        children = defaultdict(list)  # a station's stops, as GTFS applies a station's transfer rule to each of them
        for sid, r in all_stops.items():
            if r.get("parent_station") and r.get("location_type", "0") in ("", "0"):
                children[r["parent_station"]].append(sid)

        def served(sid: str, children: dict[str, list[str]] = children, all_stops: dict = all_stops, feed_name: str = feed_name) -> list[int]:
            ids = children.get(sid, []) if all_stops.get(sid, {}).get("location_type") == "1" else [sid]
            return [stop_key[(feed_name, i)] for i in ids if (feed_name, i) in stop_key]

        for r in src.rows("transfers.txt"):
            if r.get("transfer_type") == "2" and r.get("from_stop_id") != r.get("to_stop_id"):
                pairs = [(a, b) for a in served(r.get("from_stop_id", "")) for b in served(r.get("to_stop_id", "")) if a != b]
                transfers_feed += [(a, b, int(float(r.get("min_transfer_time") or 0))) for a, b in pairs]
                if not pairs:
                    counts["feed_transfers_not_between_served_stops"] += 1

    groups, native_merges = _station_groups(stops)
    links = _walk_links(stops, walk_radius_m, walk_speed_m_s)
    for a, b, sec in transfers_feed:
        links[(a, b)] = min(sec, links.get((a, b), sec))

    _write(out, date, stops, groups, routes, trips_out, links)
    meta = {
        "date": date.isoformat(),
        "feeds": [[n, str(p)] for n, p in feeds],
        "stops": [[s["feed"], s["stop_id"]] for s in stops],
        "groups": [{"name": g["name"], "stops": g["stops"], "key": g["key"]} for g in groups],
        "stop_group": _stop_group(stops, groups),
        "trips": trip_src,
        "counts": {
            **counts,
            "trips_written": len(trips_out),
            "stop_times_written": sum(len(s) for _, s in trips_out),
            "stops_served": len(stops),
            "stations": len(groups),
            "walk_links": len(links),
            "feed_transfers_used": len(transfers_feed),
            "native_name_merges": native_merges,
        },
    }
    (out / "meta.json").write_text(json.dumps(meta))
    return meta


def _station_groups(stops: list[dict]) -> tuple[list[dict], int]:
    """Group stops into stations and give each group a unique name.

    Two stops are in one station when they share a ``parent_station``, or
    when their names (the parent's name for a stop that has one) are equal and
    one lies within CLUSTER_M of the first stop of that name's cluster (leader
    clustering, like maas's place resolution; no chaining).  This keeps
    complexes that a feed splits over several parents with one name (NYC's
    "Times Sq - 42 St") together, and keeps apart distant stations that share
    a name (NYC's several "86 St"), which pyraptor's grouping by name alone
    would merge.
    """
    n = len(stops)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        parent[find(x)] = find(y)

    base = [(s["parent_name"] or s["name"]) if s["parent"] else s["name"] for s in stops]
    first_of_parent: dict[tuple[str, str], int] = {}
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(stops):
        if s["parent"]:
            key = (s["feed"], s["parent"])
            if key in first_of_parent:
                union(i, first_of_parent[key])
            else:
                first_of_parent[key] = i
        by_name[base[i]].append(i)
    for members in by_name.values():
        # Leader clustering, as maas's place resolution does: a stop joins the first cluster
        # whose first stop is within CLUSTER_M (no chaining along a street of same-name stops).
        leaders: list[int] = []
        for i in members:
            for lead in leaders:
                if haversine(stops[i]["lat"], stops[i]["lon"], stops[lead]["lat"], stops[lead]["lon"]) <= CLUSTER_M:
                    union(i, lead)
                    break
            else:
                leaders.append(i)
    roots: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        roots[find(i)].append(i)
    groups = [{"key": f"{stops[m[0]]['feed']}:{base[m[0]]}#{m[0]}", "base": base[m[0]], "stops": m} for m in roots.values()]
    # pyraptor's native grouping is by stop_name alone: count names shared by several groups.
    groups_of_name: dict[str, set[int]] = defaultdict(set)
    for g, grp in enumerate(groups):
        for i in grp["stops"]:
            groups_of_name[stops[i]["name"]].add(g)
    native_merges = sum(len(v) > 1 for v in groups_of_name.values())
    used: dict[str, int] = defaultdict(int)
    for grp in groups:
        used[grp["base"]] += 1
    seen: dict[str, int] = defaultdict(int)
    for grp in groups:
        name = grp["base"].replace(",", " ").replace('"', "'")
        if used[grp["base"]] > 1:
            seen[name] += 1
            grp["name"] = f"{name} [{seen[name]}]"
        else:
            grp["name"] = name
    return groups, native_merges


def _stop_group(stops: list[dict], groups: list[dict]) -> list[int]:
    g_of = [0] * len(stops)
    for g, grp in enumerate(groups):
        for i in grp["stops"]:
            g_of[i] = g
    return g_of


def _walk_links(stops: list[dict], radius_m: float, speed_m_s: float) -> dict[tuple[int, int], int]:
    """Every ordered pair of different stops within ``radius_m``: ceil(distance / speed) seconds."""
    links: dict[tuple[int, int], int] = {}
    if not stops or radius_m <= 0:
        return links
    lat = np.array([s["lat"] for s in stops])
    lon = np.array([s["lon"] for s in stops])
    n = len(stops)
    chunk = max(1, 4_000_000 // n)
    for start in range(0, n, chunk):
        i = np.arange(start, min(n, start + chunk))
        d = haversine(lat[i][:, None], lon[i][:, None], lat[None, :], lon[None, :])
        ii, jj = np.nonzero(d <= radius_m)
        for a, b in zip(i[ii], jj):
            if a != b:
                links[(int(a), int(b))] = int(math.ceil(float(d[a - start, b]) / speed_m_s - 1e-9))
    return links


def _write(out: Path, date: dt.date, stops, groups, routes, trips_out, links) -> None:
    ymd = date.strftime("%Y%m%d")
    g_of = _stop_group(stops, groups)

    def writer(name: str, header: list[str]):
        fh = open(out / name, "w", newline="", encoding="utf-8")  # noqa: SIM115 - the caller closes it
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        return fh, w

    fh, w = writer("agency.txt", ["agency_id", "agency_name", "agency_url", "agency_timezone"])
    w.writerow(["bench", "bench", "https://example.invalid", "UTC"])
    fh.close()
    fh, w = writer("stops.txt", ["stop_id", "stop_code", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station", "platform_code"])
    for i, s in enumerate(stops):
        w.writerow([f"s{i}", f"s{i}", groups[g_of[i]]["name"], f"{s['lat']:.7f}", f"{s['lon']:.7f}", 0, f"g{g_of[i]}", s["platform"]])
    fh.close()
    fh, w = writer("routes.txt", ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"])
    for r in routes.values():
        w.writerow([r["id"], "bench", r["short"], r["long"], r["type"]])
    fh.close()
    fh, w = writer("calendar_dates.txt", ["service_id", "date", "exception_type"])
    w.writerow(["D", ymd, 1])
    fh.close()
    fh, w = writer("calendar.txt", ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "start_date", "end_date"])
    w.writerow(["D", 1, 1, 1, 1, 1, 1, 1, ymd, ymd])
    fh.close()
    fh, w = writer("trips.txt", ["route_id", "service_id", "trip_id", "trip_short_name", "trip_long_name"])
    fh2, w2 = writer("stop_times.txt", ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "pickup_type", "drop_off_type"])
    for t, (rkey, seq) in enumerate(trips_out):
        r = routes[rkey]
        w.writerow([r["id"], "D", f"t{t}", t + 1, r["short"]])
        for k, (s, a, d, p, q) in enumerate(seq):
            w2.writerow([f"t{t}", format_time(a), format_time(d), f"s{s}", k, p, q])
    fh.close()
    fh2.close()
    fh, w = writer("transfers.txt", ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"])
    for (a, b), sec in sorted(links.items()):
        w.writerow([f"s{a}", f"s{b}", 2, sec])
    fh.close()
