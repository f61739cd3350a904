"""The service on the default data, in-process, with a scenario store in a temporary SQLite file."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from api.state import ServiceState
from api.store import ScenarioStore


@pytest.fixture(scope="session")
def service_state(default_network, default_planner, default_places, tmp_path_factory) -> ServiceState:
    db = tmp_path_factory.mktemp("db") / "scenarios.sqlite"
    settings = Settings(database_url=f"sqlite:///{db}", tour_time_limit_s=1.0, optimize_time_limit_s=5.0)
    return ServiceState(settings, default_network, default_planner, default_places, ScenarioStore(settings.database()))


@pytest.fixture(scope="session")
def client(service_state) -> TestClient:
    with TestClient(create_app(state=service_state), raise_server_exceptions=False) as c:
        yield c
