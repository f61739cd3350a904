"""Shared fixtures: the default data compiled once per session, and the ../shared data location."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.scenario_docs import scenario_of, seed
from api.settings import Settings
from api.state import ServiceState
from api.store import ScenarioStore
from maas.defaults import default_feed_paths, default_pois_path
from maas.network.network import Network
from maas.pois import load_pois
from maas.routing.places import PlaceIndex
from maas.routing.planner import Planner
from maas.timetable.cache import load_timetable

#: ``../shared/data`` beside the repository (real feeds, OSM extract, benchmark instances).
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SHARED_FEEDS = SHARED_DATA / "feeds"


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared/data, skipping the test with a reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: the shared test data (../shared/data) is absent")
    return path


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """A cache folder private to the test session (never ~/.cache)."""
    return tmp_path_factory.mktemp("maas-cache")


@pytest.fixture(scope="session")
def default_network(cache_dir) -> Network:
    """The region's default feeds and POIs, compiled once."""
    tt = load_timetable(default_feed_paths(), cache_dir=cache_dir, progress=False)
    return Network(tt, load_pois(default_pois_path()))


@pytest.fixture(scope="session")
def default_planner(default_network) -> Planner:
    return Planner(default_network)


@pytest.fixture(scope="session")
def default_places(default_network) -> PlaceIndex:
    return PlaceIndex(default_network)


@pytest.fixture(scope="session")
def service_state(default_network, default_planner, default_places, tmp_path_factory) -> ServiceState:
    """The service state on the default data with a scenario store in a temporary SQLite file."""
    db = tmp_path_factory.mktemp("db") / "scenarios.sqlite"
    # Heavy requests queue for the slot instead of being refused: the suite checks answers, not the
    # service's load shedding (tests/api/test_security.py checks that, with its own settings).
    settings = Settings(
        database_url=f"sqlite:///{db}",
        tour_time_limit_s=1.0,
        optimize_time_limit_s=12.0,
        heavy_wait_s=120.0,
        heavy_rate_limit="100000/minute",
        tour_warm_days=0,  # tests/api/test_tour_warming.py checks warming with a pool of its own
    )
    store = ScenarioStore(settings.database(), validate=scenario_of)
    seed(store)
    return ServiceState(settings, default_network, default_planner, default_places, store)


#: The address the test client calls from: this machine, as a planner on a laptop would.
LOOPBACK = ("127.0.0.1", 50000)


@pytest.fixture(scope="session")
def client(service_state) -> TestClient:
    with TestClient(create_app(state=service_state), raise_server_exceptions=False, client=LOOPBACK) as c:
        yield c


@pytest.fixture
def shared_feeds_dir() -> Path:
    """The folder of real feeds in ../shared/data/feeds; skips when the shared data is absent."""
    if not SHARED_FEEDS.is_dir() or not any(SHARED_FEEDS.glob("*.zip")):
        pytest.skip(f"shared data not found: {SHARED_FEEDS} (the ../shared/data folder beside the repository)")
    return SHARED_FEEDS


@pytest.fixture
def shared_result(request: pytest.FixtureRequest) -> Callable[[Path], dict]:
    """Return ``get(path)``: a shared feed read, checked and compiled once per test session.

    The result is a dict: ``problems`` (everything validate_feed reported),
    ``timetable`` (None when the feed has errors), ``error``, ``rows``
    (records per file) and ``location_types`` (stop count per location_type).
    The memo lives on the session: every big feed is compiled once per session.
    """

    def get(path: Path) -> dict:
        memo = request.session.__dict__.setdefault("_maas_shared_feed_results", {})
        if path not in memo:
            memo[path] = _compile_shared(path)
        return memo[path]

    return get


def _compile_shared(path: Path) -> dict:
    from maas.errors import FeedError
    from maas.feeds.reader import read_feed
    from maas.timetable.compile import compile_feeds

    feed = read_feed(path)
    problems: list = []
    result = {
        "problems": problems,
        "timetable": None,
        "error": None,
        "rows": {name: len(t) for name, t in feed.tables.items()},
        "location_types": Counter(feed.column("stops.txt", "location_type").replace("", "0")),
    }
    try:
        result["timetable"] = compile_feeds([feed], progress=False, on_problems=problems.extend)
    except FeedError as exc:
        result["error"] = exc
    return result


def _number(text: str) -> int:
    """The leading figure of a PROVENANCE cell: '35,515' → 35515, '1 (ＪＲバス中国)' → 1."""
    match = re.match(r"\s*([\d,]+)", text)
    if match is None:
        raise ValueError(f"PROVENANCE.md: no number in cell {text!r}")
    return int(match.group(1).replace(",", ""))


@pytest.fixture
def provenance(shared_feeds_dir: Path) -> dict[str, dict]:
    """Per-feed figures of ../shared/data/feeds/PROVENANCE.md: agencies, routes, stops, parents, trips, stop_times, max_time."""
    text = (shared_feeds_dir / "PROVENANCE.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and ".zip |" in line]
    figures = {}
    for line in rows:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        stops, parents = cells[4].split("(")
        figures[cells[0].removesuffix(".zip")] = {
            "agencies": _number(cells[2]),
            "routes": _number(cells[3]),
            "stops": _number(stops),
            "parents": _number(parents.rstrip(")")),
            "trips": _number(cells[5]),
            "stop_times": _number(cells[6]),
            "max_time": cells[10],
        }
    assert figures, "no feed table found in PROVENANCE.md"
    return figures
