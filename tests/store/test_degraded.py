"""Degrade, don't die: with the scenario database corrupt, unreachable, stopped, read-only or full,
the service still starts and plans; only the scenario endpoints answer 503 (507 when full).

Each test builds a service on the session's compiled network (tests/conftest.py)
with a scenario store of its own, started the way ``ServiceState.load`` starts
it (:func:`api.state.open_store`) or with retries allowed at every request, so
that recovery is checked by polling with a deadline, never by sleeping.
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, event, text

import api.store
from api.main import create_app
from api.scenario_docs import BUILT_IN, scenario_of, seed
from api.settings import Settings
from api.state import ServiceState, open_store
from api.store import ScenarioStore, StoreFull, StoreUnavailable
from maas.defaults import data_root
from tests.store.conftest import PostgresServer, free_port

#: The address the test client calls from: this machine (planners' endpoints answer loopback clients).
LOOPBACK = ("127.0.0.1", 50000)
JOURNEY = {"from": "Shin-Yamaguchi", "to": "Ajisu", "date": "2026-12-01", "depart": "07:00"}
TOUR = {"start": "Yamaguchi", "date": "2026-12-05", "from": "10:00", "until": "15:00", "interests": ["history"]}
TRIAL = next(iter(BUILT_IN))
#: Longest wait for a restarted database to be used again (the store retries at every request here).
DEADLINE_S = 30.0


# --- helpers -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trial_doc() -> dict:
    """The built-in trial scenario as a JSON document (what the map posts)."""
    from maas.shuttle.scenario import scenario_data

    path = data_root() / BUILT_IN[TRIAL]
    return json.loads(json.dumps(scenario_data(path.read_text(encoding="utf-8-sig"), str(path)), default=str))


@pytest.fixture
def make_state(default_network, default_planner, default_places) -> Callable[..., ServiceState]:
    """``make_state(url, store=None)``: the service state on the compiled network with the store of ``url``."""

    def make(url: str, store: ScenarioStore | None = None) -> ServiceState:
        settings = Settings(database_url=url, tour_time_limit_s=1.0, optimize_time_limit_s=12.0)
        return ServiceState(settings, default_network, default_planner, default_places, store or open_store(settings))

    return make


def retrying_store(url: str) -> ScenarioStore:
    """The service's store, but retrying the database at every request (no pause), so tests need not wait."""
    return ScenarioStore(url, validate=scenario_of, on_ready=seed, retry_first=0.0, retry_max=0.0)


@contextmanager
def serve(state: ServiceState) -> Iterator[TestClient]:
    """The running service (lifespan included) over ``state``."""
    with TestClient(create_app(state=state), raise_server_exceptions=False, client=LOOPBACK) as client:
        yield client


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until it holds, failing after DEADLINE_S."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {DEADLINE_S:g} s: {what}")
        time.sleep(0.1)


def assert_store_refused(response, *words: str, status: int = 503) -> str:
    """A JSON error ``status`` with a Retry-After header whose message has ``words``; returns the message."""
    assert response.status_code == status, response.text
    assert int(response.headers["retry-after"]) >= 1
    error = response.json()["error"]
    assert error["status"] == status
    for word in words:
        assert word in error["message"], error["message"]
    return error["message"]


def assert_down(client: TestClient, *words: str) -> None:
    """Every scenario endpoint answers 503 naming the reason; /healthz is 200 and degraded, with its usual fields."""
    message = assert_store_refused(client.get("/v1/scenarios"), "the scenario store is unavailable", *words)
    assert_store_refused(client.get("/v1/scenarios/some-id"), "the scenario store is unavailable")
    assert_store_refused(client.get("/v1/scenarios/some-id/evaluation"), "the scenario store is unavailable")
    assert_store_refused(client.delete("/v1/scenarios/some-id"), "nothing was changed")
    health = client.get("/healthz")
    assert health.status_code == 200
    doc = health.json()
    assert doc["status"] == "degraded" and doc["parts"]["timetable"] == "ok"
    # The public health check names the part, not where the database lives (planners get the reason).
    assert doc["parts"]["scenario_store"] == "unavailable"
    assert doc["feeds"] and doc["trips"] > 0 and doc["service_dates"]
    assert "the scenario store is unavailable" in message


def assert_up(client: TestClient) -> None:
    doc = client.get("/healthz").json()
    assert doc["status"] == "ok" and doc["parts"] == {"timetable": "ok", "scenario_store": "ok"}, doc
    assert client.get("/v1/scenarios").status_code == 200


def assert_visitors_served(client: TestClient, trial_doc: dict) -> None:
    """Journeys, the map and the evaluation of a posted scenario do not need the store."""
    r = client.get("/v1/journeys", params=JOURNEY)
    assert r.status_code == 200 and r.json()["journeys"], r.text
    assert client.get("/").status_code == 200
    r = client.post("/v1/shuttle/evaluate", json=trial_doc)
    assert r.status_code == 200 and r.json()["evaluation"]["totals"]["riders"] > 0, r.text


def names(client: TestClient) -> list[str]:
    r = client.get("/v1/scenarios")
    assert r.status_code == 200, r.text
    return sorted(s["name"] for s in r.json()["scenarios"])


# --- a database broken at start-up ----------------------------------------------------------------------


def test_corrupt_sqlite_file_service_starts_and_plans(tmp_path, make_state, trial_doc):
    """A SQLite file of random bytes: the service starts, plans journeys and tours, shows the map; the store is 503."""
    db = tmp_path / "scenarios.sqlite"
    garbage = os.urandom(64 * 1024)
    db.write_bytes(garbage)
    with serve(make_state(f"sqlite:///{db}")) as client:
        assert_visitors_served(client, trial_doc)
        r = client.post("/v1/tours", json=TOUR, params={"time_limit": 0.5})
        assert r.status_code == 200 and r.json()["itinerary"]["days"][0]["visits"], r.text
        assert_down(client, "file is not a database", f"sqlite:///{db}")
        assert_store_refused(client.post("/v1/scenarios", json={"name": "variant", "scenario": trial_doc}), "nothing was changed")
        assert_store_refused(client.put("/v1/scenarios/some-id", json={"name": "variant", "scenario": trial_doc}), "nothing was changed")
        bad = copy.deepcopy(trial_doc)
        bad["fleet"]["seats"] = -3
        r = client.post("/v1/scenarios", json={"name": "variant", "scenario": bad})
        assert r.status_code == 400 and r.json()["error"]["field"] == "fleet.seats"  # the client's mistake stays a 4xx
    assert db.read_bytes() == garbage


def test_unreachable_postgresql_service_starts_and_masks_the_password(make_state, trial_doc):
    """Nothing listening at the PostgreSQL URL: the service starts and plans; the 503 names the server, never the password."""
    url = f"postgresql+psycopg://maas:s3cret-pw@127.0.0.1:{free_port()}/maas"
    with serve(make_state(url)) as client:
        assert_visitors_served(client, trial_doc)
        assert_down(client, "postgresql+psycopg://maas:***@127.0.0.1")
        for response in (client.get("/v1/scenarios"), client.get("/healthz"), client.post("/v1/scenarios", json={"name": "v", "scenario": trial_doc})):
            assert "s3cret-pw" not in response.text


def test_retries_are_spaced_with_a_growing_pause(tmp_path, monkeypatch):
    """While the database is down, one attempt per pause (doubling up to retry_max); then it is used at once."""
    now = [0.0]
    monkeypatch.setattr(api.store, "time", SimpleNamespace(monotonic=lambda: now[0]))
    db = tmp_path / "s.sqlite"
    db.write_bytes(os.urandom(8192))
    store = ScenarioStore(f"sqlite:///{db}", retry_first=10.0, retry_max=25.0)
    assert "file is not a database" in store.health()  # attempt 1 fails: next in 10 s
    db.unlink()  # the database is repaired, but the store does not look before its pause is over
    now[0] = 9.0
    with pytest.raises(StoreUnavailable, match="file is not a database") as caught:
        store.list()
    assert caught.value.retry_after == 1 and caught.value.status == 503
    now[0] = 10.0
    assert store.health() is None and store.list() == []

    db.write_bytes(os.urandom(8192))
    broken = ScenarioStore(f"sqlite:///{tmp_path / 's.sqlite'}", retry_first=10.0, retry_max=25.0)
    pauses = []
    for _ in range(4):
        with pytest.raises(StoreUnavailable) as caught:
            broken.list()
        pauses.append(caught.value.retry_after)
        now[0] += caught.value.retry_after
    assert pauses == [10, 20, 25, 25]


# --- a database lost and found while the service runs -----------------------------------------------------


def test_postgresql_restart_while_serving(postgres_server: PostgresServer, make_state, trial_doc):
    """Stopped: 503, healthz degraded, writes change nothing; started again: used again, data intact, not seeded twice."""
    state = make_state(postgres_server.url, retrying_store(postgres_server.url))
    with serve(state) as client:
        assert names(client) == [TRIAL]
        r = client.post("/v1/scenarios", json={"name": "variant", "scenario": trial_doc})
        assert r.status_code == 201, r.text
        saved = r.json()
        try:
            postgres_server.stop()
            assert_down(client, "127.0.0.1")
            assert_visitors_served(client, trial_doc)
            changed = copy.deepcopy(trial_doc)
            changed["fleet"]["seats"] = 40
            assert_store_refused(client.put(f"/v1/scenarios/{saved['id']}", json={"name": "changed", "scenario": changed}), "nothing was changed")
            assert_store_refused(client.delete(f"/v1/scenarios/{saved['id']}"), "nothing was changed")
            assert_store_refused(client.post("/v1/scenarios", json={"name": "lost", "scenario": trial_doc}), "nothing was changed")
        finally:
            postgres_server.start()
        wait_until(lambda: client.get("/healthz").json()["status"] == "ok", "healthz ok after the restart")
        assert_up(client)
        assert names(client) == sorted([TRIAL, "variant"])
        kept = client.get(f"/v1/scenarios/{saved['id']}").json()
        assert kept == saved


def test_database_started_after_the_service_is_seeded_once(postgres_server: PostgresServer, make_state):
    """The service starts before its database: degraded; once the database answers, the built-in trial is stored, once."""
    admin = create_engine(postgres_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text("CREATE DATABASE later"))
    admin.dispose()
    url = postgres_server.url.rsplit("/", 1)[0] + "/later"
    postgres_server.stop()
    try:
        state = make_state(url, retrying_store(url))
        state.store.health()  # what open_store does at start-up
        with serve(state) as client:
            assert_down(client, "127.0.0.1")
            postgres_server.start()
            wait_until(lambda: client.get("/healthz").json()["status"] == "ok", "healthz ok once the database is started")
            assert names(client) == [TRIAL]
            r = client.delete(f"/v1/scenarios/{client.get('/v1/scenarios').json()['scenarios'][0]['id']}")
            assert r.status_code == 204
            postgres_server.stop()
            assert_down(client)
            postgres_server.start()
            wait_until(lambda: client.get("/healthz").json()["status"] == "ok", "healthz ok after the restart")
            assert names(client) == []  # seeded once: a planner's deletion is not undone by a restart
    finally:
        if not postgres_server.running:
            postgres_server.start()


# --- writes the database refuses -----------------------------------------------------------------------------


def _saved(client: TestClient, trial_doc: dict) -> dict:
    r = client.post("/v1/scenarios", json={"name": "variant", "scenario": trial_doc})
    assert r.status_code == 201, r.text
    return r.json()


def _assert_write_refused_and_unchanged(client: TestClient, saved: dict, trial_doc: dict, words: tuple[str, ...], status: int = 503) -> None:
    changed = copy.deepcopy(trial_doc)
    changed["fleet"]["seats"] = 40
    url = f"/v1/scenarios/{saved['id']}"
    assert_store_refused(client.put(url, json={"name": "changed", "scenario": changed, "version": 1}), "nothing was changed", *words, status=status)
    assert client.get(url).json() == saved
    assert_store_refused(client.delete(url), "nothing was changed", *words, status=status)
    assert client.get(url).json() == saved


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write files without write permission")
def test_read_only_sqlite_file_refuses_writes_with_503(tmp_path, make_state, trial_doc):
    """The SQLite file made read-only (real chmod): writes are 503 and change nothing; reads go on."""
    db = tmp_path / "scenarios.sqlite"
    state = make_state(f"sqlite:///{db}")
    with serve(state) as client:
        saved = _saved(client, trial_doc)
        db.chmod(0o444)
        try:
            state.store.engine.dispose()  # open connections keep their write access: reconnect
            _assert_write_refused_and_unchanged(client, saved, trial_doc, ("readonly",))
        finally:
            db.chmod(0o644)


def test_read_only_database_refuses_writes_with_503(tmp_path, make_state, trial_doc):
    """A database opened read-only (SQLite mode=ro, effective for root too): writes are 503 and change nothing."""
    db = tmp_path / "scenarios.sqlite"
    with serve(make_state(f"sqlite:///{db}")) as client:
        saved = _saved(client, trial_doc)
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    with serve(make_state(read_only)) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        _assert_write_refused_and_unchanged(client, saved, trial_doc, ("readonly",))


def test_full_disk_refuses_writes_with_507(tmp_path, make_state, trial_doc):
    """No room left (SQLite's page limit reached: SQLITE_FULL): a write is 507 and changes nothing."""
    db = tmp_path / "scenarios.sqlite"
    state = make_state(f"sqlite:///{db}")
    with serve(state) as client:
        saved = _saved(client, trial_doc)
        engine = state.store.engine

        @event.listens_for(engine, "connect")
        def no_room(dbapi_connection, _record) -> None:
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        engine.dispose()
        r = client.post("/v1/scenarios", json={"name": "no room", "scenario": trial_doc})  # needs pages of its own
        assert_store_refused(r, "the database is full", "nothing was changed", status=507)
        assert names(client) == sorted([TRIAL, "variant"])
        assert client.get(f"/v1/scenarios/{saved['id']}").json() == saved


def test_store_errors_carry_their_status():
    """StoreFull is a StoreUnavailable (507); both are StoreErrors, so callers that catch StoreError still do."""
    assert StoreFull("full").status == 507 and StoreUnavailable("down").status == 503
    assert StoreUnavailable("down", retry_after=0).retry_after == 1


def test_seeding_file_is_present():
    """The built-in scenario the store seeds exists (else the seeding tests would pass vacuously)."""
    assert Path(data_root() / BUILT_IN[TRIAL]).exists()
