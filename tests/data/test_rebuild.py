"""The committed default data is exactly what its build makes, and the build checks with the product.

The build (gtfs/_build/build_feeds.py, pois/_build/build_pois.py) is run into
a temporary folder and its output compared byte for byte with the committed
gtfs/jr, gtfs/bus, gtfs/techno-shuttle and pois/.  It reads sourced facts from
../shared/data (or $MAAS_SHARED_DATA) and the official feed in gtfs/jrbus;
without the shared data these tests skip and say so.  The build's checks are
maas's own (validate_feed, the compiler, the journey planner): the last tests
show they refuse what they should.
"""

from __future__ import annotations

import csv
import difflib
import importlib.util
import io
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from maas.feeds.reader import Feed, read_feed
from tests.conftest import SHARED_DATA

ROOT = Path(__file__).resolve().parents[2]
GTFS_BUILD = ROOT / "gtfs" / "_build"
#: The files of ../shared/data the build reads.
FACTS = ("stations_yamaguchi.csv", "pois_reference.csv", "places_yamaguchi.csv")
FEEDS = ("jr", "bus", "techno-shuttle")


def _shared_data() -> Path:
    """Return the shared facts folder the build reads, skipping when a file it needs is absent."""
    folder = Path(os.environ.get("MAAS_SHARED_DATA") or SHARED_DATA)
    missing = [name for name in FACTS if not (folder / name).is_file()]
    if missing:
        pytest.skip(f"the data build reads sourced facts from {folder} (../shared/data), absent here: {', '.join(missing)}")
    return folder


def _run(args: list[str], cwd: Path, tmp: Path, shared: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run Python with the test's interpreter, a private cache and (when given) the shared facts folder."""
    env = {**os.environ, "MAAS_CACHE_DIR": str(tmp / "cache")}
    if shared is not None:
        env["MAAS_SHARED_DATA"] = str(shared)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run both builds into one temporary folder (``gtfs/`` and ``pois/`` inside it)."""
    shared = _shared_data()
    out = tmp_path_factory.mktemp("rebuilt")
    for script, target in (("gtfs/_build/build_feeds.py", "gtfs"), ("pois/_build/build_pois.py", "pois")):
        done = _run([str(ROOT / script), "--out", str(out / target)], ROOT, out, shared)
        assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    return out


def _first_difference(committed: bytes, rebuilt: bytes) -> str:
    """Return the first lines that differ, as a unified diff."""
    diff = difflib.unified_diff(committed.decode().splitlines(), rebuilt.decode().splitlines(), "committed", "rebuilt", n=0, lineterm="")
    return "\n".join(list(diff)[:12])


def _assert_same_files(committed_dir: Path, rebuilt_dir: Path, pattern: str) -> None:
    committed = {p.name: p.read_bytes() for p in sorted(committed_dir.glob(pattern))}
    rebuilt = {p.name: p.read_bytes() for p in sorted(rebuilt_dir.glob(pattern))}
    assert sorted(rebuilt) == sorted(committed), f"{committed_dir.name}: the build makes other files"
    for name in committed:
        assert rebuilt[name] == committed[name], f"{committed_dir.name}/{name} differs from its rebuild:\n" + _first_difference(committed[name], rebuilt[name])


@pytest.mark.parametrize("feed", FEEDS)
def test_rebuilt_feed_is_the_committed_feed(rebuilt: Path, feed: str) -> None:
    """Every file of a project-made feed comes out of the build byte for byte as committed."""
    _assert_same_files(ROOT / "gtfs" / feed, rebuilt / "gtfs" / feed, "*.txt")


def test_rebuilt_pois_are_the_committed_pois(rebuilt: Path) -> None:
    """pois.geojson and pois.csv come out of the build byte for byte as committed."""
    _assert_same_files(ROOT / "pois", rebuilt / "pois", "pois.*")


def test_build_never_writes_the_official_feed(rebuilt: Path) -> None:
    """The official JR bus feed is an input of the build, never one of its outputs."""
    assert not (rebuilt / "gtfs" / "jrbus").exists()


# --- the build's checks are the product's, and they refuse what they should ------------------------


def _load_checks() -> ModuleType:
    """Import gtfs/_build/checks.py under a name of its own (it imports only maas)."""
    spec = importlib.util.spec_from_file_location("gtfs_build_checks", GTFS_BUILD / "checks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _committed_files(feed: str) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "gtfs" / feed).glob("*.txt"))}


def _feed(name: str, files: dict[str, str], tmp_path: Path) -> Feed:
    """Write ``files`` to a folder and read it as maas does (as the build reads its staging folder)."""
    folder = tmp_path / name
    folder.mkdir()
    for filename, text in files.items():
        (folder / filename).write_text(text, encoding="utf-8")
    return read_feed(folder, name)


def test_build_check_passes_the_committed_feeds() -> None:
    """The committed feeds pass the build's check: validate_feed finds nothing, the project's rules hold."""
    checks = _load_checks()
    for feed in FEEDS:
        checks.check_feed(read_feed(ROOT / "gtfs" / feed))


def test_build_check_refuses_a_dangling_route_and_a_stop_outside_the_area(tmp_path: Path) -> None:
    """A trip of an unknown route (maas's checker) and a stop in Tokyo (the project's area rule) are both named."""
    checks = _load_checks()
    files = _committed_files("techno-shuttle")
    files["trips.txt"] = files["trips.txt"].replace("techno_shuttle,trial_weekday,techno_morning1", "no_such_route,trial_weekday,techno_morning1")
    stops = list(csv.DictReader(io.StringIO(files["stops.txt"])))
    stops[0].update(stop_lat="35.681236", stop_lon="139.767125")  # Tokyo station
    moved = stops[0]["stop_id"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(stops[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(stops)
    files["stops.txt"] = out.getvalue()
    with pytest.raises(checks.BuildCheckError) as err:
        checks.check_feed(_feed("techno-shuttle", files, tmp_path))
    message = str(err.value)
    assert "trips.txt:" in message and "route_id 'no_such_route' is not a route in routes.txt" in message
    assert f"stop {moved} at 35.681236,139.767125 is outside the Yamaguchi area" in message


def test_build_check_refuses_a_feed_maas_only_warns_about(tmp_path: Path) -> None:
    """The project's feeds must be clean: a warning of maas's checker (a service that never runs) stops the build."""
    checks = _load_checks()
    files = _committed_files("techno-shuttle")
    files["calendar.txt"] = files["calendar.txt"].replace("trial_weekday,1,1,1,1,1,0,0", "trial_weekday,0,0,0,0,0,0,0")
    with pytest.raises(checks.BuildCheckError, match=r"warning: .*service trial_weekday never runs"):
        checks.check_feed(_feed("techno-shuttle", files, tmp_path))


def test_journey_self_check_is_maas_planning(tmp_path: Path) -> None:
    """The self-check plans with maas: the SL runs on a Sunday (so "no SL" fails then) and the Mine Line not after 2023-06-29."""
    code = (
        "import datetime as dt, scenarios as s\n"
        "p = s.planner_for_folder()\n"
        "print(s.run(p, verbose=False))\n"
        "sl = s.check(p, s._s('SL on a Sunday', dt.date(2024, 10, 6), 'jr:shinyamaguchi', '10:00', 'jr:tsuwano', 'sl_yamaguchi', True))\n"
        "mine = s.check(p, s._s('Mine rail', dt.date(2023, 6, 30), 'jr:asa', '05:00', 'jr:nagatoshi', 'mine'))\n"
        "print(sl.ok, sl.journey is not None and 'sl_yamaguchi' in s.ride_routes(sl.journey), mine.ok)\n"
    )
    done = _run(["-c", code], GTFS_BUILD, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["True", "False True False"], done.stdout
