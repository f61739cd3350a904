"""Shared fixtures: the default data compiled once per session, and the ../shared data location."""

from __future__ import annotations

from pathlib import Path

import pytest

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
