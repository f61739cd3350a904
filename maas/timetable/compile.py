"""Compile checked feeds into one :class:`~maas.timetable.model.Timetable`.

Several feeds are compiled side by side: each keeps its own ids (so a stop
``1`` of the bus feed and a stop ``1`` of the rail feed stay apart) and its
services; the arrays index them all together.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from maas.errors import FeedError, InputError
from maas.feeds.calendar import service_days
from maas.feeds.parse import parse_number, parse_time
from maas.feeds.problems import Problem, has_errors
from maas.feeds.reader import Feed, read_feed
from maas.feeds.romaji import with_english
from maas.feeds.schema import mode_of_route_type
from maas.feeds.translations import canonical_language, feed_language, glossary, translated_names, translation_form
from maas.feeds.validate import validate_feed
from maas.geo import haversine_m
from maas.timetable.model import FeedSummary, Timetable
from maas.timetable.names import HeadsignTable, route_names, stop_time_headsigns, trip_headsigns, trip_short_names
from maas.timetable.shapes import compile_shapes, read_shapes

#: Bumped whenever the compiled layout or its meaning changes (invalidates caches).
COMPILER_VERSION = 10


@dataclass
class _FeedParts:
    """What one feed contributes, with indices local to the feed."""

    feed: Feed
    summary: FeedSummary
    stops: pd.DataFrame
    routes: pd.DataFrame
    trips: pd.DataFrame
    stop_times: pd.DataFrame
    services: dict[str, np.ndarray]
    transfers: pd.DataFrame
    headsigns: HeadsignTable
    short_names: list[dict[str, str]]


def load_feeds(paths: Sequence[str | Path], names: Sequence[str] | None = None) -> list[Feed]:
    """Read feeds, giving each a unique short name (``bus``, ``bus-2`` … on clashes)."""
    feeds = []
    used: set[str] = set()
    for i, path in enumerate(paths):
        feed = read_feed(path, names[i] if names else None)
        base, n = feed.name, 2
        while feed.name in used:
            feed.name = f"{base}-{n}"
            n += 1
        used.add(feed.name)
        feeds.append(feed)
    return feeds


def feed_area(path: str | Path) -> tuple[float, float, float, float] | None:
    """Return the ``area`` of the catalog entry describing the feed at ``path``, or None.

    ``area = [west, south, east, north]`` (degrees, WGS84) in a ``gtfs/feeds.toml``
    entry loads only the trips of that feed that call at a stop inside the box
    (a trip crossing the edge is kept whole); see :func:`_clip_to_area`.  Only
    the catalog beside the feed counts, so the same feed given elsewhere (a
    zip, ``--feed``) is loaded whole.
    """
    from maas.feeds.catalog import entry_for_feed

    if not isinstance(path, str | Path) or not str(path):  # a feed made in memory has no catalog
        return None
    entry = entry_for_feed(path)
    if entry is None or "area" not in entry.extra:
        return None
    value = entry.extra["area"]
    if not (
        isinstance(value, list)
        and len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and -180 <= value[0] < value[2] <= 180
        and -90 <= value[1] < value[3] <= 90
    ):
        raise FeedError(f"feed catalog entry {entry.name}: area must be [west, south, east, north] in degrees, not {value!r}")
    return (float(value[0]), float(value[1]), float(value[2]), float(value[3]))


def compile_feeds(
    feeds: Sequence[Feed],
    progress: bool | None = None,
    on_problems: Callable[[list[Problem]], None] | None = None,
) -> Timetable:
    """Check and compile feeds into a timetable.

    Raises :class:`FeedError` listing every error when a feed is not usable.
    ``progress`` shows a progress bar (default: when stderr is a terminal).
    ``on_problems`` receives each feed's problems (warnings included).
    Raises :class:`InputError` (field ``feed``) when no feed is given.
    """
    if not feeds:
        raise InputError("no feeds to compile: give at least one GTFS folder or zip file", "feed")
    if progress is None:
        progress = sys.stderr.isatty()
    steps = ["check", "stops and routes", "stop times", "patterns"]
    bar = tqdm(total=len(feeds) * 3 + 1, desc="compiling", unit="step", disable=not progress, leave=False)
    parts = []
    for feed in feeds:
        bar.set_postfix_str(f"{feed.name}: {steps[0]}")
        problems = validate_feed(feed)
        if on_problems:
            on_problems(problems)
        if has_errors(problems):
            errors = [p for p in problems if p.severity == "error"]
            listing = "\n".join(f"  {p.where()}: {p.message}" for p in errors[:20])
            more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
            raise FeedError(f"feed {feed.name} ({feed.source}) cannot be used:\n{listing}{more}", problems)
        bar.update()
        bar.set_postfix_str(f"{feed.name}: {steps[1]}")
        warnings = sum(p.severity == "warning" for p in problems)
        part = _feed_parts(feed, warnings)
        bar.update()
        bar.set_postfix_str(f"{feed.name}: {steps[2]}")
        part.stop_times = _stop_times(feed, part)
        area = feed_area(feed.source)
        if area is not None:
            _clip_to_area(part, area)
        bar.update()
        parts.append(part)
    bar.set_postfix_str(steps[3])
    timetable = _assemble(parts)
    bar.update()
    bar.close()
    return timetable


# --- per feed ----------------------------------------------------------------


def _feed_parts(feed: Feed, warnings: int) -> _FeedParts:
    agency = feed.table("agency.txt")
    tz = next((str(v) for v in feed.column("agency.txt", "agency_timezone") if v), "UTC")
    info = feed.table("feed_info.txt")
    summary = FeedSummary(
        name=feed.name,
        source=str(feed.source),
        digest=feed.digest,
        publisher=str(info["feed_publisher_name"].iloc[0]) if "feed_publisher_name" in info.columns and len(info) else "",
        version=str(info["feed_version"].iloc[0]) if "feed_version" in info.columns and len(info) else "",
        timezone=tz,
        lang=feed_language(feed),
        agencies=[str(v) for v in feed.column("agency.txt", "agency_name")],
        warnings=warnings,
        translations_form=translation_form(feed),
        agencies_official=[str(v) for v in feed.column("agency_jp.txt", "agency_official_name") if v],
        offices=[str(v) for v in feed.column("office_jp.txt", "office_name") if v],
    )
    # Stops: keep stops/platforms (0) and stations (1).
    st = feed.table("stops.txt")
    ltype = parse_number(feed.column("stops.txt", "location_type"), integer=True).values
    keep = ltype <= 1
    names_i18n = translated_names(feed, "stops.txt", "stop_id", "stop_name")
    stops = pd.DataFrame(
        {
            "stop_id": st["stop_id"].astype(str).to_numpy()[keep],
            "name": feed.column("stops.txt", "stop_name").astype(str).to_numpy()[keep],
            "lat": parse_number(st["stop_lat"]).values[keep],
            "lon": parse_number(st["stop_lon"]).values[keep],
            "parent": feed.column("stops.txt", "parent_station").astype(str).to_numpy()[keep],
            "ltype": ltype[keep],
            "platform": feed.column("stops.txt", "platform_code").astype(str).to_numpy()[keep],
            "zone": feed.column("stops.txt", "zone_id").astype(str).to_numpy()[keep],
        }
    )
    # English for every stop a visitor must read: the feed's, else its reading romanised, else a generated one.
    named = [with_english(n, names_i18n.get(s, {})) for n, s in zip(stops["name"], stops["stop_id"])]
    stops["names"] = [names for names, _ in named]
    stops["name_source"] = [source for _, source in named]
    # Routes.
    rt = feed.table("routes.txt")
    rtype = parse_number(rt["route_type"], integer=True).values
    agency_names = dict(zip(feed.column("agency.txt", "agency_id").astype(str), feed.column("agency.txt", "agency_name").astype(str)))
    default_agency = str(agency["agency_name"].iloc[0]) if "agency_name" in agency.columns and len(agency) else ""
    routes = pd.DataFrame(
        {
            "route_id": rt["route_id"].astype(str).to_numpy(),
            "short": feed.column("routes.txt", "route_short_name").astype(str).to_numpy(),
            "long": feed.column("routes.txt", "route_long_name").astype(str).to_numpy(),
            "type": rtype,
            "mode": [mode_of_route_type(int(t)) for t in rtype],
            "agency": [agency_names.get(a, default_agency) if a else default_agency for a in feed.column("routes.txt", "agency_id").astype(str)],
            "color": feed.column("routes.txt", "route_color").astype(str).to_numpy(),
        }
    )
    # GTFS-JP routes_jp.txt: "origin – via – destination" stands in for a missing long name.
    jp = feed.table("routes_jp.txt")
    if len(jp) and "route_id" in jp.columns:
        ends = {
            str(r): " – ".join(str(x) for x in (o, v, d) if x)
            for r, o, v, d in zip(
                jp["route_id"],
                feed.column("routes_jp.txt", "origin_stop"),
                feed.column("routes_jp.txt", "via_stop"),
                feed.column("routes_jp.txt", "destination_stop"),
            )
        }
        routes["long"] = [long or ends.get(rid, "") for rid, long in zip(routes["route_id"], routes["long"])]
    # Names of routes and headsigns in every language: the feed's, else English made of the names it translates (maas.timetable.names).
    own_lang, known = canonical_language(feed_language(feed)), glossary(feed)
    routes["names"], routes["long_names"] = route_names(feed, routes, own_lang, known)
    routes["fare"], routes["zone_fares"] = _fares(feed, routes["route_id"])
    # Trips.
    tr = feed.table("trips.txt")
    trips = pd.DataFrame(
        {
            "trip_id": tr["trip_id"].astype(str).to_numpy(),
            "route_id": tr["route_id"].astype(str).to_numpy(),
            "service_id": tr["service_id"].astype(str).to_numpy(),
            "headsign": feed.column("trips.txt", "trip_headsign").astype(str).to_numpy(),
            "short": feed.column("trips.txt", "trip_short_name").astype(str).to_numpy(),
            "shape_id": feed.column("trips.txt", "shape_id").astype(str).to_numpy(),
        }
    )
    headsigns = HeadsignTable(own_lang, known)
    trips["headsign_ref"] = trip_headsigns(feed, trips, headsigns)
    trips["short_ref"], short_names = trip_short_names(feed, trips)
    # Transfers of type 2 (a station's rule applies to its platforms; see _assemble).
    tf = feed.table("transfers.txt")
    transfers = pd.DataFrame(columns=["from", "to", "seconds"])
    if len(tf) and {"from_stop_id", "to_stop_id"} <= set(tf.columns):
        ttype = parse_number(tf["transfer_type"], integer=True).values
        secs = parse_number(feed.column("transfers.txt", "min_transfer_time"), integer=True).values
        frm = tf["from_stop_id"].astype(str).to_numpy()
        to = tf["to_stop_id"].astype(str).to_numpy()
        sel = (ttype == 2) & (frm != "") & (to != "")
        transfers = pd.DataFrame({"from": frm[sel], "to": to[sel], "seconds": secs[sel]})
    return _FeedParts(feed, summary, stops, routes, trips, pd.DataFrame(), service_days(feed), transfers, headsigns, short_names)


def _fares(feed: Feed, route_ids: pd.Series) -> tuple[np.ndarray, list[dict[tuple[str, str], float]]]:
    """Return each route's fare (NaN when unknown) and its zone fares ``{(origin, destination): yen}``.

    The route fare is the cheapest rule naming the route alone.  A zone fare is the
    cheapest rule naming both an origin and a destination zone, with the route or with
    no route (then it applies to every route of the feed).  Rules naming one zone only,
    or ``contains_id`` zones, are not priced.
    """
    flat = np.full(len(route_ids), np.nan)
    zoned: list[dict[tuple[str, str], float]] = [{} for _ in range(len(route_ids))]
    fa, fr = feed.table("fare_attributes.txt"), feed.table("fare_rules.txt")
    if not len(fa) or not len(fr):
        return flat, zoned
    price = dict(zip(fa["fare_id"].astype(str), parse_number(fa["price"]).values))
    index = {rid: i for i, rid in enumerate(route_ids)}

    def col(name: str) -> list[str]:
        return fr[name].astype(str).tolist() if name in fr.columns else [""] * len(fr)

    for fid, rid, o, d, c in zip(fr["fare_id"].astype(str), col("route_id"), col("origin_id"), col("destination_id"), col("contains_id")):
        yen = price.get(fid, np.nan)
        if yen != yen or c:
            continue
        if not (o or d):
            if rid in index:
                flat[index[rid]] = np.fmin(flat[index[rid]], yen)
        elif o and d:
            for i in [index[rid]] if rid in index else (range(len(zoned)) if not rid else []):
                zoned[i][(o, d)] = min(zoned[i].get((o, d), np.inf), float(yen))
    return flat, zoned


def _stop_times(feed: Feed, part: _FeedParts) -> pd.DataFrame:
    """Return stop times sorted by trip and sequence, times filled in, frequencies expanded."""
    st = feed.table("stop_times.txt")
    seq = parse_number(st["stop_sequence"], integer=True).values
    arr = parse_time(feed.column("stop_times.txt", "arrival_time"))
    dep = parse_time(feed.column("stop_times.txt", "departure_time"))
    a = np.where(arr.empty, -1, arr.values)
    d = np.where(dep.empty, -1, dep.values)
    a = np.where(a < 0, d, a)
    d = np.where(d < 0, a, d)
    pickup = parse_number(feed.column("stop_times.txt", "pickup_type"), integer=True).values
    dropoff = parse_number(feed.column("stop_times.txt", "drop_off_type"), integer=True).values
    shape_dist = parse_number(feed.column("stop_times.txt", "shape_dist_traveled"))
    frame = pd.DataFrame(
        {
            "trip_id": st["trip_id"].astype(str).to_numpy(),
            "stop_id": st["stop_id"].astype(str).to_numpy(),
            "seq": seq,
            "arr": a,
            "dep": d,
            "pickup": pickup != 1,
            "dropoff": dropoff != 1,
            "shape_dist": np.where(shape_dist.empty | shape_dist.bad, np.nan, shape_dist.values),
            "headsign": feed.column("stop_times.txt", "stop_headsign").astype(str).to_numpy(),
        }
    )
    frame = frame.sort_values(["trip_id", "seq"], kind="stable").reset_index(drop=True)
    if (frame["arr"] < 0).any():
        frame = _interpolate(frame, part.stops)
    # Drop single-stop trips.
    counts = frame.groupby("trip_id", sort=False)["seq"].transform("size")
    frame = frame[counts >= 2].reset_index(drop=True)
    frame["headsign_ref"] = stop_time_headsigns(feed, frame, part.headsigns)
    return _expand_frequencies(feed, frame.drop(columns="headsign"))


def _clip_to_area(part: _FeedParts, area: tuple[float, float, float, float]) -> None:
    """Keep only the trips that call at a stop inside ``area`` (west, south, east, north), whole.

    Stops inside the area, stops of the kept trips and their stations stay;
    routes and services left without a trip go.
    """
    west, south, east, north = area
    lat, lon = part.stops["lat"].to_numpy(), part.stops["lon"].to_numpy()
    inside_ids = set(part.stops["stop_id"][(lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)])
    st = part.stop_times
    keep_trips = set(st["trip_id"][st["stop_id"].isin(inside_ids)])
    if not keep_trips:
        raise FeedError(f"feed {part.feed.name} ({part.feed.source}): no trip calls inside the catalog's area {list(area)} (west, south, east, north)")
    part.stop_times = st[st["trip_id"].isin(keep_trips)].reset_index(drop=True)
    part.trips = part.trips[part.trips["trip_id"].isin(keep_trips)].reset_index(drop=True)
    used = inside_ids | set(part.stop_times["stop_id"])
    stops = part.stops[part.stops["stop_id"].isin(used)]
    used |= set(stops["parent"]) - {""}
    part.stops = part.stops[part.stops["stop_id"].isin(used)].reset_index(drop=True)
    part.routes = part.routes[part.routes["route_id"].isin(set(part.trips["route_id"]))].reset_index(drop=True)
    services = set(part.trips["service_id"])
    part.services = {sid: days for sid, days in part.services.items() if sid in services}


def _interpolate(frame: pd.DataFrame, stops: pd.DataFrame) -> pd.DataFrame:
    """Fill missing times linearly by straight-line distance between timed stops."""
    pos = stops.drop_duplicates("stop_id").set_index("stop_id")[["lat", "lon"]]
    lat = frame["stop_id"].map(pos["lat"]).to_numpy(dtype=float)
    lon = frame["stop_id"].map(pos["lon"]).to_numpy(dtype=float)
    trip = frame["trip_id"].to_numpy()
    first = np.r_[True, trip[1:] != trip[:-1]]
    step = np.r_[0.0, haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])]
    step[first] = 0.0
    step = np.nan_to_num(step)
    group = np.cumsum(first)
    cum = pd.Series(step).groupby(group).cumsum().to_numpy()
    arr = frame["arr"].to_numpy().astype(float)
    arr[arr < 0] = np.nan
    dep = frame["dep"].to_numpy().astype(float)
    dep[dep < 0] = np.nan
    missing = np.isnan(arr)
    for g in np.unique(group[missing]):
        idx = np.flatnonzero(group == g)
        known = ~np.isnan(arr[idx])
        if known.sum() < 2:
            continue
        # Between two timed stops the vehicle runs from the first one's departure
        # to the second one's arrival (not its departure: it may wait there).
        k, u = idx[known], idx[~known]
        r = np.clip(np.searchsorted(k, u), 1, len(k) - 1)
        prev, nxt = k[r - 1], k[r]
        span = cum[nxt] - cum[prev]
        frac = np.where(span > 0, (cum[u] - cum[prev]) / np.where(span > 0, span, 1.0), (u - prev) / (nxt - prev))
        arr[u] = dep[prev] + np.clip(frac, 0.0, 1.0) * (arr[nxt] - dep[prev])
        dep[u] = arr[u]
    frame = frame.copy()
    frame["arr"] = np.round(np.nan_to_num(arr, nan=-1)).astype(np.int64)
    frame["dep"] = np.round(np.nan_to_num(dep, nan=-1)).astype(np.int64)
    return frame


def _expand_frequencies(feed: Feed, frame: pd.DataFrame) -> pd.DataFrame:
    """Replace each trip of frequencies.txt by one copy per headway."""
    frame["freq_start"] = -1
    fr = feed.table("frequencies.txt")
    if not len(fr):
        return frame
    start = parse_time(fr["start_time"]).values
    end = parse_time(fr["end_time"]).values
    headway = parse_number(fr["headway_secs"], integer=True).values
    templates = frame[frame["trip_id"].isin(set(fr["trip_id"].astype(str)))]
    by_trip = {t: g for t, g in templates.groupby("trip_id", sort=False)}  # noqa: C416 - dict(groupby) would read GroupBy.keys as a mapping's
    copies = []
    for tid, s, e, h in zip(fr["trip_id"].astype(str), start, end, headway):
        g = by_trip.get(tid)
        if g is None or h <= 0:
            continue
        t0 = int(g["dep"].iloc[0])
        for begin in range(int(s), int(e), int(h)):
            c = g.copy()
            c["arr"] = c["arr"] - t0 + begin
            c["dep"] = c["dep"] - t0 + begin
            c["freq_start"] = begin
            copies.append(c)
    rest = frame[~frame["trip_id"].isin(set(by_trip))]
    return pd.concat([rest, *copies], ignore_index=True) if copies else rest.reset_index(drop=True)


# --- all feeds together --------------------------------------------------------


def _assemble(parts: list[_FeedParts]) -> Timetable:
    zones = {p.summary.timezone for p in parts}
    if len(zones) > 1:
        raise FeedError("feeds use different time zones (" + ", ".join(f"{p.feed.name}: {p.summary.timezone}" for p in parts) + "); compile them separately")
    # Stops.
    stop_frames = []
    for f, p in enumerate(parts):
        s = p.stops.copy()
        s["feed"] = f
        stop_frames.append(s)
    stops = pd.concat(stop_frames, ignore_index=True)
    stop_index = {(int(f), sid): i for i, (f, sid) in enumerate(zip(stops["feed"], stops["stop_id"]))}
    parent = np.array([stop_index.get((int(f), par), -1) if par else -1 for f, par in zip(stops["feed"], stops["parent"])], np.int32)
    # Routes.
    route_frames = []
    for f, p in enumerate(parts):
        r = p.routes.copy()
        r["feed"] = f
        route_frames.append(r)
    routes = pd.concat(route_frames, ignore_index=True)
    route_index = {(int(f), rid): i for i, (f, rid) in enumerate(zip(routes["feed"], routes["route_id"]))}
    # Services.
    service_keys: list[tuple[int, str]] = []
    all_days = [d for p in parts for d in p.services.values() if len(d)]
    first_day = int(min(d[0] for d in all_days)) if all_days else 0
    last_day = int(max(d[-1] for d in all_days)) if all_days else 0
    n_days = last_day - first_day + 1
    runs_rows = []
    for f, p in enumerate(parts):
        for sid, days in sorted(p.services.items()):
            service_keys.append((f, sid))
            row = np.zeros(n_days, bool)
            row[days - first_day] = True
            runs_rows.append(row)
    service_index = {k: i for i, k in enumerate(service_keys)}
    service_runs = np.array(runs_rows, dtype=bool).reshape(len(service_keys), n_days)
    # Trips and stop times; each feed's headsigns and short names follow the previous feeds' ones.
    headsign_base = np.cumsum([0] + [len(p.headsigns.texts) for p in parts])
    short_base = np.cumsum([0] + [len(p.short_names) for p in parts])
    trip_frames, st_frames = [], []
    for f, p in enumerate(parts):
        t = p.trips.copy()
        t["feed"] = f
        t["headsign_ref"] = np.where(t["headsign_ref"] >= 0, t["headsign_ref"] + headsign_base[f], -1)
        t["short_ref"] = np.where(t["short_ref"] >= 0, t["short_ref"] + short_base[f], -1)
        t["route"] = [route_index[(f, r)] for r in t["route_id"]]
        t["service"] = [service_index[(f, s)] for s in t["service_id"]]
        trip_frames.append(t)
        s = p.stop_times.copy()
        s["feed"] = f
        s["stop"] = [stop_index.get((f, x), -1) for x in s["stop_id"]]
        s["headsign_ref"] = np.where(s["headsign_ref"] >= 0, s["headsign_ref"] + headsign_base[f], -1)
        st_frames.append(s)
    trips = pd.concat(trip_frames, ignore_index=True)
    st = pd.concat(st_frames, ignore_index=True)
    st = st[st["stop"] >= 0]
    trip_key = {(int(f), tid): i for i, (f, tid) in enumerate(zip(trips["feed"], trips["trip_id"]))}
    st["trip"] = [trip_key.get((int(f), t), -1) for f, t in zip(st["feed"], st["trip_id"])]
    st = st[st["trip"] >= 0]
    # One compiled trip per (trip, frequency copy).
    st = st.sort_values(["trip", "freq_start", "seq"], kind="stable").reset_index(drop=True)
    trip_col, freq_col = st["trip"].to_numpy(), st["freq_start"].to_numpy()
    starts = np.flatnonzero(np.r_[True, (trip_col[1:] != trip_col[:-1]) | (freq_col[1:] != freq_col[:-1])])
    ends = np.r_[starts[1:], len(st)]
    stop_arr = st["stop"].to_numpy(np.int32)
    arr = st["arr"].to_numpy(np.int64)
    dep = st["dep"].to_numpy(np.int64)
    pick = st["pickup"].to_numpy(bool)
    drop = st["dropoff"].to_numpy(bool)
    src_trip = st["trip"].to_numpy()[starts]
    freq = st["freq_start"].to_numpy()[starts]
    # Group compiled trips into patterns: same route, stops and pickup/drop-off rules.
    groups: dict[tuple[int, bytes, bytes, bytes], list[int]] = {}
    for ct, (s0, s1) in enumerate(zip(starts, ends)):
        key = (
            int(trips["route"].iat[src_trip[ct]]),
            stop_arr[s0:s1].tobytes(),
            pick[s0:s1].tobytes(),
            drop[s0:s1].tobytes(),
        )
        groups.setdefault(key, []).append(ct)
    pattern_route, p_stop_off, p_stops, p_pick, p_drop = [], [0], [], [], []
    p_trip_off: list[int] = [0]
    p_trips: list[int] = []
    order_trips: list[int] = []  # compiled trips in pattern order
    for key, members in groups.items():
        s0 = starts[members[0]]
        n = ends[members[0]] - s0
        times = np.stack([arr[starts[m] : starts[m] + n] for m in members])
        dtimes = np.stack([dep[starts[m] : starts[m] + n] for m in members])
        order = np.lexsort(tuple(dtimes[:, i] for i in range(n - 1, -1, -1)))
        for sub in _no_overtaking(times[order], dtimes[order]):
            pattern_route.append(key[0])
            p_stops.extend(stop_arr[s0 : s0 + n])
            p_pick.extend(pick[s0 : s0 + n])
            p_drop.extend(drop[s0 : s0 + n])
            p_stop_off.append(len(p_stops))
            chosen = [members[order[j]] for j in sub]
            order_trips.extend(chosen)
            p_trips.extend(range(len(order_trips) - len(chosen), len(order_trips)))
            p_trip_off.append(len(p_trips))
    n_ct = len(order_trips)
    trip_pattern = np.empty(n_ct, np.int32)
    for pat in range(len(pattern_route)):
        trip_pattern[p_trip_off[pat] : p_trip_off[pat + 1]] = pat
    lengths = np.array([ends[ct] - starts[ct] for ct in order_trips], np.int64)
    time_offset = np.r_[0, np.cumsum(lengths)[:-1]].astype(np.int64)
    take = np.concatenate([np.arange(starts[ct], ends[ct]) for ct in order_trips]) if n_ct else np.zeros(0, np.int64)
    src = src_trip[order_trips] if n_ct else np.zeros(0, np.int64)
    # Transfers: GTFS applies a station's rule to every stop in it, so expand stations to their
    # platforms; keep links between two different stops only.
    children: dict[int, list[int]] = {}
    for s_i, par in enumerate(parent):
        if par >= 0:
            children.setdefault(int(par), []).append(s_i)
    ltype = stops["ltype"].to_numpy()

    def stops_of(i: int) -> list[int]:
        return children.get(i, []) if ltype[i] == 1 else [i]

    tf_from, tf_to, tf_secs = [], [], []
    for f, part in enumerate(parts):
        for a_id, b_id, secs in zip(part.transfers["from"], part.transfers["to"], part.transfers["seconds"]):
            a_i, b_i = stop_index.get((f, a_id)), stop_index.get((f, b_id))
            if a_i is None or b_i is None:
                continue
            for u in stops_of(a_i):
                for v in stops_of(b_i):
                    if u != v:
                        tf_from.append(u)
                        tf_to.append(v)
                        tf_secs.append(int(secs))
    shapes = compile_shapes(
        [read_shapes(p.feed) for p in parts],
        trips["feed"].to_numpy()[src],
        trips["shape_id"].to_numpy()[src].tolist(),
        time_offset,
        stop_arr[take],
        st["shape_dist"].to_numpy(np.float64)[take],
        stops["lon"].to_numpy(np.float64),
        stops["lat"].to_numpy(np.float64),
    )
    return Timetable(
        feeds=[p.summary for p in parts],
        timezone=parts[0].summary.timezone if parts else "UTC",
        stop_feed=stops["feed"].to_numpy(np.int16),
        stop_ids=stops["stop_id"].tolist(),
        stop_names=stops["name"].tolist(),
        stop_names_i18n=stops["names"].tolist(),
        stop_name_source=stops["name_source"].tolist(),
        stop_lat=stops["lat"].to_numpy(np.float64),
        stop_lon=stops["lon"].to_numpy(np.float64),
        stop_parent=parent,
        stop_location_type=stops["ltype"].to_numpy(np.int8),
        stop_platform_codes=stops["platform"].tolist(),
        stop_zones=stops["zone"].tolist(),
        route_feed=routes["feed"].to_numpy(np.int16),
        route_ids=routes["route_id"].tolist(),
        route_short_names=routes["short"].tolist(),
        route_long_names=routes["long"].tolist(),
        route_names_i18n=routes["names"].tolist(),
        route_long_names_i18n=routes["long_names"].tolist(),
        route_types=routes["type"].to_numpy(np.int16),
        route_modes=routes["mode"].tolist(),
        route_agency=routes["agency"].tolist(),
        route_colors=routes["color"].tolist(),
        route_fare_yen=routes["fare"].to_numpy(np.float64),
        route_zone_fares=list(routes["zone_fares"]),
        trip_ids=trips["trip_id"].to_numpy()[src].tolist(),
        trip_freq_start=freq[order_trips].astype(np.int32) if n_ct else np.zeros(0, np.int32),
        trip_route=trips["route"].to_numpy(np.int32)[src],
        trip_service=trips["service"].to_numpy(np.int32)[src],
        trip_pattern=trip_pattern,
        trip_headsigns=trips["headsign"].to_numpy()[src].tolist(),
        trip_short_names=trips["short"].to_numpy()[src].tolist(),
        trip_headsign_index=trips["headsign_ref"].to_numpy(np.int32)[src],
        trip_short_name_index=trips["short_ref"].to_numpy(np.int32)[src],
        trip_time_offset=time_offset,
        stop_time_arr=arr[take].astype(np.int32),
        stop_time_dep=dep[take].astype(np.int32),
        stop_time_headsign=st["headsign_ref"].to_numpy(np.int32)[take],
        headsign_texts=[text for p in parts for text in p.headsigns.texts],
        headsign_names_i18n=[names for p in parts for names in p.headsigns.names],
        short_names_i18n=[names for p in parts for names in p.short_names],
        pattern_route=np.array(pattern_route, np.int32),
        pattern_stop_offsets=np.array(p_stop_off, np.int64),
        pattern_stops=np.array(p_stops, np.int32),
        pattern_pickup=np.array(p_pick, bool),
        pattern_dropoff=np.array(p_drop, bool),
        pattern_trip_offsets=np.array(p_trip_off, np.int64),
        pattern_trips=np.array(p_trips, np.int32),
        service_ids=[k[1] for k in service_keys],
        service_feed=np.array([k[0] for k in service_keys], np.int16),
        first_day=first_day,
        service_runs=service_runs,
        transfer_from=np.array(tf_from, np.int32),
        transfer_to=np.array(tf_to, np.int32),
        transfer_seconds=np.array(tf_secs, np.int32),
        **shapes,
    )


def _no_overtaking(arr: np.ndarray, dep: np.ndarray) -> list[list[int]]:
    """Split trips (rows, sorted by departure) into groups in which none overtakes another.

    A trip joins the first group whose latest trip it follows at every stop
    (arrivals and departures no earlier); otherwise it starts a new group.
    """
    groups: list[list[int]] = []
    lasts: list[int] = []
    for i in range(len(arr)):
        for g, last in enumerate(lasts):
            if (arr[i] >= arr[last]).all() and (dep[i] >= dep[last]).all():
                groups[g].append(i)
                lasts[g] = i
                break
        else:
            groups.append([i])
            lasts.append(i)
    return groups
