"""``maas feeds list`` and ``maas feeds update`` on a temporary catalog, feeds served from a loopback HTTP server.

Every update that fails (download error, validation errors, service already
ended, unreachable server) must leave the previous feed byte for byte as it
was and exit 2 naming the feed and the reason; a good one is swapped in and
listed with its new version; identical content changes nothing and says so.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from maas.cli.main import app
from tests.feeds.catalog_kit import days, feed_text, serve, snapshot, unused_port_url, write_catalog, zip_feed

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MAAS_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def site(tmp_path) -> Path:
    """The folder the loopback server publishes."""
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


@pytest.fixture
def data(tmp_path) -> Path:
    """A catalog folder holding feed 'bus' (version v1, running until 100 days from now)."""
    folder = tmp_path / "gtfs"
    feed_text(days(-10), days(100), "v1").write(folder / "bus")
    return folder


def _catalog(data: Path, url: str | None, name: str = "bus", **more: str) -> Path:
    entry = {"name": name, "kind": "official", "licence": "CC0-1.0", "attribution": "Test Bus (CC0)", **more}
    if url:
        entry["url"] = url
    return write_catalog(data, [entry])


# --- list ------------------------------------------------------------------------------


def test_feeds_list_json(tmp_path):
    """--json gives each feed's kind, licence, version, first and last date, days left and warning."""
    data = tmp_path / "gtfs"
    feed_text(days(-10), days(100), "2026.1").write(data / "fresh")
    feed_text(days(-10), days(12), "old-1").write(data / "ending")
    feed_text(days(-100), days(-3), "t").write(data / "trial")
    catalog = write_catalog(
        data,
        [
            {"name": "fresh", "kind": "official", "licence": "CC0-1.0", "url": "https://example.com/f.zip", "attribution": "Fresh Bus"},
            {"name": "ending", "kind": "modeled", "licence": "MIT"},
            {"name": "trial", "kind": "trial", "licence": "MIT"},
            {"name": "coming", "kind": "official", "licence": "CC-BY-4.0", "url": "https://example.com/c.zip"},
        ],
    )
    r = invoke("feeds", "list", "--catalog", catalog, "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["catalog"] == str(catalog) and doc["warn_days"] == 30
    by = {f["name"]: f for f in doc["feeds"]}
    assert list(by) == ["fresh", "ending", "trial", "coming"]
    fresh = by["fresh"]
    assert (fresh["kind"], fresh["licence"], fresh["attribution"], fresh["version"], fresh["timezone"]) == (
        "official",
        "CC0-1.0",
        "Fresh Bus",
        "2026.1",
        "Asia/Tokyo",
    )
    assert fresh["validity"]["first"] == days(-10).isoformat() and fresh["validity"]["last"] == days(100).isoformat()
    assert fresh["validity"]["days_left"] == 100 and fresh["warning"] is None and fresh["present"] is True
    assert by["ending"]["validity"]["days_left"] == 12
    assert by["ending"]["warning"] == f"service ends on {days(12)}, in 12 days"
    assert by["trial"]["validity"]["days_left"] == -3 and by["trial"]["warning"].startswith(f"service ended on {days(-3)} (3 days ago)")
    assert by["coming"]["present"] is False and by["coming"]["validity"] is None
    assert by["coming"]["warning"] == "no data yet: run `maas feeds update coming`"


def test_feeds_list_text(data):
    """The text listing has one line per feed with version and dates, and a WARNING line near the end."""
    feed_text(days(-10), days(5), "v9").write(data / "soon")
    catalog = write_catalog(data, [{"name": "bus", "kind": "official", "licence": "x"}, {"name": "soon", "kind": "modeled", "licence": "x"}])
    r = invoke("feeds", "list", "--catalog", catalog)
    assert r.exit_code == 0, r.output
    assert f"bus   official  v1                {days(-10)} .. {days(100)} (100 days left)" in r.stdout
    assert f"soon  modeled   v9                {days(-10)} .. {days(5)} (5 days left)" in r.stdout
    assert f"WARNING: service ends on {days(5)}, in 5 days" in r.stdout


def test_feeds_list_bad_catalog_exits_2(tmp_path):
    """A catalog with a mistake exits 2 with the message naming file, entry and key."""
    path = tmp_path / "feeds.toml"
    path.write_text('[[feed]]\nname = "x"\nkind = "official"\n', encoding="utf-8")
    r = invoke("feeds", "list", "--catalog", path)
    assert r.exit_code == 2 and f"{path}, feed #1 (x): licence: missing" in r.output


def test_feeds_help_texts():
    """`maas feeds --help` lists list and update; each has its own help."""

    def words(*args: str) -> str:
        out = invoke(*args).stdout
        return " ".join(out.replace("│", " ").split())

    r = invoke("feeds", "--help")
    assert r.exit_code == 0 and "list" in r.stdout and "update" in r.stdout
    assert "swap it in atomically" in words("feeds", "update", "--help")
    assert "leaves the previous feed exactly as it was" in words("feeds", "update", "--help")
    assert "days left" in words("feeds", "list", "--help")


# --- update ----------------------------------------------------------------------------


def test_update_good_feed_is_swapped_in(data, site):
    """A valid, newer feed is downloaded, validated and swapped in; `feeds list` shows the new version."""
    zip_feed(feed_text(days(-1), days(200), "v2"), site / "bus.zip", top_folder="gtfs_v2", extra={"receipt.txt": "無害化済み".encode("shift_jis")})
    with serve(site) as base:
        catalog = _catalog(data, f"{base}/bus.zip")
        r = invoke("feeds", "update", "--catalog", catalog)
    assert r.exit_code == 0, r.output
    assert f"bus: updated: {data / 'bus'} now holds version v2" in r.stdout
    doc = json.loads(invoke("feeds", "list", "--catalog", catalog, "--json").stdout)
    assert doc["feeds"][0]["version"] == "v2" and doc["feeds"][0]["validity"]["last"] == days(200).isoformat()
    # Unpacked from its folder, as published; nothing left behind beside it.
    assert sorted(snapshot(data / "bus")) == sorted(feed_text(days(-1), days(200), "v2").files)
    assert sorted(p.name for p in data.iterdir()) == ["bus", "feeds.toml"]
    r = invoke("validate", data / "bus")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(
    "publish,reason",
    [
        # Validation errors: stop_times.txt gone.
        (lambda site: _broken_zip(site), "does not validate: 1 error(s), first: bus/stop_times.txt: required file stop_times.txt is missing"),
        # Service already ended yesterday.
        (
            lambda site: zip_feed(feed_text(days(-60), days(-1), "v0"), site / "bus.zip"),
            f"service has already ended: the new feed's last service date is {days(-1)}",
        ),
        # Not a zip at all (an error page served with 200).
        (lambda site: (site / "bus.zip").write_text("<!DOCTYPE html><html>moved</html>"), "the download is not a zip file (it looks like a web page)"),
        # Not there: 404.
        (lambda site: None, "download failed: HTTP 404"),
    ],
    ids=["does-not-validate", "expired", "not-a-zip", "http-404"],
)
def test_failed_update_keeps_the_previous_feed(data, site, publish, reason):
    """A broken, expired or missing download: previous folder unchanged byte for byte, exit 2, feed and reason named."""
    before = snapshot(data / "bus")
    publish(site)
    with serve(site) as base:
        catalog = _catalog(data, f"{base}/bus.zip")
        r = invoke("feeds", "update", "--catalog", catalog)
    assert r.exit_code == 2, r.output
    assert "maas: bus: update failed: " in r.output and reason in r.output, r.output
    assert "the previous feed is kept as it was" in r.output
    assert snapshot(data / "bus") == before
    assert sorted(p.name for p in data.iterdir()) == ["bus", "feeds.toml"]


def _broken_zip(site: Path) -> Path:
    text = feed_text(days(-1), days(200), "v2")
    text.remove("stop_times.txt")
    return zip_feed(text, site / "bus.zip")


def test_unreachable_url_keeps_the_previous_feed(data):
    """Nobody listening at the url: like a broken download (exit 2, reason, feed unchanged)."""
    before = snapshot(data / "bus")
    catalog = _catalog(data, unused_port_url())
    r = invoke("feeds", "update", "--catalog", catalog)
    assert r.exit_code == 2
    assert "maas: bus: update failed: download failed: " in r.output and "is unreachable" in r.output
    assert snapshot(data / "bus") == before


def test_unchanged_feed_changes_nothing(data, site):
    """The same content as in place: nothing is written, and the command says so."""
    shutil.make_archive(str(site / "bus"), "zip", data / "bus")
    before = {p: p.stat().st_mtime_ns for p in (data / "bus").iterdir()}
    with serve(site) as base:
        catalog = _catalog(data, f"{base}/bus.zip")
        r = invoke("feeds", "update", "bus", "--catalog", catalog)
    assert r.exit_code == 0, r.output
    assert "bus: unchanged: identical to" in r.stdout and "nothing changed" in r.stdout
    assert {p: p.stat().st_mtime_ns for p in (data / "bus").iterdir()} == before


def test_file_urls_absolute_relative_and_folder(data, tmp_path):
    """file:// urls work for a zip, a relative file: url is relative to the catalog, and a folder is copied."""
    zip_feed(feed_text(days(-1), days(150), "v3"), tmp_path / "bus-v3.zip")
    catalog = _catalog(data, (tmp_path / "bus-v3.zip").as_uri())
    r = invoke("feeds", "update", "--catalog", catalog)
    assert r.exit_code == 0 and "now holds version v3" in r.stdout, r.output

    zip_feed(feed_text(days(-1), days(160), "v4"), data.parent / "bus-v4.zip")
    catalog = _catalog(data, "file:../bus-v4.zip")
    r = invoke("feeds", "update", "--catalog", catalog)
    assert r.exit_code == 0 and "now holds version v4" in r.stdout, r.output

    feed_text(days(-1), days(170), "v5").write(tmp_path / "bus-v5")
    catalog = _catalog(data, (tmp_path / "bus-v5").as_uri())
    r = invoke("feeds", "update", "--catalog", catalog)
    assert r.exit_code == 0 and "now holds version v5" in r.stdout, r.output
    assert snapshot(data / "bus") == snapshot(tmp_path / "bus-v5")

    before = snapshot(data / "bus")
    catalog = _catalog(data, (tmp_path / "missing.zip").as_uri())
    r = invoke("feeds", "update", "--catalog", catalog)
    assert r.exit_code == 2 and "bus: update failed: download failed: " in r.output and "no such file" in r.output
    assert snapshot(data / "bus") == before


def test_new_feed_folder_is_created(data, site):
    """An entry whose folder does not exist yet gets one (the first download)."""
    zip_feed(feed_text(days(-1), days(90), "first"), site / "new.zip")
    with serve(site) as base:
        catalog = write_catalog(
            data,
            [
                {"name": "bus", "kind": "modeled", "licence": "MIT"},
                {"name": "new", "kind": "official", "licence": "CC0-1.0", "url": f"{base}/new.zip"},
            ],
        )
        r = invoke("feeds", "update", "--catalog", catalog)
    assert r.exit_code == 0, r.output
    assert "bus: no url: kept as is" in r.stdout and "new: updated:" in r.stdout
    assert (data / "new" / "stops.txt").is_file()
    assert oct((data / "new").stat().st_mode & 0o777) != oct(0o700)  # not the private mode of a temp folder


def test_one_failure_among_several_exits_2_and_updates_the_others(data, site):
    """Named feeds only; one bad feed does not stop a good one, and the exit status is 2."""
    feed_text(days(-10), days(100), "r1").write(data / "rail")
    zip_feed(feed_text(days(-1), days(300), "r2"), site / "rail.zip")
    with serve(site) as base:
        catalog = write_catalog(
            data,
            [
                {"name": "bus", "kind": "official", "licence": "x", "url": f"{base}/missing.zip"},
                {"name": "rail", "kind": "official", "licence": "x", "url": f"{base}/rail.zip"},
            ],
        )
        r = invoke("feeds", "update", "--catalog", catalog, "--json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert doc["ok"] is False
    assert [(f["name"], f["outcome"]) for f in doc["feeds"]] == [("bus", "failed"), ("rail", "updated")]
    r = invoke("feeds", "update", "nosuch", "--catalog", catalog)
    assert r.exit_code == 2 and "no feed called 'nosuch'" in r.output


def test_interrupted_swap_is_repaired(data, site):
    """An update killed between its two renames left the old feed aside: the next run puts it back first."""
    from maas.feeds.catalog import load_catalog
    from maas.feeds.update import recover

    before = snapshot(data / "bus")
    work = data / ".bus.update-crash"
    work.mkdir()
    (data / "bus").rename(work / "old")
    recover(data, "bus")
    assert snapshot(data / "bus") == before and not work.exists()
    assert load_catalog(_catalog(data, None)).present_paths() == [data / "bus"]


def test_zip_with_unsafe_paths_is_refused(data, site):
    """A zip member escaping the folder (../) refuses the download; nothing is written outside."""
    import zipfile

    path = zip_feed(feed_text(days(-1), days(90), "evil"), site / "bus.zip")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("../escaped.txt", "x")
    before = snapshot(data / "bus")
    with serve(site) as base:
        r = invoke("feeds", "update", "--catalog", _catalog(data, f"{base}/bus.zip"))
    assert r.exit_code == 2 and "unsafe path '../escaped.txt'" in r.output
    assert snapshot(data / "bus") == before and not (data / "escaped.txt").exists() and not (data.parent / "escaped.txt").exists()


# --- a date no feed serves ------------------------------------------------------------


def test_plan_and_tour_for_a_date_no_feed_serves(data):
    """`maas plan` and `maas tour` on a date past every feed: exit 2 naming each feed's dates, not "no journey found"."""
    feed_text(days(-10), days(300), "r").write(data / "rail")
    day = days(400)
    expected = f"maas: no timetable for {day}: bus covers {days(-10)} .. {days(100)}, rail covers {days(-10)} .. {days(300)}"
    feeds = ["--feed", data / "bus", "--feed", data / "rail"]
    r = invoke("plan", "--from", "bus:AJS", "--to", "bus:TPK", "--date", day, "--depart", "07:00", *feeds)
    assert r.exit_code == 2 and expected in r.output and "no journey found" not in r.output, r.output
    r = invoke("reach", "--from", "bus:AJS", "--date", day, "--depart", "07:00", *feeds)
    assert r.exit_code == 2 and expected in r.output, r.output
    r = invoke("tour", "--start", "bus:AJS", "--date", day, "--from", "07:00", "--until", "09:00", *feeds)
    assert r.exit_code == 2 and expected in r.output, r.output
    r = invoke("plan", "--from", "bus:AJS", "--to", "bus:TPK", "--date", days(1), "--depart", "07:00", *feeds)
    assert r.exit_code == 0, r.output


def test_info_shows_catalog_facts_validity_and_warnings(data, tmp_path):
    """`maas info` gives kind, licence and service dates per feed (kind unknown outside a catalog), and warnings."""
    _catalog(data, None)
    feed_text(days(-10), days(10), "e").write(tmp_path / "loose" / "extra")
    r = invoke("info", data / "bus", tmp_path / "loose" / "extra", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    bus, extra = doc["feeds"]
    assert (bus["kind"], bus["licence"], bus["attribution"], bus["validity"]["days_left"]) == ("official", "CC0-1.0", "Test Bus (CC0)", 100)
    assert (extra["kind"], extra["licence"], extra["validity"]["days_left"]) == ("unknown", None, 10)
    assert doc["warnings"] == [f"extra: service ends on {days(10)}, in 10 days"]
    text = invoke("info", data / "bus", tmp_path / "loose" / "extra").stdout
    assert "kind: official  licence: CC0-1.0  attribution: Test Bus (CC0)" in text
    assert f"service: {days(-10)} .. {days(100)} (100 days left)" in text
    assert f"WARNING: service ends on {days(10)}, in 10 days" in text


def test_download_progress_bar_on_request(site, tmp_path, capsys):
    """With progress on (a terminal), the download shows a tqdm bar on stderr; the bytes arrive whole."""
    from maas.feeds.update import download

    payload = zip_feed(feed_text(days(-1), days(90), "p"), site / "bus.zip").read_bytes()
    with serve(site) as base:
        got = download(f"{base}/bus.zip", tmp_path / "got.zip", tmp_path, progress=True, label="bus")
    assert got.read_bytes() == payload
    assert "bus" in capsys.readouterr().err


def test_update_checks_the_catalog_area(data, site):
    """With an `area`, a new feed none of whose trips call inside it is refused (it could not be compiled)."""
    zip_feed(feed_text(days(-1), days(200), "v2"), site / "bus.zip")
    before = snapshot(data / "bus")
    with serve(site) as base:
        for area, ok in (("[0.0, 0.0, 1.0, 1.0]", False), ("[131.3, 33.9, 131.5, 34.1]", True)):
            catalog = data / "feeds.toml"
            catalog.write_text(f'[[feed]]\nname = "bus"\nkind = "official"\nlicence = "x"\nurl = "{base}/bus.zip"\narea = {area}\n', encoding="utf-8")
            r = invoke("feeds", "update", "--catalog", catalog)
            if ok:
                assert r.exit_code == 0 and "now holds version v2" in r.stdout, r.output
            else:
                assert r.exit_code == 2 and "no trip of the new feed calls inside the catalog's area [0.0, 0.0, 1.0, 1.0]" in r.output
                assert snapshot(data / "bus") == before
