"""Shared fixtures: the default data compiled once per session, and the ../shared data location."""

from __future__ import annotations

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
    settings = Settings(database_url=f"sqlite:///{db}", tour_time_limit_s=1.0, optimize_time_limit_s=12.0)
    store = ScenarioStore(settings.database(), validate=scenario_of)
    seed(store)
    return ServiceState(settings, default_network, default_planner, default_places, store)


@pytest.fixture(scope="session")
def client(service_state) -> TestClient:
    with TestClient(create_app(state=service_state), raise_server_exceptions=False) as c:
        yield c
