"""Every real feed of ../shared/data/feeds reads and checks with no error; its warnings are the known ones."""

from __future__ import annotations

from collections import Counter

import pytest

from maas.feeds.reader import read_feed
from maas.feeds.translations import translated_names, translation_form

pytestmark = pytest.mark.shared_data

FEEDS = [
    "cairns",
    "caltrain",
    "hart_tampa",
    "jp_donanbus",
    "jp_jrbus_chugoku_20260813",
    "jp_kobe_subway",
    "jp_mlit_sample_rinkobus",
    "jp_yamanashi_busmaps",
    "nyc_subway",
    "wmata_rail",
]

#: The warnings each feed honestly has: Counter of (code, file).
KNOWN_WARNINGS = {
    # The publisher's mobusta service adds its own files beside GTFS-JP: read as "unknown file, ignored".
    "jp_jrbus_chugoku_20260813": Counter(
        ("unknown_file", f)
        for f in (
            "agency_mobustation.txt",
            "calendar_mobustation.txt",
            "routes_mobustation.txt",
            "stop_times_mobustation.txt",
            "stops_direction.txt",
            "stops_mobustation.txt",
            "translations_mobustation.txt",
            "trips_jp.txt",
            "trips_mobustation.txt",
        )
    ),
    # routes_jp.txt line 3 names route 21000-1, which routes.txt does not define.
    "jp_mlit_sample_rinkobus": Counter({("dangling_reference", "routes_jp.txt"): 1}),
    # 13 calendar.txt services have every weekday flag 0 and no calendar_dates.
    "jp_yamanashi_busmaps": Counter({("service_never_runs", "calendar.txt"): 13}),
    # Caltrain's own extra files (not GTFS): named as "unknown file, ignored", never read.
    "caltrain": Counter(
        {
            ("unknown_file", name): 1
            for name in (
                "calendar_attributes.txt",
                "directions.txt",
                "farezone_attributes.txt",
                "realtime_routes.txt",
                "realtime_trips.txt",
                "stop_attributes.txt",
                "timepoints.txt",
            )
        }
    ),
}


def test_shared_folder_holds_the_known_feeds(shared_feeds_dir, provenance):
    """The shared feed folder holds exactly the feeds this suite and PROVENANCE.md know about."""
    assert sorted(p.stem for p in shared_feeds_dir.glob("*.zip")) == FEEDS
    assert sorted(provenance) == FEEDS


@pytest.mark.parametrize("name", FEEDS)
def test_shared_feed_has_no_errors_and_only_known_warnings(name, shared_feeds_dir, shared_result):
    """The feed validates with no error, compiles, and has exactly its known warnings."""
    result = shared_result(shared_feeds_dir / f"{name}.zip")
    problems = result["problems"]
    errors = [f"{p.where()}: {p.message}" for p in problems if p.severity == "error"]
    assert errors == [] and result["error"] is None
    tt = result["timetable"]
    assert tt is not None and tt.n_trips > 0 and tt.n_stop_times >= 2 * tt.n_trips, "compiled to no trips"
    warnings = Counter((p.code, p.file) for p in problems if p.severity == "warning")
    assert warnings == KNOWN_WARNINGS.get(name, Counter())


def test_mlit_sample_routes_jp_warning_points_at_its_line(shared_feeds_dir, shared_result):
    """The rinkobus sample's routes_jp.txt warning names route 21000-1 on line 3."""
    (p,) = shared_result(shared_feeds_dir / "jp_mlit_sample_rinkobus.zip")["problems"]
    assert (p.file, p.row, p.field) == ("routes_jp.txt", 3, "route_id")
    assert "21000-1" in p.message


def test_yamanashi_never_running_services_are_named_on_their_lines(shared_feeds_dir, shared_result):
    """Yamanashi's never-running services are warned about on their own calendar.txt lines (e.g. service 70 on line 23)."""
    problems = shared_result(shared_feeds_dir / "jp_yamanashi_busmaps.zip")["problems"]
    rows = sorted(p.row for p in problems)
    assert rows == [23, 29, 48, 49, 59, 62, 65, 66, 67, 70, 91, 117, 118]
    by_row = {p.row: p for p in problems}
    assert by_row[23].message.startswith("service 70 never runs")
    assert all(p.field == "service_id" for p in problems)


@pytest.mark.parametrize("name", FEEDS)
def test_shared_feed_cli_exits_0(name, shared_feeds_dir, run_cli):
    """`maas validate` exits 0 on the feed and reports its warning count."""
    path = shared_feeds_dir / f"{name}.zip"
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    n = sum(KNOWN_WARNINGS.get(name, Counter()).values())
    assert f"{name} ({path}): usable: 0 error(s), {n} warning(s)" in result.stdout


@pytest.mark.parametrize("name", FEEDS)
def test_shared_feed_record_counts_match_provenance(name, shared_feeds_dir, shared_result, provenance):
    """Records read per file (agencies, routes, stops, parent stations, trips, stop_times) match PROVENANCE.md."""
    result = shared_result(shared_feeds_dir / f"{name}.zip")
    rows, figures = result["rows"], provenance[name]
    assert rows["agency.txt"] == figures["agencies"]
    assert rows["routes.txt"] == figures["routes"]
    # The row added on 2026-11-30 counts stops without the parent station ("890 (1)": 891 rows).
    parents_apart = figures["parents"] if name == "jp_jrbus_chugoku_20260813" else 0
    assert rows["stops.txt"] == figures["stops"] + parents_apart
    assert result["location_types"].get("1", 0) == figures["parents"]
    assert rows["trips.txt"] == figures["trips"]
    assert rows["stop_times.txt"] == figures["stop_times"]


def test_mlit_sample_reads_every_gtfs_jp_file(shared_feeds_dir):
    """The MLIT sample's GTFS-JP files are read, and its legacy translations give readings and English names."""
    feed = read_feed(shared_feeds_dir / "jp_mlit_sample_rinkobus.zip")
    for name in ("agency_jp.txt", "office_jp.txt", "routes_jp.txt", "translations.txt", "fare_attributes.txt", "fare_rules.txt", "feed_info.txt"):
        assert feed.has(name), name
    assert translation_form(feed) == "gtfs-jp-legacy"
    names = translated_names(feed, "stops.txt", "stop_id", "stop_name")
    assert names["1510"] == {"ja": "川崎駅西口", "ja-Hrkt": "かわさきえきにしぐち", "en": "Kawasaki Station West Gate"}


def test_donanbus_legacy_translations(shared_feeds_dir, shared_result):
    """Donan Bus's legacy translations (ja, ja-Hrkt) give every compiled stop its kana reading, and English romanised from it."""
    tt = shared_result(shared_feeds_dir / "jp_donanbus.zip")["timetable"]
    assert tt.feeds[0].translations_form == "gtfs-jp-legacy"
    assert all(set(names) == {"ja", "ja-Hrkt", "en"} for names in tt.stop_names_i18n)
    assert set(tt.stop_name_source) == {"reading"}
    assert all(names["ja"] == own for names, own in zip(tt.stop_names_i18n, tt.stop_names))
    first = tt.stops_with_id("0001")[0]
    assert tt.stop_name(first, "ja-Hrkt") == "えともだんち"
