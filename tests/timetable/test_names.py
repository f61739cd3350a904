"""Route names and headsigns in every language: the feed's translations, else English made of the names it translates.

A hand-written feed checks the rules (a stop's headsign overrides the trip's;
a headsign that is a stop's name takes that stop's translations; the tables
merge and cache like every other field); the embedded ＪＲバス中国 feed checks
what a visitor reads on its Yamaguchi routes.
"""

from __future__ import annotations

import re

import pytest

from maas.defaults import data_root
from maas.timetable.cache import load_timetable
from maas.timetable.merge import merge_timetables
from tests.timetable.conftest import compile_paths

STOPS = "stop_id,stop_name,stop_lat,stop_lon\nA,山口駅,34.00,131.36\nB,秋芳洞,34.02,131.36\nC,秋吉台,34.04,131.36\nD,秋吉,34.06,131.36\n"
ROUTES = "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A1,,秋吉線,3\nR2,A1,1,秋芳洞循環バス,3\n"
TRIPS = "route_id,service_id,trip_id,trip_headsign\nR1,WD,T1,美東病院経由\nR2,WD,T2,\n"
STOP_TIMES = (
    "trip_id,arrival_time,departure_time,stop_id,stop_sequence,stop_headsign\n"
    "T1,07:00:00,07:00:00,A,1,秋吉\n"
    "T1,07:10:00,07:10:00,B,2,秋芳洞\n"
    "T1,07:20:00,07:20:00,C,3,\n"
    "T1,07:30:00,07:30:00,D,4,\n"
    "T2,08:00:00,08:00:00,C,1,山口駅\n"
    "T2,08:10:00,08:10:00,B,2,\n"
    "T2,08:20:00,08:20:00,A,3,\n"
)
#: The legacy (GTFS-JP v2) form, keyed by text, as the ＪＲバス中国 feed writes it.
TRANSLATIONS = (
    "trans_id,lang,translation\n"
    "山口駅,ja-Hrkt,やまぐちえき\n"
    "秋吉,ja-Hrkt,あきよし\n"
    "秋芳洞,ja-Hrkt,あきよしどう\n"
    "秋芳洞,en,Akiyoshido Cave\n"
    "秋芳洞,ko,아키요시도\n"
    "美東病院,ja-Hrkt,みとうびょういん\n"
)
JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u9fff]")


@pytest.fixture
def named_feed(make_feed):
    return make_feed("yamaguchi", stops=STOPS, routes=ROUTES, trips=TRIPS, stop_times=STOP_TIMES, translations=TRANSLATIONS)


def _trip(tt, trip_id: str) -> int:
    return tt.trip_ids.index(trip_id)


def test_route_names_get_english_made_of_the_feeds_names(named_feed):
    """秋吉 is a stop with a reading: 秋吉線 → Akiyoshi Line; a Latin short name is shown as it is, the long one in English."""
    tt = compile_paths(named_feed)
    r1, r2 = tt.route_ids.index("R1"), tt.route_ids.index("R2")
    assert tt.route_names_i18n[r1] == {"ja": "秋吉線", "en": "Akiyoshi Line"}
    assert (tt.route_name(r1), tt.route_name(r1, "en"), tt.route_name(r1, "ko")) == ("秋吉線", "Akiyoshi Line", "Akiyoshi Line")
    assert tt.route_long_name(r1, "zh-Hant") == "Akiyoshi Line" and tt.route_long_name(r1, "ja") == "秋吉線"
    assert (tt.route_name(r2), tt.route_name(r2, "en")) == ("1", "1")
    assert tt.route_long_names_i18n[r2] == {"ja": "秋芳洞循環バス", "en": "Akiyoshido Cave Loop Bus"}  # 秋芳洞 is the feed's "Akiyoshido Cave"


def test_a_stops_headsign_overrides_the_trips_from_that_stop(named_feed):
    """GTFS: stop_headsign, where given, is what the rider reads there; elsewhere the trip's headsign; else none."""
    tt = compile_paths(named_feed)
    t1, t2 = _trip(tt, "T1"), _trip(tt, "T2")
    assert [tt.headsign(t1, i) for i in range(4)] == ["秋吉", "秋芳洞", "美東病院経由", "美東病院経由"]
    assert [tt.headsign(t1, i, "en") for i in range(4)] == ["Akiyoshi", "Akiyoshido Cave", "via Mito Byoin", "via Mito Byoin"]
    assert [tt.headsign(t2, i, "en") for i in range(3)] == ["Yamaguchi Sta.", "", ""]
    assert tt.trip_headsigns[t1] == "美東病院経由" and tt.trip_headsigns[t2] == ""  # the trip's own text stays


def test_a_headsign_that_is_a_stops_name_has_that_stops_translations(named_feed):
    """秋芳洞 has ko in translations.txt: its headsign is served in Korean too; 秋吉 has only a reading: English for ko."""
    tt = compile_paths(named_feed)
    t1 = _trip(tt, "T1")
    assert tt.headsign_names(t1, 1) == {"ja": "秋芳洞", "ja-Hrkt": "あきよしどう", "en": "Akiyoshido Cave", "ko": "아키요시도"}
    assert tt.headsign(t1, 1, "ko") == "아키요시도"
    assert tt.headsign(t1, 0, "ko") == "Akiyoshi" and tt.headsign(t1, 0, "ja-Hrkt") == "あきよし"
    assert sorted(tt.headsign_texts) == sorted(["美東病院経由", "秋吉", "秋芳洞", "山口駅"])  # one entry per text


def test_gtfs_form_stop_headsign_translations(make_feed):
    """GTFS translations of stop_times.stop_headsign: by value for all, by (trip, sequence) for one stop time."""
    translations = (
        "table_name,field_name,language,translation,record_id,record_sub_id,field_value\n"
        "stop_times,stop_headsign,en,Akiyoshi (bus stop),,,秋吉\n"
        "stop_times,stop_headsign,en,Akiyoshido (this call),T1,2,\n"
    )
    tt = compile_paths(make_feed("gtfs-form", stops=STOPS, routes=ROUTES, trips=TRIPS, stop_times=STOP_TIMES, translations=translations))
    t1 = _trip(tt, "T1")
    assert tt.headsign(t1, 0, "en") == "Akiyoshi (bus stop)"
    assert tt.headsign(t1, 1, "en") == "Akiyoshido (this call)"


def test_headsigns_and_long_names_merge_and_cache_like_a_joint_compile(named_feed, make_feed, tmp_path):
    """merge(compile(A), compile(B)) has B's headsigns after A's, as compile(A + B); a cached timetable reads back the same."""
    other = make_feed("other", stops=STOPS, routes=ROUTES, trips=TRIPS, stop_times=STOP_TIMES)
    joint = compile_paths(named_feed, other)
    merged = merge_timetables(compile_paths(named_feed), compile_paths(other))
    for name in ("headsign_texts", "headsign_names_i18n", "route_long_names_i18n"):
        assert getattr(merged, name) == getattr(joint, name), name
    for name in ("trip_headsign_index", "stop_time_headsign"):
        assert getattr(merged, name).tolist() == getattr(joint, name).tolist(), name
    t = joint.trip_ids.index("T1", joint.trip_ids.index("T1") + 1)  # T1 of the second feed
    second = joint.headsign(t, 1, "en")  # no translations in that feed: a reading pykakasi guesses (Shuhodo), not the first feed's English
    assert second and second != "Akiyoshido Cave" and not JAPANESE.search(second)
    load_timetable([named_feed, other], cache_dir=tmp_path / "cache", progress=False)
    cached = load_timetable([named_feed, other], cache_dir=tmp_path / "cache", progress=False)
    assert cached.headsign_names_i18n == joint.headsign_names_i18n and cached.stop_time_headsign.tolist() == joint.stop_time_headsign.tolist()


#: Trains named by trip_short_name: T1 and T3 are こだま, T2 has no short name.
SHORT_NAMED_TRIPS = "route_id,service_id,trip_id,trip_headsign,trip_short_name\nR1,WD,T1,美東病院経由,こだま\nR2,WD,T2,,\nR1,WD,T3,,こだま\n"
SHORT_NAMED_STOP_TIMES = STOP_TIMES + "T3,09:00:00,09:00:00,A,1,\nT3,09:10:00,09:10:00,B,2,\n"
#: GTFS form: every こだま by its value, T3 by its record (which wins over the value, language by language).
SHORT_NAME_TRANSLATIONS = (
    "table_name,field_name,language,translation,record_id,record_sub_id,field_value\n"
    "trips,trip_short_name,en,Kodama,,,こだま\n"
    "trips,trip_short_name,en,Kodama No. 3,T3,,\n"
    "trips,trip_short_name,ko,고다마,T3,,\n"
)


def _short_named(make_feed, name: str = "trains", translations: str = SHORT_NAME_TRANSLATIONS):
    return make_feed(name, stops=STOPS, routes=ROUTES, trips=SHORT_NAMED_TRIPS, stop_times=SHORT_NAMED_STOP_TIMES, translations=translations)


def test_trip_short_names_take_the_feeds_translations_by_value_and_by_record(make_feed):
    """trips.trip_short_name translated by field_value (every こだま) and by record_id (T3 only); asked in a language the feed lacks, English; else the feed's text."""
    tt = compile_paths(_short_named(make_feed))
    t1, t2, t3 = _trip(tt, "T1"), _trip(tt, "T2"), _trip(tt, "T3")
    assert tt.trip_short_name_names(t1) == {"ja": "こだま", "en": "Kodama"}
    assert tt.trip_short_name_names(t3) == {"ja": "こだま", "en": "Kodama No. 3", "ko": "고다마"}
    assert [tt.trip_short_name(t1, lang) for lang in (None, "ja", "en", "ko", "zh-Hans")] == ["こだま", "こだま", "Kodama", "Kodama", "Kodama"]
    assert [tt.trip_short_name(t3, lang) for lang in ("ja", "en", "ko", "zh-Hant")] == ["こだま", "Kodama No. 3", "고다마", "Kodama No. 3"]
    assert (tt.trip_short_name(t2, "en"), tt.trip_short_name_names(t2), int(tt.trip_short_name_index[t2])) == ("", {}, -1)
    assert tt.trip_short_names[t1] == "こだま" and len(tt.short_names_i18n) == 2  # one entry per (text, translations)


def test_trip_short_names_without_english_stay_as_the_feed_writes_them(make_feed):
    """The legacy (GTFS-JP v2) table keyed by text names こだま in Korean only: en and zh-Hans read the feed's own text, no romanised guess."""
    tt = compile_paths(_short_named(make_feed, translations="trans_id,lang,translation\nこだま,ko,고다마\n"))
    t1 = _trip(tt, "T1")
    assert tt.trip_short_name_names(t1) == {"ja": "こだま", "ko": "고다마"}
    assert [tt.trip_short_name(t1, lang) for lang in ("ja", "en", "ko", "zh-Hans")] == ["こだま", "こだま", "고다마", "こだま"]


def test_trip_short_names_merge_and_cache_like_a_joint_compile(make_feed, tmp_path):
    """merge(compile(A), compile(B)) has B's short names after A's, as compile(A + B); a cached timetable reads back the same."""
    a = _short_named(make_feed, "a")
    b = _short_named(make_feed, "b", translations="trans_id,lang,translation\nこだま,en,Kodama (B)\n")
    joint = compile_paths(a, b)
    merged = merge_timetables(compile_paths(a), compile_paths(b))
    assert merged.short_names_i18n == joint.short_names_i18n and len(joint.short_names_i18n) == 3
    assert merged.trip_short_name_index.tolist() == joint.trip_short_name_index.tolist()
    second_t1 = joint.trip_ids.index("T1", joint.trip_ids.index("T1") + 1)
    assert joint.trip_short_name(second_t1, "en") == "Kodama (B)"
    load_timetable([a, b], cache_dir=tmp_path / "cache", progress=False)
    cached = load_timetable([a, b], cache_dir=tmp_path / "cache", progress=False)
    assert cached.short_names_i18n == joint.short_names_i18n and cached.trip_short_name_index.tolist() == joint.trip_short_name_index.tolist()


#: The ＪＲバス中国 routes of the Yamaguchi area (the only ones compiled from gtfs/jrbus) and their English.
JRBUS_ROUTES = {
    "2229846746": ("防長線", "Bocho Line"),
    "435934628": ("新山口駅～東萩駅線（スーパーはぎ号）", "Shin-Yamaguchi Sta. - Higashi-Hagi Sta. Line (Super Hagi)"),
    "2196404353": ("秋吉線", "Akiyoshi Line"),
    "3240589115": ("秋芳洞循環バス", "Akiyoshido Loop Bus"),
}


@pytest.fixture(scope="module")
def jrbus(tmp_path_factory):
    """The embedded ＪＲバス中国 feed, compiled as the service loads it (its catalog area: the Yamaguchi routes)."""
    return load_timetable([data_root() / "gtfs" / "jrbus"], cache_dir=tmp_path_factory.mktemp("jrbus-cache"), progress=False)


def test_jr_bus_routes_read_in_english(jrbus):
    """The feed names its routes only in Japanese: each gets English, the Japanese stays its own name."""
    names = {rid: (jrbus.route_name(r), jrbus.route_name(r, "en")) for r, rid in enumerate(jrbus.route_ids)}
    assert names == JRBUS_ROUTES
    assert all(jrbus.route_name(r, "ko") == jrbus.route_name(r, "en") for r in range(jrbus.n_routes))


def test_jr_bus_headsigns_read_in_english(jrbus):
    """Every call one may board has a headsign (the feed's stop_headsign: where the bus goes), in English without Japanese."""
    for trip in range(jrbus.n_trips):
        n = len(jrbus.pattern_stop_list(int(jrbus.trip_pattern[trip])))
        for position in range(n - 1):
            own, english = jrbus.headsign(trip, position), jrbus.headsign(trip, position, "en")
            assert own and english and not JAPANESE.search(english), (jrbus.trip_ids[trip], position, own, english)
    hagi = [t for t in range(jrbus.n_trips) if jrbus.route_ids[jrbus.trip_route[t]] == "435934628"]
    assert {jrbus.headsign(t, 0, "en") for t in hagi} == {"Higashi-Hagi", "Shin-Yamaguchi Sta."}
    loop = next(t for t in range(jrbus.n_trips) if jrbus.route_ids[jrbus.trip_route[t]] == "3240589115")
    assert [jrbus.headsign(loop, i, "en") for i in range(3)] == ["Akiyoshido", "Kurotaniguchi", "Akiyoshidai"]  # a loop: it changes on the way
