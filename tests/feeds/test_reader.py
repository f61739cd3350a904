"""Reading feeds: folders and zips, line numbers as an editor shows them, odd CSV, GTFS-JP extension files."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maas.feeds.reader import LINE, _parse_careful, _parse_fast, feed_digest, feed_name_for, read_feed
from maas.feeds.validate import validate_feed
from maas.timetable.compile import compile_feeds, load_feeds


def _tables_equal(a, b) -> bool:
    return sorted(a.tables) == sorted(b.tables) and all(a.tables[k].equals(b.tables[k]) for k in a.tables)


# --- folder, zip, zip with a top folder -------------------------------------------


def test_folder_zip_and_nested_zip_read_the_same(feed_text, write_feed):
    """A folder, a zip and a zip whose files sit in a top folder give the same tables and digest."""
    folder = read_feed(write_feed(feed_text, "feed"))
    flat = read_feed(write_feed(feed_text, "flat", as_zip=True))
    nested = read_feed(write_feed(feed_text, "nested", as_zip=True, top_folder="google_transit"))
    assert sorted(folder.tables) == ["agency.txt", "calendar.txt", "routes.txt", "stop_times.txt", "stops.txt", "trips.txt"]
    assert _tables_equal(folder, flat) and _tables_equal(folder, nested)
    assert folder.digest == flat.digest == nested.digest
    assert (folder.name, flat.name, nested.name) == ("feed", "flat", "nested")
    assert folder.table("stop_times.txt")[LINE].tolist() == [2, 3, 4, 5, 6, 7]


def test_zip_made_by_macos_finder_reads(feed_text, tmp_path):
    """A zip with a top folder and __MACOSX/._*.txt resource forks (macOS 'Compress') reads the real files."""
    path = tmp_path / "mac.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in feed_text.files.items():
            zf.writestr(f"feed/{name}", text)
            zf.writestr(f"__MACOSX/feed/._{name}", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    feed = read_feed(path)
    assert feed.read_problems == []
    assert feed.table("stops.txt")["stop_id"].tolist() == ["AJS", "MTU", "TPK"]
    assert validate_feed(feed) == []


def test_nested_zip_uses_the_folder_holding_stops(feed_text, tmp_path):
    """In a zip with several folders, the one holding stops.txt is the feed; other files are named and ignored."""
    path = tmp_path / "several.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("docs/readme.txt", "not a feed file\n")
        zf.writestr("docs/notes/agency.txt", "agency_id\nOTHER\n")
        for name, text in feed_text.files.items():
            zf.writestr(f"gtfs/{name}", text)
        zf.writestr("gtfs/shapes.geojson", "{}")
    feed = read_feed(path)
    assert "readme.txt" not in feed.tables
    assert feed.table("agency.txt")["agency_id"].tolist() == ["A1"]
    problems = validate_feed(feed)
    assert {(p.severity, p.code, p.file) for p in problems} == {
        ("warning", "unknown_file", name) for name in ("docs/readme.txt", "docs/notes/agency.txt", "gtfs/shapes.geojson")
    }


def test_non_txt_files_and_subfolders_are_ignored(feed_text, write_feed):
    """Only the folder's own GTFS files are read (no README.md, no sub-folder files); the rest are named."""
    path = write_feed(feed_text)
    (path / "README.md").write_text("# notes\n")
    (path / "old").mkdir()
    (path / "old" / "stops.txt").write_text("stop_id\nOLD\n")
    feed = read_feed(path)
    assert sorted(feed.tables) == sorted(feed_text.files)
    assert feed.table("stops.txt")["stop_id"].tolist() == ["AJS", "MTU", "TPK"]
    assert feed.ignored_files == ["README.md", "old/"]


def test_feed_names():
    """The default feed name is the folder or zip name without .zip."""
    assert feed_name_for(Path("gtfs/jr")) == "jr"
    assert feed_name_for(Path("/data/bus.zip")) == "bus"
    assert feed_name_for(Path("/data/BUS.ZIP")) == "BUS"


def test_read_feed_takes_an_explicit_name(feed_text, write_feed):
    """read_feed(path, name) names the feed (and its problems) as asked."""
    feed_text.set_cell("stops.txt", 2, "stop_lat", "x")
    feed = read_feed(write_feed(feed_text, "folder"), name="bus")
    assert feed.name == "bus"
    assert {p.feed for p in validate_feed(feed)} == {"bus"}


def test_load_feeds_makes_clashing_names_unique(feed_text, tmp_path):
    """Three feeds all called 'bus' are named bus, bus-2 and bus-3 in load order."""
    paths = [feed_text.write(tmp_path / d / "bus") for d in ("a", "b", "c")]
    assert [f.name for f in load_feeds(paths)] == ["bus", "bus-2", "bus-3"]


def test_digest_follows_content_not_container(feed_text, write_feed):
    """feed_digest is the digest read_feed computes; one changed byte changes it, zipping does not."""
    folder = write_feed(feed_text, "a")
    zipped = write_feed(feed_text, "b", as_zip=True)
    assert feed_digest(folder) == read_feed(folder).digest == feed_digest(zipped)
    stops = folder / "stops.txt"
    stops.write_bytes(stops.read_bytes().replace(b"34.0000", b"34.0001"))
    assert feed_digest(folder) != feed_digest(zipped)


def test_absent_file_and_column_read_as_empty(feed_text, write_feed):
    """An absent file is an empty table; an absent column is empty strings; has() needs a record."""
    feed = read_feed(write_feed(feed_text))
    assert not feed.has("frequencies.txt") and len(feed.table("frequencies.txt")) == 0
    assert feed.column("stops.txt", "platform_code").tolist() == ["", "", ""]
    assert feed.has("stops.txt")


# --- line numbers --------------------------------------------------------------------


def test_line_numbers_skip_blank_lines(feed_text, write_feed):
    """Blank lines between records count as lines: the checker points at the physical line."""
    feed_text.set(
        "stops.txt",
        "stop_id,stop_name,stop_lat,stop_lon\n\nAJS,Ajisu,34.0,131.36\n\n\nMTU,Motoyura,north,131.37\nTPK,Techno Park,34.03,131.39\n\n",
    )
    feed = read_feed(write_feed(feed_text))
    assert feed.table("stops.txt")[LINE].tolist() == [3, 6, 7]
    bad = [p for p in validate_feed(feed) if p.code == "bad_value"]
    assert [(p.file, p.row, p.field) for p in bad] == [("stops.txt", 6, "stop_lat")]


def test_line_numbers_with_crlf_line_ends(feed_text, write_feed):
    """Windows line ends (CRLF) give the same records and line numbers."""
    text = "stop_id,stop_name,stop_lat,stop_lon\r\nAJS,Ajisu,34.0,131.36\r\n\r\nMTU,Motoyura,91,131.37\r\nTPK,Techno Park,34.03,131.39\r\n"
    feed_text.set("stops.txt", text)
    feed = read_feed(write_feed(feed_text))
    stops = feed.table("stops.txt")
    assert stops["stop_lon"].tolist() == ["131.36", "131.37", "131.39"]
    assert stops[LINE].tolist() == [2, 4, 5]
    assert [(p.code, p.row) for p in validate_feed(feed) if p.severity == "error"] == [("bad_coordinate", 4)]


def test_quoted_multiline_value_keeps_line_numbers(feed_text, write_feed):
    """A quoted value spanning lines is one record starting on its first line; later records keep their physical lines."""
    feed_text.set(
        "stops.txt",
        "stop_id,stop_name,stop_desc,stop_lat,stop_lon\n"
        'AJS,Ajisu,"Ube Line,\nnorth exit\n\nbus stop 2",34.0,131.36\n'
        "MTU,Motoyura,,north,131.37\n"
        "\n"
        'TPK,"Techno ""Park""",,34.03,131.39\n',
    )
    feed = read_feed(write_feed(feed_text))
    stops = feed.table("stops.txt")
    assert stops[LINE].tolist() == [2, 6, 8]
    assert stops["stop_desc"].iloc[0] == "Ube Line,\nnorth exit\n\nbus stop 2"
    assert stops["stop_name"].iloc[2] == 'Techno "Park"'
    bad = [p for p in validate_feed(feed) if p.code == "bad_value"]
    assert [(p.row, p.field) for p in bad] == [(6, "stop_lat")]


def test_short_record_is_padded_with_a_warning(feed_text, write_feed):
    """A record with fewer fields than the header gets a row_width warning on its line; missing fields read empty."""
    feed_text.set("routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nR1,A1,TS,3\n")
    feed = read_feed(write_feed(feed_text))
    (p,) = feed.read_problems
    assert (p.severity, p.code, p.file, p.row) == ("warning", "row_width", "routes.txt", 2)
    assert "4 fields but the header has 5" in p.message
    assert feed.table("routes.txt")["route_type"].tolist() == [""]
    # The lost route_type is then reported by the checker as a missing value on the same line.
    missing = [q for q in validate_feed(feed) if q.code == "missing_value"]
    assert [(q.row, q.field) for q in missing] == [(2, "route_type")]


def test_long_record_keeps_the_first_fields(feed_text, write_feed):
    """A record with more fields than the header keeps the header's fields and gets a warning."""
    feed_text.set("trips.txt", "route_id,service_id,trip_id\nR1,WD,T1\nR1,WD,T2,extra\n")
    feed = read_feed(write_feed(feed_text))
    assert [(p.code, p.row) for p in feed.read_problems] == [("row_width", 3)]
    assert "extra fields ignored" in feed.read_problems[0].message
    assert feed.table("trips.txt")["trip_id"].tolist() == ["T1", "T2"]


def test_quoted_file_with_trailing_comma_on_every_record(feed_text, write_feed):
    """Records quoted and ending with an extra comma keep their values in the right columns."""
    feed_text.set(
        "stops.txt",
        '"stop_id","stop_name","stop_lat","stop_lon"\n'
        '"AJS","Ajisu","34.0000","131.3600",\n'
        '"MTU","Motoyura","34.0100","131.3700",\n'
        '"TPK","Techno Park","34.0300","131.3900",\n',
    )
    feed = read_feed(write_feed(feed_text))
    stops = feed.table("stops.txt")
    assert stops["stop_id"].tolist() == ["AJS", "MTU", "TPK"]
    assert stops["stop_lon"].tolist() == ["131.3600", "131.3700", "131.3900"]
    assert [(p.code, p.row) for p in feed.read_problems] == [("row_width", 2), ("row_width", 3), ("row_width", 4)]
    assert [p for p in validate_feed(feed) if p.severity == "error"] == []


def test_spaces_around_values_and_names_are_stripped(feed_text, write_feed):
    """Spaces after commas and around header names are not part of the values."""
    feed_text.set("stops.txt", "stop_id, stop_name , stop_lat,stop_lon\nAJS , Ajisu,34.0 , 131.36\nMTU,Motoyura,34.01,131.37\nTPK,Techno Park,34.03,131.39\n")
    feed = read_feed(write_feed(feed_text))
    stops = feed.table("stops.txt")
    assert list(stops.columns[:4]) == ["stop_id", "stop_name", "stop_lat", "stop_lon"]
    assert stops.iloc[0][["stop_id", "stop_name", "stop_lat", "stop_lon"]].tolist() == ["AJS", "Ajisu", "34.0", "131.36"]
    assert validate_feed(feed) == []


def test_trailing_space_at_end_of_file_without_newline(feed_text, write_feed):
    """A last value followed by a space and no final newline is stripped like every other value."""
    feed_text.set(
        "stop_times.txt",
        "trip_id,arrival_time,departure_time,stop_sequence,stop_id\n"
        "T1,07:14:00,07:14:00,1,AJS\nT1,07:24:00,07:25:00,2,MTU\nT1,07:53:00,07:53:00,3,TPK\n"
        "T2,08:01:00,08:01:00,1,AJS\nT2,08:11:00,08:12:00,2,MTU\nT2,08:30:00,08:30:00,3,TPK ",
    )
    feed = read_feed(write_feed(feed_text))
    assert feed.table("stop_times.txt")["stop_id"].tolist()[-1] == "TPK"
    assert validate_feed(feed) == []


def test_spaces_inside_quotes_are_stripped_as_elsewhere(feed_text, write_feed):
    """Quoted ids with spaces inside the quotes ("TPK ", " AJS") read like unquoted ones, as the careful reader does."""
    feed_text.set("stops.txt", 'stop_id,stop_name,stop_lat,stop_lon\n" AJS",Ajisu,34.0,131.36\nMTU,Motoyura,34.01,131.37\n"TPK ","Techno Park ",34.03,131.39\n')
    feed = read_feed(write_feed(feed_text))
    stops = feed.table("stops.txt")
    assert stops["stop_id"].tolist() == ["AJS", "MTU", "TPK"]
    assert stops["stop_name"].tolist()[-1] == "Techno Park"
    assert validate_feed(feed) == []


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_duplicate_column_is_a_warning_and_the_first_is_used(quoted, feed_text, write_feed):
    """A column named twice in the header gives a duplicate_column warning on line 1; the first one is used."""
    q = '"' if quoted else ""
    feed_text.set(
        "trips.txt",
        f"route_id,service_id,trip_id,trip_id\nR1,WD,{q}T1{q},X1\nR1,WD,T2,X2\n",
    )
    feed = read_feed(write_feed(feed_text))
    assert [(p.severity, p.code, p.file, p.row) for p in feed.read_problems] == [("warning", "duplicate_column", "trips.txt", 1)]
    assert "trip_id" in feed.read_problems[0].message
    assert feed.table("trips.txt")["trip_id"].tolist() == ["T1", "T2"]


# --- GTFS-JP extension files -----------------------------------------------------------


_GTFS_JP = {
    "agency_jp.txt": "agency_id,agency_official_name,agency_zip_number,agency_address,agency_president_pos,agency_president_name\n"
    "A1,宇部テクノシャトル株式会社,7550001,山口県宇部市,代表取締役,山口太郎\n",
    "office_jp.txt": "office_id,office_name,office_url,office_phone\nO1,阿知須営業所,https://example.com/o1,0836-00-0000\n",
    "routes_jp.txt": "route_id,route_update_date,origin_stop,via_stop,destination_stop\nR1,20260101,阿知須駅,本由良駅,テクノパーク\n",
    "pattern_jp.txt": "jp_pattern_id,route_update_date,origin_stop,via_stop,destination_stop\nP1,20260101,阿知須駅,本由良駅,テクノパーク\n",
    "fare_attributes.txt": "fare_id,price,currency_type,payment_method,transfers\nF1,310,JPY,0,0\nF2,520,JPY,0,0\n",
    "fare_rules.txt": "fare_id,route_id,origin_id,destination_id,contains_id\nF2,R1,,,\nF1,R1,,,\nF1,,Z1,Z2,\n",
    # The zones the fare rule names: a rule with a zone no stop has never applies (a warning).
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,zone_id\nAJS,阿知須駅,34.0000,131.3600,Z1\nMTU,本由良駅,34.0100,131.3700,Z1\n"
    "TPK,テクノパーク,34.0300,131.3900,Z2\n",
    "trips.txt": "route_id,service_id,trip_id,jp_office_id,jp_pattern_id\nR1,WD,T1,O1,P1\nR1,WD,T2,O1,P1\n",
}


def test_gtfs_jp_extension_files_are_read(feed_text, write_feed):
    """agency_jp, office_jp, routes_jp, pattern_jp and the fare files are read as tables and check clean."""
    for name, text in _GTFS_JP.items():
        feed_text.set(name, text)
    feed = read_feed(write_feed(feed_text))
    assert feed.table("agency_jp.txt")["agency_official_name"].tolist() == ["宇部テクノシャトル株式会社"]
    assert feed.table("office_jp.txt")["office_name"].tolist() == ["阿知須営業所"]
    assert feed.table("routes_jp.txt")["destination_stop"].tolist() == ["テクノパーク"]
    assert feed.table("pattern_jp.txt")["jp_pattern_id"].tolist() == ["P1"]
    assert feed.table("fare_rules.txt")[LINE].tolist() == [2, 3, 4]
    assert validate_feed(feed) == []


def test_gtfs_jp_fares_reach_the_timetable(feed_text, write_feed):
    """The cheapest rule naming a route alone is its route fare; a rule naming two zones prices rides between them."""
    for name, text in _GTFS_JP.items():
        feed_text.set(name, text)
    tt = compile_feeds([read_feed(write_feed(feed_text))], progress=False)
    assert tt.route_ids == ["R1"]
    assert tt.route_fare_yen.tolist() == [310.0]
    assert tt.route_zone_fares == [{("Z1", "Z2"): 310.0}]  # the rule names no route: it applies to every route


def test_zone_fares_price_rides_between_zones(feed_text, write_feed):
    """A ride between two zones a rule names costs that fare; other rides fall back to the route fare."""
    feed_text.set("fare_attributes.txt", "fare_id,price,currency_type,payment_method,transfers\nFLAT,200,JPY,0,0\nZ12,450,JPY,0,0\n")
    feed_text.set("fare_rules.txt", "fare_id,route_id,origin_id,destination_id,contains_id\nFLAT,R1,,,\nZ12,R1,Z1,Z2,\n")
    stops = feed_text.rows("stops.txt")
    zones = ["zone_id", "Z1", "Z2"] + [""] * (len(stops) - 3)
    feed_text.set("stops.txt", "\n".join(",".join([*row, zone]) for row, zone in zip(stops, zones)) + "\n")
    tt = compile_feeds([read_feed(write_feed(feed_text))], progress=False)
    a = next(i for i, z in enumerate(tt.stop_zones) if z == "Z1")
    b = next(i for i, z in enumerate(tt.stop_zones) if z == "Z2")
    plain = next(i for i, z in enumerate(tt.stop_zones) if not z)
    assert tt.ride_fare(0, a, b) == 450.0
    assert tt.ride_fare(0, b, a) == 200.0  # no rule for that direction: the route's flat fare
    assert tt.ride_fare(0, a, plain) == 200.0


def test_gtfs_jp_dangling_office_pattern_and_agency_are_warnings(feed_text, write_feed):
    """A trip naming an unknown office or pattern, and agency_jp naming an unknown agency, are warnings with lines."""
    for name, text in _GTFS_JP.items():
        feed_text.set(name, text)
    feed_text.set_cell("trips.txt", 3, "jp_office_id", "O9")
    feed_text.set_cell("trips.txt", 2, "jp_pattern_id", "P9")
    feed_text.set_cell("agency_jp.txt", 2, "agency_id", "A9")
    problems = validate_feed(read_feed(write_feed(feed_text)))
    got = sorted((p.severity, p.file, p.row, p.field) for p in problems)
    assert got == [
        ("warning", "agency_jp.txt", 2, "agency_id"),
        ("warning", "trips.txt", 2, "jp_pattern_id"),
        ("warning", "trips.txt", 3, "jp_office_id"),
    ]
    assert all(p.code == "dangling_reference" for p in problems)


def test_gtfs_jp_fare_rule_naming_an_unknown_fare_is_a_warning(feed_text, write_feed):
    """fare_rules.txt naming a fare_id absent from fare_attributes.txt is a warning on its line."""
    for name, text in _GTFS_JP.items():
        feed_text.set(name, text)
    feed_text.set_cell("fare_rules.txt", 3, "fare_id", "F9")
    problems = validate_feed(read_feed(write_feed(feed_text)))
    assert [(p.severity, p.code, p.file, p.row, p.field) for p in problems] == [("warning", "dangling_reference", "fare_rules.txt", 3, "fare_id")]


def test_empty_lines_only_file_is_not_a_table(feed_text, write_feed):
    """An optional file with only blank lines is reported as empty and left out of the tables."""
    feed_text.set("frequencies.txt", "\n \n")
    feed = read_feed(write_feed(feed_text))
    assert "frequencies.txt" not in feed.tables
    assert [(p.code, p.file) for p in feed.read_problems] == [("empty_file", "frequencies.txt")]


def test_reading_keeps_values_as_text(feed_text, write_feed):
    """Leading zeros and codes stay as written (ids are text, not numbers)."""
    feed_text.set(
        "stops.txt", "stop_id,stop_code,stop_name,stop_lat,stop_lon\n007,0123,Ajisu,34.0,131.36\nMTU,,Motoyura,34.01,131.37\nTPK,,Techno,34.03,131.39\n"
    )
    feed_text.set_cell("stop_times.txt", 2, "stop_id", "007")
    feed_text.set_cell("stop_times.txt", 5, "stop_id", "007")
    feed = read_feed(write_feed(feed_text))
    assert feed.table("stops.txt")["stop_id"].tolist() == ["007", "MTU", "TPK"]
    assert feed.table("stops.txt")["stop_code"].iloc[0] == "0123"
    assert validate_feed(feed) == []
    tt = compile_feeds([feed], progress=False)
    assert tt.stops_with_id("007") == [0] and tt.stops_with_id("7") == []
    assert np.array_equal(tt.stop_lat, [34.0, 34.01, 34.03])


# --- the fast and the careful reader agree ----------------------------------------------------

_CHARS = st.sampled_from([*'ab1 ,"\t\u3000\n;.-', "阿", "é"])


@settings(max_examples=200, deadline=None)
@given(
    table=st.integers(2, 4).flatmap(lambda w: st.tuples(st.just(w), st.lists(st.lists(st.text(_CHARS, max_size=5), min_size=w, max_size=w), max_size=4))),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    line_end=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
)
def test_fast_and_careful_readers_agree(table, quoting, line_end, final_newline):
    """Whenever the fast (pandas) reader accepts a file, it gives the same values and lines as the careful one."""
    width, rows = table
    out = io.StringIO()
    csv.writer(out, quoting=quoting, lineterminator=line_end).writerows([[f"c{i}" for i in range(width)], *rows])
    text = out.getvalue() if final_newline else out.getvalue()[: -len(line_end)]
    fast = _parse_fast(text)
    if fast is None:
        return
    careful = _parse_careful(text, "x.txt", "feed", [])
    assert list(fast.columns) == list(careful.columns)
    for col in fast.columns:
        assert [str(v) for v in fast[col]] == [str(v) for v in careful[col]], (col, text)
