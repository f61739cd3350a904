"""The official JR bus feed in the default data: shipped as published, only its Yamaguchi routes compiled,
no service twice, and journeys that change between the real bus stops and the modeled JR stations."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import numpy as np
import pytest

from maas.defaults import data_root
from maas.feeds.reader import read_feed
from maas.geo import haversine_m
from maas.network.walking import WalkModel
from maas.routing.planner import JourneyQuery
from maas.when import parse_clock

GTFS = data_root() / "gtfs"
#: The official feed's version these tests (and gtfs/jrbus.sha256, gtfs/README.md) describe.
SHIPPED_VERSION = "20260813"
#: The feed's routes in the Yamaguchi area (the other 14 are in Hiroshima Prefecture).
AREA_ROUTES = {"防長線", "新山口駅～東萩駅線（スーパーはぎ号）", "秋吉線", "秋芳洞循環バス"}
WEEKDAY, SATURDAY = dt.date(2026, 12, 1), dt.date(2026, 12, 5)


def _stop(tt, feed: str, stop_id: str) -> int:
    found = tt.stops_with_id(f"{feed}:{stop_id}")
    assert len(found) == 1, f"{feed}:{stop_id}: {found}"
    return found[0]


def _version() -> str:
    info = read_feed(GTFS / "jrbus", only=("feed_info.txt",)).table("feed_info.txt")
    return str(info["feed_version"].iloc[0])


def test_official_feed_is_byte_identical_to_the_published_one():
    """Every file of gtfs/jrbus has the sha256 recorded in gtfs/jrbus.sha256 (taken from the published zip)."""
    if _version() != SHIPPED_VERSION:
        pytest.skip(f"gtfs/jrbus was updated (feed_version {_version()}): refresh gtfs/jrbus.sha256 and gtfs/README.md")
    sums = dict(line.split("  ", 1)[::-1] for line in (GTFS / "jrbus.sha256").read_text().splitlines() if line.strip())
    files = {f"jrbus/{p.name}" for p in (GTFS / "jrbus").iterdir()}
    assert files == set(sums), "files added to or missing from gtfs/jrbus"
    for name, digest in sums.items():
        assert hashlib.sha256((GTFS / name).read_bytes()).hexdigest() == digest, f"{name} differs from the published file"


def test_official_feed_keeps_its_publishers_feed_info(default_network):
    """The real feed is labeled by its publisher (not as modeled); it is loaded first."""
    tt = default_network.timetable
    assert tt.feed_names()[0] == "jrbus"
    summary = tt.feeds[0]
    assert summary.publisher == "ＪＲバス中国" and summary.version == _version()
    assert "modeled" not in f"{summary.publisher} {summary.version}".lower()


def test_only_the_yamaguchi_routes_are_compiled(default_network):
    """The catalog's area keeps the feed's four Yamaguchi routes and drops the 14 Hiroshima ones."""
    tt = default_network.timetable
    f = tt.feed_names().index("jrbus")
    routes = {tt.route_long_names[r] for r in range(tt.n_routes) if tt.route_feed[r] == f}
    assert routes == AREA_ROUTES
    assert len(read_feed(GTFS / "jrbus", only=("routes.txt",)).table("routes.txt")) == 18  # the files stay whole
    mine = tt.stop_feed == f
    assert mine.sum() > 200
    assert tt.stop_lon[mine].max() < 132.2 and tt.stop_lat[mine].min() > 33.5


def test_no_chugoku_jr_bus_service_is_modeled():
    """The modeled bus feed models no trip of Chugoku JR Bus: its official feed carries them."""
    bus = read_feed(GTFS / "bus")
    assert not any("ジェイアール" in str(a) or "ＪＲ" in str(a) for a in bus.column("agency.txt", "agency_name"))
    assert "jrbus_bocho" not in set(bus.column("routes.txt", "route_id").astype(str))


def _super_hagi_trips(tt, date: dt.date) -> list[tuple[str, bool, int]]:
    """Super Hagi trips running on ``date``: (feed, leaves from Shin-Yamaguchi, first departure in seconds)."""
    running = tt.services_on(date)[tt.trip_service]
    out = []
    for t in np.flatnonzero(running):
        r = int(tt.trip_route[t])
        if "スーパーはぎ" in tt.route_long_names[r] + tt.route_short_names[r]:
            first = int(tt.pattern_stop_list(int(tt.trip_pattern[t]))[0])
            out.append((tt.feeds[tt.route_feed[r]].name, tt.stop_names[first].startswith("新山口"), int(tt.trip_times(int(t))[1][0])))
    return out


def _runs_official_super_hagi(date: dt.date) -> bool:
    """The official feed's Super Hagi days: Saturdays, and the weekdays 2026-08-13..08-28."""
    return date.weekday() == 5 or (dt.date(2026, 8, 13) <= date <= dt.date(2026, 8, 28) and date.weekday() < 5)


@pytest.mark.parametrize("date", [WEEKDAY, SATURDAY, dt.date(2026, 12, 6), dt.date(2026, 8, 13), dt.date(2026, 8, 17), dt.date(2027, 2, 13)])
def test_super_hagi_runs_six_round_trips_and_none_twice(default_network, date):
    """6 express round trips a day (service_facts §8): the official JR trips where its feed has them, the modeled
    share (Bocho Kotsu) for the rest; no two trips of one direction leave within 15 minutes of each other."""
    trips = _super_hagi_trips(default_network.timetable, date)
    for direction in (True, False):
        starts = sorted(t for _, d, t in trips if d == direction)
        assert len(starts) == 6, trips
        assert all(b - a >= 15 * 60 for a, b in itertools.pairwise(starts)), trips
    official = [t for f, _, t in trips if f == "jrbus"]
    assert len(official) == (4 if _runs_official_super_hagi(date) else 0)


def test_shinkansen_calls_at_shin_yamaguchi(default_network):
    """67 calls on a weekday, the first at 06:36 and the last at 23:06 (service_facts §10)."""
    tt = default_network.timetable
    sy = _stop(tt, "jr", "shinyamaguchi_shinkansen")
    running = tt.services_on(WEEKDAY)[tt.trip_service]
    times = []
    for t in np.flatnonzero(running):
        stops = tt.pattern_stop_list(int(tt.trip_pattern[t]))
        if sy in stops:
            arr, dep = tt.trip_times(int(t))
            i = int(np.flatnonzero(stops == sy)[0])
            times.append((int(arr[i]), int(dep[i])))
    assert len(times) == 67
    assert min(a for a, _ in times) == parse_clock("06:36") and max(a for a, _ in times) == parse_clock("23:06")


@pytest.mark.parametrize(
    "station, poles",
    [
        ("shinyamaguchi", ["60043 10", "60043 11"]),  # 新山口 (Sanyo/Ube/Yamaguchi lines) ↔ JR bus 新山口駅
        ("shinyamaguchi_shinkansen", ["60043 10", "60043 11"]),
        ("yamaguchi", ["60028 1", "60028 2", "60028 4"]),  # 山口 ↔ JR bus 山口駅
        ("higashihagi", ["60049 1", "60049 2", "60049 10", "60049 11"]),  # 東萩 ↔ JR bus 東萩
        ("hofu", ["60001 1", "60001 2"]),  # 防府 ↔ JR bus 防府駅
    ],
)
def test_footpaths_join_modeled_stations_and_real_bus_stops(default_network, station, poles):
    """Each JR platform (modeled feed) and the official bus poles at its station are linked by walking at the
    default radius (500 m), both ways, with the great-circle distance."""
    tt = default_network.timetable
    fp = default_network.footpaths(WalkModel())
    s = _stop(tt, "jr", station)
    for pole in poles:
        b = _stop(tt, "jrbus", pole)
        metres = float(haversine_m(tt.stop_lat[s], tt.stop_lon[s], tt.stop_lat[b], tt.stop_lon[b]))
        assert metres < 200
        for u, v in ((s, b), (b, s)):
            targets = fp.targets[fp.offsets[u] : fp.offsets[u + 1]]
            assert v in targets, f"no walk {tt.stop_label(u)} → {tt.stop_label(v)} ({metres:.0f} m)"
            k = fp.offsets[u] + int(np.flatnonzero(targets == v)[0])
            assert fp.metres[k] == pytest.approx(metres, abs=1.0)


def _plan(planner, places, origin: str, destination: str, date: dt.date, clock: str):
    return planner.plan(JourneyQuery(places.resolve(origin), places.resolve(destination), date, parse_clock(clock)))


def test_yamaguchi_to_akiyoshido_by_the_real_akiyoshi_line(default_planner, default_places):
    """Yamaguchi station (JR, modeled) → 秋芳洞 on a weekday: walk to the 山口駅 bus stop, then the official
    秋吉線 trip b1517cfa… leaving 08:30 and arriving 09:32."""
    journeys = _plan(default_planner, default_places, "st_yamaguchi", "jrbus:60103 2", WEEKDAY, "08:15")
    rides = [leg for j in journeys for leg in j.legs if leg.is_ride]
    ride = next(leg for leg in rides if leg.trip_id == "b1517cfa-ba5e-443a-a6a7-2dc285159e1d")
    assert ride.feed == "jrbus" and ride.route == "秋吉線"
    assert (ride.departure, ride.arrival) == (parse_clock("08:30"), parse_clock("09:32"))
    assert ride.origin.name == "山口駅"
    journey = next(j for j in journeys if ride in j.legs)
    assert journey.rides == 1 and journey.legs[0].mode == "walk" and journey.legs[0].distance_m < 100


def test_shin_yamaguchi_to_higashi_hagi_by_super_hagi_on_a_saturday(default_planner, default_places):
    """Shin-Yamaguchi station → Higashi-Hagi station on Saturday 2026-12-05 from 09:45: the official Super Hagi
    10:15 → 11:25 (trip 795c3c2c…), walking from the station to the JR bus stop 新山口駅 and on to the station."""
    journeys = _plan(default_planner, default_places, "st_shinyamaguchi", "st_higashihagi", SATURDAY, "09:45")
    assert journeys
    first = min(journeys, key=lambda j: j.arrival)
    rides = [leg for leg in first.legs if leg.is_ride]
    assert len(rides) == 1
    ride = rides[0]
    assert ride.feed == "jrbus" and ride.trip_id == "795c3c2c-8a7c-4e27-b51e-7ce48f8b0e77" and "スーパーはぎ" in ride.route
    assert (ride.departure, ride.arrival) == (parse_clock("10:15"), parse_clock("11:25"))
    walks = [leg for leg in first.legs if not leg.is_ride]
    assert walks and all(w.distance_m < 200 for w in walks)


def test_shin_yamaguchi_to_higashi_hagi_on_a_weekday_uses_the_modeled_share(default_planner, default_places):
    """On a weekday the official feed has no Super Hagi: the modeled Bocho Kotsu trips carry it."""
    journeys = _plan(default_planner, default_places, "st_shinyamaguchi", "st_higashihagi", WEEKDAY, "09:45")
    routes = {(leg.feed, leg.route) for j in journeys for leg in j.legs if leg.is_ride}
    assert ("bus", "スーパーはぎ号") in routes


def test_jr_train_then_jr_bus_with_a_transfer(default_planner, default_places):
    """Tokuyama → 山口大学 on a weekday: a Sanyo Line train (modeled) to Hofu, a walk to the JR bus stop 防府駅,
    then the official 防長線."""
    journeys = _plan(default_planner, default_places, "st_tokuyama", "jrbus:60040 1", WEEKDAY, "07:00")
    two = [j for j in journeys if j.rides == 2]
    assert two, [[(leg.mode, leg.feed, leg.route) for leg in j.legs] for j in journeys]
    rides = [leg for leg in two[0].legs if leg.is_ride]
    assert (rides[0].mode, rides[0].feed) == ("rail", "jr") and rides[0].destination.name == "防府"
    assert (rides[1].mode, rides[1].feed, rides[1].route) == ("bus", "jrbus", "防長線") and rides[1].origin.name == "防府駅"
    between = two[0].legs[two[0].legs.index(rides[0]) + 1]
    assert between.mode == "walk" and between.distance_m < 100 and rides[1].departure >= between.arrival


@pytest.mark.parametrize(
    "area, kept",
    [("[131.0, 33.9, 131.5, 34.2]", 4), ("[132.3, 34.3, 132.9, 34.6]", 0), (None, 4)],
)
def test_catalog_area_filters_trips_at_compile_time(tmp_path, area, kept):
    """A catalog entry's ``area`` keeps the trips calling inside it (none inside: an error naming the area);
    the area is part of the cache key."""
    import shutil

    from maas.errors import FeedError
    from maas.timetable.cache import cache_key, load_timetable, unique_names

    shutil.copytree(GTFS / "techno-shuttle", tmp_path / "techno-shuttle")
    entry = '[[feed]]\nname = "techno-shuttle"\nkind = "trial"\nlicence = "MIT"\n' + (f"area = {area}\n" if area else "")
    (tmp_path / "feeds.toml").write_text(entry)
    paths = [tmp_path / "techno-shuttle"]
    if kept:
        tt = load_timetable(paths, cache_dir=tmp_path / "cache", progress=False)
        assert tt.n_trips == kept and tt.n_routes == 1
    else:
        with pytest.raises(FeedError, match="no trip calls inside the catalog's area"):
            load_timetable(paths, cache_dir=tmp_path / "cache", progress=False)
    key = cache_key(paths, unique_names(paths))
    (tmp_path / "feeds.toml").write_text(entry.replace("area", "#area"))
    assert (cache_key(paths, unique_names(paths)) == key) == (area is None)


def test_catalog_area_must_be_a_box(tmp_path):
    import shutil

    from maas.errors import FeedError
    from maas.timetable.compile import feed_area

    shutil.copytree(GTFS / "techno-shuttle", tmp_path / "techno-shuttle")
    (tmp_path / "feeds.toml").write_text('[[feed]]\nname = "techno-shuttle"\nkind = "trial"\nlicence = "MIT"\narea = [132, 34, 131, 35]\n')
    with pytest.raises(FeedError, match="area must be"):
        feed_area(tmp_path / "techno-shuttle")
