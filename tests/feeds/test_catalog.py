"""The feed catalog: parsing and its errors, default feeds from it, validity warnings, feeds as real publishers ship them."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from maas.feeds.catalog import CatalogError, load_catalog, parse_catalog, validity
from maas.feeds.problems import has_errors
from maas.feeds.reader import read_feed
from maas.feeds.validate import validate_feed
from tests.feeds.catalog_kit import days, feed_text, write_catalog

GOOD = """
# a comment
[[feed]]
name = "jrbus"
kind = "official"
licence = "CC0-1.0"
url = "https://example.com/current_data.zip"
attribution = "ＪＲバス中国 GTFS-JP (CC0 1.0)"
description = "official buses"
source = "the operator's page"

[[feed]]
name = "jr"
kind = "modeled"
licence = "MIT"
"""


def test_catalog_entries_in_order_with_extra_keys(tmp_path):
    """Entries keep their order, optional keys, and extra keys (description, source)."""
    cat = parse_catalog(GOOD, tmp_path / "feeds.toml")
    assert [e.name for e in cat.entries] == ["jrbus", "jr"]
    jrbus, jr = cat.entries
    assert (jrbus.kind, jrbus.licence, jrbus.url, jrbus.attribution) == (
        "official",
        "CC0-1.0",
        "https://example.com/current_data.zip",
        "ＪＲバス中国 GTFS-JP (CC0 1.0)",
    )
    assert jrbus.description == "official buses" and jrbus.extra["source"] == "the operator's page"
    assert (jr.url, jr.attribution, jr.description) == (None, None, None)
    assert cat.feed_path(jr) == tmp_path / "jr" and cat.get("jr") is jr and cat.get("nope") is None


def test_the_repository_catalog_is_valid():
    """gtfs/feeds.toml reads with no error and names the region's feeds."""
    cat = load_catalog(Path(__file__).resolve().parents[2] / "gtfs" / "feeds.toml")
    assert {"jr", "bus", "techno-shuttle"} <= {e.name for e in cat.entries}
    assert all(e.kind in ("official", "modeled", "trial") and e.licence for e in cat.entries)


def _entry(**keys: str) -> str:
    return "[[feed]]\n" + "".join(f'{k} = "{v}"\n' for k, v in keys.items())


OK = {"name": "a", "kind": "official", "licence": "CC0-1.0"}


@pytest.mark.parametrize(
    "text,words",
    [
        (_entry(**OK) + _entry(name="b", kind="official2", licence="x"), ["feed #2 (b)", "kind", "unknown kind 'official2'", "official, modeled, trial"]),
        (_entry(name="b", kind="modeled"), ["feed #1 (b)", "licence: missing"]),
        (_entry(kind="modeled", licence="x"), ["feed #1", "name: missing"]),
        (_entry(**OK) + _entry(**OK), ["feed #2 (a)", "name", "duplicate name 'a'", "first in feed #1"]),
        (_entry(**OK, url="ftp://example.com/x.zip"), ["feed #1 (a)", "url", "scheme 'ftp'", "http, https, file"]),
        (_entry(**OK, url="example.com/x.zip"), ["feed #1 (a)", "url", "scheme '(none)'"]),
        (_entry(**OK, url="https:///x.zip"), ["feed #1 (a)", "url", "names no host"]),
        (_entry(name="../etc", kind="trial", licence="x"), ["feed #1 (../etc)", "name", "cannot be a folder name"]),
        (_entry(name=".hidden", kind="trial", licence="x"), ["name", "cannot be a folder name"]),
        ('[[feed]]\nname = "a"\nkind = "official"\nlicence = 3\n', ["feed #1 (a)", "licence", "non-empty string"]),
        (_entry(**OK, attribution=""), ["feed #1 (a)", "attribution", "non-empty string"]),
        ("[[feed]\nname = 1", ["not valid TOML"]),
        ("", ["no [[feed]] entries"]),
        ('feed = "x"', ["array of tables"]),
        (_entry(**OK) + "[other]\nx = 1\n", ["unknown top-level key(s) other"]),
    ],
)
def test_catalog_errors_name_file_entry_and_key(tmp_path, text, words):
    """Every mistake is one CatalogError naming the file, the entry (index and name) and the key."""
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    message = str(err.value)
    assert message.startswith(str(path)), message
    for w in words:
        assert w in message, (w, message)


def test_catalog_not_utf8_is_a_clear_error(tmp_path):
    """A catalog saved in Shift_JIS names the file and the fix."""
    path = tmp_path / "feeds.toml"
    path.write_bytes('[[feed]]\nname = "a"\nkind = "official"\nlicence = "CC0"\nattribution = "ＪＲバス中国"\n'.encode("shift_jis"))
    with pytest.raises(CatalogError, match="not UTF-8 text"):
        load_catalog(path)


def test_a_broken_catalog_beside_loaded_feeds_only_loses_their_labels(tmp_path):
    """entry_for_feed: a wrong catalog beside a feed gives no entry (kind unknown) instead of failing a service."""
    from maas.feeds.catalog import entry_for_feed

    write_catalog(tmp_path, [{"name": "bus", "kind": "official", "licence": "x"}])
    assert entry_for_feed(tmp_path / "bus").kind == "official"
    assert entry_for_feed(tmp_path / "other") is None
    (tmp_path / "feeds.toml").write_text('[[feed]]\nname = "bus"\nkind = "nope"\nlicence = "x"\n', encoding="utf-8")
    assert entry_for_feed(tmp_path / "bus") is None


def test_missing_catalog_is_a_clear_error(tmp_path):
    """A catalog path that does not exist names the file."""
    with pytest.raises(CatalogError, match="cannot read the feed catalog"):
        load_catalog(tmp_path / "nope.toml")


def test_default_feeds_come_from_the_catalog(tmp_path, monkeypatch):
    """default_feed_paths() follows the catalog's order and skips entries whose folder has no stops.txt yet."""
    from maas.defaults import default_feed_paths

    gtfs = tmp_path / "gtfs"
    write_catalog(gtfs, [{"name": n, "kind": "modeled", "licence": "MIT"} for n in ("zeta", "later", "alpha")])
    for name in ("zeta", "alpha"):
        feed_text(days(-1), days(100)).write(gtfs / name)
    (gtfs / "later").mkdir()  # announced in the catalog, data not there yet
    monkeypatch.setenv("MAAS_DATA_DIR", str(tmp_path))
    assert default_feed_paths() == [gtfs / "zeta", gtfs / "alpha"]
    # One entry more is one feed more.
    (gtfs / "feeds.toml").write_text((gtfs / "feeds.toml").read_text() + '[[feed]]\nname = "later"\nkind = "trial"\nlicence = "x"\n')
    with pytest.raises(CatalogError, match="duplicate name 'later'"):
        default_feed_paths()


def test_default_feeds_without_a_catalog_use_the_built_in_list(tmp_path, monkeypatch):
    """A data copy made before the catalog still loads its feeds (DEFAULT_FEEDS)."""
    from maas.defaults import DEFAULT_FEEDS, default_feed_paths

    feed_text(days(-1), days(100)).write(tmp_path / "gtfs" / "jr")
    monkeypatch.setenv("MAAS_DATA_DIR", str(tmp_path))
    assert "jr" in DEFAULT_FEEDS and default_feed_paths() == [tmp_path / "gtfs" / "jr"]


@pytest.mark.parametrize(
    "left,warning",
    [
        (31, None),
        (30, "service ends on {last}, in 30 days"),
        (1, "service ends on {last}, in 1 day"),
        (0, "service ends today ({last})"),
        (-1, "service ended on {last} (1 day ago)"),
        (-400, "service ended on {last} (400 days ago)"),
    ],
)
def test_validity_warns_from_30_days_before_the_end(left, warning):
    """No warning with 31 days left; a warning from 30 days before the end, on the day, and once ended."""
    today = dt.date(2026, 11, 30)
    last = today + dt.timedelta(days=left)
    v = validity((dt.date(2026, 8, 13), last), today)
    assert v.days_left == left and v.first == dt.date(2026, 8, 13) and v.last == last
    assert v.warning == (warning.format(last=last) if warning else None)
    assert v.ended == (left < 0)


def test_validity_of_a_feed_without_dates():
    """A feed whose calendars give no day has no dates and says so."""
    v = validity(None, dt.date(2026, 11, 30))
    assert v.days_left is None and "no service dates" in v.warning


# --- feeds as real publishers ship them -------------------------------------------

RECEIPT_SJIS = "ファイル無害化処理結果\r\n処理日時: 2026/08/13 04:05\r\n結果: 無害化済み\r\n".encode("shift_jis")
EXTRAS = {
    "stops_mobustation.txt": "stop_id,stop_name,mobu_code\nAJS,阿知須駅,1\n".encode(),
    "stop_times_mobustation.txt": b"trip_id,stop_sequence,mobu\nT1,1,x\n",
    "README.md": "# 時刻表データ\nCC0\n".encode(),
    "無害化レポート.txt": RECEIPT_SJIS,  # a sanitising system's receipt, in Shift_JIS
    "sanitize_report.html": "<html><body>無害化しました</body></html>".encode("shift_jis"),
    "receipt.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
}


def _unknown(problems) -> set[str]:
    return {p.file for p in problems if p.code == "unknown_file"}


def test_vendor_files_readme_and_shift_jis_receipt_are_warnings_only(write_feed):
    """A folder with vendor files, a README, a Shift_JIS receipt and non-.txt files is usable: one warning per file."""
    text = feed_text(days(-1), days(100))
    for name, data in EXTRAS.items():
        text.set(name, data)
    feed = read_feed(write_feed(text, "municipal"))
    problems = validate_feed(feed)
    assert not has_errors(problems)
    assert all((p.severity, p.code) == ("warning", "unknown_file") for p in problems)
    assert _unknown(problems) == set(EXTRAS)
    assert all("unknown file, ignored" in p.message and p.file in p.message for p in problems)
    assert "stops_mobustation.txt" not in feed.tables and "無害化レポート.txt" not in feed.tables
    assert feed.table("stops.txt")["stop_id"].tolist() == ["AJS", "MTU", "TPK"]


def test_unknown_files_do_not_change_the_compiled_timetable_key(write_feed):
    """Vendor files and receipts are not read: the feed's digest (the timetable cache key) ignores them."""
    plain = read_feed(write_feed(feed_text(days(-1), days(100)), "plain"))
    text = feed_text(days(-1), days(100))
    for name, data in EXTRAS.items():
        text.set(name, data)
    assert read_feed(write_feed(text, "extras")).digest == plain.digest


def test_zip_with_top_folder_receipt_beside_it_and_shift_jis_name(tmp_path):
    """A zip whose feed sits in a folder, with a Shift_JIS-named receipt at the root (as Japanese Windows writes it)."""
    receipt = "無害化レポート.txt"
    real = receipt.encode("cp932")
    placeholder = b"X" * (len(real) - 4) + b".txt"
    path = tmp_path / "municipal.zip"
    text = feed_text(days(-1), days(100))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in text.files.items():
            zf.writestr(f"gtfs_20260813/{name}", data)
        zf.writestr("gtfs_20260813/agency_mobustation.txt", "agency_id\nx\n")
        zf.writestr(placeholder.decode(), RECEIPT_SJIS)
    # The receipt's name as raw CP932 bytes without the UTF-8 flag (zipfile flags every non-ASCII name it writes).
    path.write_bytes(path.read_bytes().replace(placeholder, real))
    feed = read_feed(path)
    problems = validate_feed(feed)
    assert not has_errors(problems), problems
    assert feed.table("stops.txt")["stop_id"].tolist() == ["AJS", "MTU", "TPK"]
    assert _unknown(problems) == {"gtfs_20260813/agency_mobustation.txt", receipt}


def test_maas_validate_accepts_a_feed_with_unknown_files(write_feed, run_cli):
    """`maas validate` exits 0 on such a feed and lists each file as 'unknown file, ignored'."""
    text = feed_text(days(-1), days(100))
    for name, data in EXTRAS.items():
        text.set(name, data)
    path = write_feed(text, "municipal")
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    assert f"usable: 0 error(s), {len(EXTRAS)} warning(s)" in result.stdout
    for name in EXTRAS:
        assert f"unknown file, ignored: {name}" in result.stdout
