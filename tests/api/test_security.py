"""Who may do what, what every response carries, and heavy work that cannot starve journeys.

Planners' endpoints (saved scenarios, shuttle optimisation) × {no key, wrong key,
right key} and {loopback, other} clients; visitors' endpoints stay open; security
headers; the body limit; the bounded heavy pool and the per-client rate limit.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.security import client_address, key_matches
from api.settings import Settings, parse_networks, read_keys
from maas.errors import InputError
from tests.conftest import LOOPBACK

KEY = "planner-key-0123456789abcdef"
OTHER = ("203.0.113.7", 40000)  # a visitor somewhere on the internet (TEST-NET-3)


@contextmanager
def service(service_state, client: tuple[str, int] = LOOPBACK, **settings: object) -> Iterator[TestClient]:
    """The service on the shared network with other settings, seen from ``client``."""
    state = dataclasses.replace(service_state, settings=dataclasses.replace(service_state.settings, **settings))
    with TestClient(create_app(state=state), raise_server_exceptions=False, client=client) as c:
        yield c


def saved_id(service_state) -> str:
    return service_state.store.list()[0].id


def protected(sid: str) -> list[tuple[str, str, dict | None]]:
    """Every planners' endpoint with a request that is cheap once it passes the gate."""
    doc = {"name": "x", "scenario": {"name": "x"}}
    return [
        ("GET", "/v1/scenarios", None),
        ("POST", "/v1/scenarios", doc),
        ("GET", f"/v1/scenarios/{sid}", None),
        ("PUT", "/v1/scenarios/no-such-id", doc),
        ("DELETE", "/v1/scenarios/no-such-id", None),
        ("GET", "/v1/scenarios/no-such-id/evaluation", None),
        ("POST", "/v1/shuttle/optimize", {"name": "incomplete"}),
    ]


def call(c: TestClient, method: str, path: str, body: dict | None, key: str | None = None):
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return c.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("key, status", [(None, 401), ("wrong-key-but-long-enough", 401), (KEY, None)])
def test_planners_endpoints_need_the_key(service_state, key, status):
    """With keys set, every planners' endpoint wants the bearer key, from any client; 401 says how."""
    for client in (LOOPBACK, OTHER):
        with service(service_state, client, api_keys=(KEY,)) as c:
            for method, path, body in protected(saved_id(service_state)):
                r = call(c, method, path, body, key)
                where = f"{method} {path} from {client[0]} with key {key!r}"
                if status is None:
                    assert r.status_code not in (401, 403), f"{where}: {r.text}"
                    assert r.status_code < 500, f"{where}: {r.text}"
                else:
                    assert r.status_code == status, f"{where}: {r.status_code} {r.text}"
                    assert r.headers["www-authenticate"].startswith("Bearer")
                    error = r.json()["error"]
                    assert error["field"] == "Authorization"
                    assert ("not valid" if key else "Bearer <key>") in error["message"]
                    assert KEY not in r.text and (key is None or key not in r.text)


def test_without_keys_planners_endpoints_answer_loopback_only(service_state):
    """No key configured: this machine may use them (a laptop); anyone else gets 403 saying how to set keys."""
    sid = saved_id(service_state)
    with service(service_state, LOOPBACK) as local, service(service_state, OTHER) as remote:
        for method, path, body in protected(sid):
            assert call(local, method, path, body).status_code not in (401, 403), f"{method} {path} from loopback"
            r = call(remote, method, path, body)
            assert r.status_code == 403, f"{method} {path} from elsewhere: {r.status_code}"
            assert "MAAS_API_KEYS" in r.json()["error"]["message"]
        assert local.get(f"/v1/scenarios/{sid}").json()["id"] == sid


def test_visitors_endpoints_stay_open(service_state):
    """Journeys, reach, tours, stops, routes, POIs, departures, health and evaluation of a posted document need no key."""
    with service(service_state, OTHER, api_keys=(KEY,)) as c:
        for path in ("/healthz", "/v1/stops", "/v1/routes", "/v1/pois", "/", "/docs", "/openapi.json"):
            assert c.get(path).status_code == 200, path
        assert c.get("/v1/stops/shinyamaguchi/departures", params={"date": "2026-12-01", "time": "08:00"}).status_code == 200
        r = c.get("/v1/journeys", params={"from": "Shin-Yamaguchi", "to": "Yamaguchi", "date": "2026-12-01", "depart": "08:00"})
        assert r.status_code == 200 and r.json()["journeys"]
        assert c.get("/v1/reach", params={"from": "Shin-Yamaguchi", "date": "2026-12-01", "depart": "08:00", "minutes": 30}).status_code == 200
        # Bad documents are refused for what they are (400/422), not for who sent them.
        assert c.post("/v1/shuttle/evaluate", json={"name": "incomplete"}).status_code == 400
        assert c.post("/v1/tours", json={"start": "Shin-Yamaguchi"}).status_code == 422


def test_forwarded_addresses_only_from_trusted_proxies(service_state):
    """X-Forwarded-For from an untrusted peer is ignored; from a named proxy it names the client."""
    spoof = {"X-Forwarded-For": "127.0.0.1"}
    with service(service_state, OTHER) as c:
        assert c.get("/v1/scenarios", headers=spoof).status_code == 403
    proxies = parse_networks("127.0.0.0/8", "MAAS_TRUSTED_PROXIES")
    with service(service_state, LOOPBACK, trusted_proxies=proxies) as c:
        assert c.get("/v1/scenarios", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403
        assert c.get("/v1/scenarios", headers={"X-Forwarded-For": "203.0.113.9, 127.0.0.1"}).status_code == 403
        assert c.get("/v1/scenarios").status_code == 200  # the proxy's own request, on this machine


def test_client_address_takes_the_last_untrusted_hop():
    class Req:
        def __init__(self, peer: str, xff: str) -> None:
            self.client = type("C", (), {"host": peer})()
            self.headers = {"x-forwarded-for": xff}

    s = Settings(trusted_proxies=parse_networks("10.0.0.0/8", "x"))
    assert client_address(Req("10.1.1.1", "198.51.100.1, 203.0.113.5, 10.2.2.2"), s) == "203.0.113.5"
    assert client_address(Req("198.51.100.9", "127.0.0.1"), s) == "198.51.100.9"
    assert client_address(Req("10.1.1.1", ""), s) == "10.1.1.1"


def test_keys_from_settings(tmp_path, monkeypatch):
    """MAAS_API_KEYS and MAAS_API_KEYS_FILE are merged; short keys and unreadable files are refused by name."""
    file = tmp_path / "keys"
    file.write_text("# planners\nfile-key-0123456789abcdef\n\n", encoding="utf-8")
    assert read_keys(f"{KEY}, ", str(file)) == (KEY, "file-key-0123456789abcdef")
    with pytest.raises(InputError, match="MAAS_API_KEYS"):
        read_keys("short", "")
    with pytest.raises(InputError, match="MAAS_API_KEYS_FILE"):
        read_keys("", str(tmp_path / "missing"))
    monkeypatch.setenv("MAAS_API_KEYS", KEY)
    monkeypatch.setenv("MAAS_HEAVY_WORKERS", "two")
    with pytest.raises(InputError, match="MAAS_HEAVY_WORKERS"):
        Settings.from_env()
    monkeypatch.setenv("MAAS_HEAVY_WORKERS", "2")
    assert Settings.from_env().api_keys == (KEY,) and Settings.from_env().heavy_workers == 2


def test_key_comparison():
    assert key_matches(KEY, ("another-key-0123456789", KEY))
    assert not key_matches(KEY[:-1], (KEY,)) and not key_matches("", (KEY,)) and not key_matches(KEY, ())


# --- headers and limits -------------------------------------------------------------------------------


def test_security_headers_everywhere(client):
    """The map, the API, static files and errors all carry the CSP (no inline script) and the other headers."""
    for path in ("/", "/app.js", "/vendor/leaflet/leaflet.js", "/v1/stops", "/healthz", "/v1/journeys", "/no-such-file"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp, path
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "no-referrer", path
        assert r.headers["x-frame-options"] == "DENY", path
    docs = client.get("/docs")
    assert docs.status_code == 200 and "frame-ancestors 'none'" in docs.headers["content-security-policy"]


def test_large_bodies_get_413(service_state):
    """Over the limit: 413 JSON, whether the length is announced or the body is streamed."""
    with service(service_state, max_body_bytes=10_000) as c:
        big = {"start": "x" * 20_000}
        r = c.post("/v1/tours", json=big)
        assert r.status_code == 413 and r.json()["error"]["field"] == "body"
        assert "MAAS_MAX_BODY_BYTES" in r.json()["error"]["message"]
        streamed = c.post("/v1/tours", content=(b"x" * 4000 for _ in range(5)), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert c.post("/v1/tours", json={"start": "Shin-Yamaguchi"}).status_code == 422  # small bodies pass


def test_scenario_documents_are_bounded(client):
    """A scenario with more runs than allowed is refused naming the field; nothing is stored."""
    sid = saved_id_of(client)
    doc = client.get(f"/v1/scenarios/{sid}").json()["scenario"]
    run = doc["runs"][0]
    doc["runs"] = [{**run, "id": f"r{i}"} for i in range(301)]
    before = len(client.get("/v1/scenarios").json()["scenarios"])
    r = client.post("/v1/scenarios", json={"name": "too many runs", "scenario": doc})
    assert r.status_code == 400 and r.json()["error"]["field"] == "runs", r.text
    assert "300" in r.json()["error"]["message"]
    assert len(client.get("/v1/scenarios").json()["scenarios"]) == before


def saved_id_of(client: TestClient) -> str:
    return next(s["id"] for s in client.get("/v1/scenarios").json()["scenarios"] if s["name"].startswith("trial"))


# --- heavy work ---------------------------------------------------------------------------------------


def hold_until(_state: object, release: str) -> str:
    """A heavy job that holds its slot until the file ``release`` exists (bounded: 60 s)."""
    deadline = time.monotonic() + 60
    while not Path(release).exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return "released"


def test_heavy_requests_beyond_the_pool_are_refused_while_journeys_answer(service_state, tmp_path):
    """With the one heavy slot taken, a tour waits at most MAAS_HEAVY_WAIT and gets 503 + Retry-After; journeys answer meanwhile."""
    release = tmp_path / "release"
    with service(service_state, heavy_workers=1, heavy_wait_s=0.3) as c:
        pool = c.app.state.heavy
        held: list[str] = []
        holder = threading.Thread(target=lambda: held.append(c.portal.call(lambda: pool.run("holder", hold_until, str(release), deadline_s=60))))
        holder.start()
        try:
            _wait_for(lambda: pool.slots.locked(), "the heavy slot to be taken")
            r = c.post("/v1/tours", json={"start": "Shin-Yamaguchi", "date": "2026-12-05", "from": "09:00", "until": "12:00"})
            assert r.status_code == 503, r.text
            assert int(r.headers["retry-after"]) >= 1 and "busy" in r.json()["error"]["message"]
            for _ in range(3):
                j = c.get("/v1/journeys", params={"from": "Shin-Yamaguchi", "to": "Ajisu", "date": "2026-12-01", "depart": "07:00"})
                assert j.status_code == 200 and j.json()["journeys"]
        finally:
            release.touch()
            holder.join(timeout=90)
        assert held == ["released"]
        # The slot is free again: the same tour is answered.
        r = c.post("/v1/tours", json={"start": "Shin-Yamaguchi", "date": "2026-12-05", "from": "09:00", "until": "12:00"}, params={"time_limit": 0.5})
        assert r.status_code == 200, r.text


def test_heavy_requests_are_rate_limited_per_client(service_state):
    """Past MAAS_HEAVY_RATE_LIMIT a client gets 429 with Retry-After; another client is not affected."""
    bad = {"name": "incomplete"}
    with service(service_state, LOOPBACK, heavy_rate_limit="2/minute") as c:
        assert [c.post("/v1/shuttle/evaluate", json=bad).status_code for _ in range(2)] == [400, 400]
        r = c.post("/v1/shuttle/evaluate", json=bad)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert "2/minute" in r.json()["error"]["message"]
        assert c.get("/v1/journeys", params={"from": "Shin-Yamaguchi", "to": "Ajisu", "date": "2026-12-01", "depart": "07:00"}).status_code == 200


def _wait_for(condition, what: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)
