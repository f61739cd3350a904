"""The OpenAPI document describes every answer: a response schema per route, the error document, real answers that match.

The response models (:mod:`api.models`) must let the library's documents
through unchanged: the answers are checked against the schema, and a few
against the library's own document, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any, get_args

import fastapi.routing
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.routing import APIRoute

from api.main import create_app
from api.models.catalog import StopProperties
from api.models.journeys import RideMode
from api.models.service import FeedKind
from api.scenario_docs import evaluation_document
from maas.feeds.catalog import KINDS, UNKNOWN_KIND
from maas.feeds.romaji import NAME_SOURCES
from maas.routing.answer import journeys_document
from maas.routing.params import MODES
from maas.routing.planner import JourneyQuery
from maas.routing.reach import reach
from maas.when import parse_clock

J = {"from": "Shin-Yamaguchi", "to": "Ajisu", "date": "2026-12-01", "depart": "07:00"}


def api_routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every ``(path, route)`` the app serves, looking through included routers (FastAPI ≥ 0.160 keeps them whole)."""
    contexts = getattr(fastapi.routing, "iter_route_contexts", None)
    pairs = [(c.path, c.original_route) for c in contexts(app.routes)] if contexts else [(getattr(r, "path", ""), r) for r in app.routes]
    return [(path, route) for path, route in pairs if isinstance(route, APIRoute)]


def api_operations(app: FastAPI) -> set[str]:
    """``"METHOD /path"`` of every operation of the service (``/v1`` and ``/healthz``)."""
    return {f"{m} {path}" for path, route in api_routes(app) if path.startswith(("/v1/", "/healthz")) for m in route.methods or ()}


@pytest.fixture(scope="module")
def spec(service_state) -> dict:
    return create_app(state=service_state).openapi()


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _empty_schemas(spec: dict, schema: Any, where: str, seen: set[str]) -> Iterator[str]:
    """Where, under ``schema``, a schema says nothing (``{}``: any value at all)."""
    if not isinstance(schema, dict):
        return
    if not schema:
        yield where
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name not in seen:
            seen.add(name)
            yield from _empty_schemas(spec, spec["components"]["schemas"][name], name, seen)
        return
    for key in ("items", "additionalProperties"):
        yield from _empty_schemas(spec, schema.get(key), f"{where}.{key}", seen)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for i, sub in enumerate(schema.get(key, ())):
            yield from _empty_schemas(spec, sub, f"{where}.{key}[{i}]", seen)
    for name, sub in schema.get("properties", {}).items():
        if name != "scenario":  # a scenario document as sent: an object, described in scenarios/README.md
            yield from _empty_schemas(spec, sub, f"{where}.{name}", seen)


def test_every_route_has_a_response_schema(service_state, spec):
    """Each route under /v1 and /healthz documents its answer (a model, nothing left as `{}`) and the error document."""
    app = create_app(state=service_state)
    routes = [(path, route) for path, route in api_routes(app) if path.startswith(("/v1/", "/healthz"))]
    assert len(routes) >= 18
    for path, route in routes:
        for method in route.methods or ():
            op = spec["paths"][path][method.lower()]
            responses = op["responses"]
            status = str(route.status_code or 200)
            if status == "204":
                assert "content" not in responses[status], f"{method} {path}: 204 has no body"
            else:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert "$ref" in schema, f"{method} {path}: no response model ({schema})"
                assert _resolve(spec, schema).get("properties"), f"{method} {path}: the answer's schema has no properties"
                assert not list(_empty_schemas(spec, schema, f"{method} {path}", set())), f"{method} {path}: empty schemas"
            errors = {code: r for code, r in responses.items() if code[0] in "45"}
            assert {"4XX", "5XX"} <= set(errors), f"{method} {path}: errors undocumented"
            for code, r in errors.items():
                assert r["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDocument"}, f"{method} {path} {code}"
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # FastAPI's {"detail": ...}: this service never sends it


def test_enums_are_the_library_values():
    """The models' fixed sets are the library's: ride modes, feed kinds, name sources."""
    assert set(get_args(RideMode)) == MODES
    assert set(get_args(FeedKind)) == {*KINDS, UNKNOWN_KIND}
    assert set(get_args(StopProperties.model_fields["name_source"].annotation)) == set(NAME_SOURCES)


def _trial(client) -> tuple[str, dict]:
    sid = next(s["id"] for s in client.get("/v1/scenarios").json()["scenarios"] if s["name"].startswith("trial"))
    return sid, client.get(f"/v1/scenarios/{sid}").json()["scenario"]


#: name → (method, operation path, request (path parameters by name, ``params``, ``json``), expected status).
#: ``"{trial}"`` stands for the built-in trial scenario: its saved id as a path parameter, its document as a body.
REQUESTS: dict[str, tuple[str, str, dict, int]] = {
    "healthz": ("GET", "/healthz", {}, 200),
    "feeds": ("GET", "/v1/feeds", {}, 200),
    "map config": ("GET", "/v1/map-config", {}, 200),
    "stops": ("GET", "/v1/stops", {"params": {"lang": "ko"}}, 200),
    "stops, stations": ("GET", "/v1/stops", {"params": {"lang": "en", "kind": "station"}}, 200),
    "routes": ("GET", "/v1/routes", {}, 200),
    "pois": ("GET", "/v1/pois", {}, 200),
    "pois, Hagi in English": ("GET", "/v1/pois", {"params": {"municipality": "Hagi", "lang": "en"}}, 200),
    "departures": ("GET", "/v1/stops/{stop_id}/departures", {"stop_id": "st_shinyamaguchi", "params": {"date": "2026-12-01", "time": "07:00"}}, 200),
    "departures, ambiguous id": ("GET", "/v1/stops/{stop_id}/departures", {"stop_id": "ajisu"}, 409),
    "journeys": ("GET", "/v1/journeys", {"params": J}, 200),
    "journeys, arrive by": ("GET", "/v1/journeys", {"params": {"from": "Yamaguchi", "to": "Akiyoshido", "date": "2026-12-01", "arrive_by": "12:00"}}, 200),
    "journeys, window": ("GET", "/v1/journeys", {"params": {**J, "window": 120, "modes": "rail,bus", "lang": "en"}}, 200),
    "journeys, none": ("GET", "/v1/journeys", {"params": {**J, "depart": "23:50", "max_transfers": 0, "walk_radius": 0}}, 200),
    "journeys, unknown place": ("GET", "/v1/journeys", {"params": {**J, "from": "Atlantis"}}, 404),
    "journeys, bad date": ("GET", "/v1/journeys", {"params": {**J, "date": "2026-02-30"}}, 400),
    "journeys, out of range": ("GET", "/v1/journeys", {"params": {**J, "max_transfers": -1}}, 422),
    "reach": ("GET", "/v1/reach", {"params": {"from": "Yamaguchi", "date": "2026-12-01", "depart": "09:00", "minutes": 45}}, 200),
    "reach, no area": ("GET", "/v1/reach", {"params": {"from": "Yamaguchi", "date": "2026-12-01", "depart": "09:00", "minutes": 1, "walk_radius": 0}}, 200),
    "tours": (
        "POST",
        "/v1/tours",
        {"json": {"start": "Yamaguchi", "date": "2026-12-05", "from": "10:00", "until": "15:00", "interests": ["history"]}, "params": {"time_limit": 0.5}},
        200,
    ),
    "tours, unknown POI": ("POST", "/v1/tours", {"json": {"start": "Yamaguchi", "date": "2026-12-05", "must_visit": ["nowhere_at_all"]}}, 404),
    "scenarios": ("GET", "/v1/scenarios", {}, 200),
    "scenario": ("GET", "/v1/scenarios/{scenario_id}", {"scenario_id": "{trial}"}, 200),
    "scenario evaluation": ("GET", "/v1/scenarios/{scenario_id}/evaluation", {"scenario_id": "{trial}"}, 200),
    "scenario, unknown": ("GET", "/v1/scenarios/{scenario_id}", {"scenario_id": "no-such-id"}, 404),
    "evaluate": ("POST", "/v1/shuttle/evaluate", {"json": "{trial}"}, 200),
    "evaluate, feed outside": ("POST", "/v1/shuttle/evaluate", {"json": {"rail_feeds": ["/etc"]}}, 400),
}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_real_answers_match_the_schema(client, name):
    """Real answers on the default data, successes and errors, match the OpenAPI schema of their status."""
    schema = schemathesis.openapi.from_dict(client.app.openapi())
    method, path, request, status = REQUESTS[name]
    sid, trial = _trial(client)
    kwargs = {k: v for k, v in request.items() if k in ("params", "json")}
    if kwargs.get("json") == "{trial}":
        kwargs["json"] = trial
    elif isinstance(kwargs.get("json"), dict) and "rail_feeds" in kwargs["json"]:
        kwargs["json"] = {**trial, **kwargs["json"]}  # the trial with one thing wrong
    url = path.format(**{k: sid if v == "{trial}" else v for k, v in request.items() if k not in kwargs})
    r = client.request(method, url, **kwargs)
    assert r.status_code == status, r.text[:500]
    assert schema[path][method].is_valid_response(r), schema[path][method].validate_response(r)


def test_saved_scenario_lifecycle_matches_the_schema(client):
    """Create (201), replace, stale replace (400), delete (204) and delete again (404): each answer matches its schema."""
    schema = schemathesis.openapi.from_dict(client.app.openapi())
    _, trial = _trial(client)
    created = client.post("/v1/scenarios", json={"name": "schema check", "scenario": trial})
    sid = created.json()["id"]
    answers = [
        ("POST", "/v1/scenarios", created, 201),
        ("PUT", "/v1/scenarios/{scenario_id}", client.put(f"/v1/scenarios/{sid}", json={"name": "schema check 2", "scenario": trial, "version": 1}), 200),
        ("PUT", "/v1/scenarios/{scenario_id}", client.put(f"/v1/scenarios/{sid}", json={"name": "stale", "scenario": trial, "version": 1}), 400),
        ("DELETE", "/v1/scenarios/{scenario_id}", client.delete(f"/v1/scenarios/{sid}"), 204),
        ("DELETE", "/v1/scenarios/{scenario_id}", client.delete(f"/v1/scenarios/{sid}"), 404),
    ]
    for method, path, r, status in answers:
        assert r.status_code == status, (method, r.text[:300])
        schema[path][method].validate_response(r)


@pytest.mark.slow
def test_optimize_answer_matches_the_schema(client):
    """The optimiser's proposal (re-evaluated end to end) matches its schema."""
    schema = schemathesis.openapi.from_dict(client.app.openapi())
    _, trial = _trial(client)
    r = client.post("/v1/shuttle/optimize", json=trial, params={"time_limit": 5})
    assert r.status_code == 200, r.text[:500]
    schema["/v1/shuttle/optimize"]["POST"].validate_response(r)


def _compact(doc: dict) -> bytes:
    """``doc`` written by the standard library's json: compact, UTF-8 (as the service wrote it before it had models)."""
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode()


def test_answers_are_the_library_documents_byte_for_byte(client, service_state):
    """The answers are the library's documents: not a key, not its order, not ``0`` into ``0.0`` changed.

    Each answer is compared with the document the library builds for the same
    request (journeys, reach and the map's layers are sent without a check on the
    way out, :func:`api.models.unchecked_json`; the evaluation is checked).
    """
    state = service_state
    places = state.places
    q = JourneyQuery(places.resolve("Yamaguchi", "from"), places.resolve("Tsuwano", "to"), dt.date(2026, 12, 5), parse_clock("09:00"), window_s=180 * 60)
    expected = {
        "journeys": (
            client.get("/v1/journeys", params={"from": "Yamaguchi", "to": "Tsuwano", "date": "2026-12-05", "depart": "09:00", "window": 180, "lang": "en"}),
            journeys_document(q, state.planner.plan(q), "en"),
        ),
        "reach": (
            client.get("/v1/reach", params={"from": "Yamaguchi", "date": "2026-12-01", "depart": "09:00", "minutes": 45}),
            reach(state.planner, places.resolve("Yamaguchi", "from"), dt.date(2026, 12, 1), parse_clock("09:00"), 45).to_geojson(),
        ),
    }
    _, trial = _trial(client)
    expected["evaluation"] = (client.post("/v1/shuttle/evaluate", json=trial), evaluation_document(trial))
    for name, (answer, document) in expected.items():
        assert answer.status_code == 200, (name, answer.text[:300])
        assert answer.content == _compact(document), name


def test_a_run_after_midnight_is_answered(client):
    """A run leaving at 00:10: its diagram period starts before midnight (``-1:30``), and the answer still matches its schema."""
    schema = schemathesis.openapi.from_dict(client.app.openapi())
    _, trial = _trial(client)
    run = trial["runs"][0]
    first = parse_clock(run["calls"][0]["time"]) // 60
    for call in run["calls"]:
        minute = parse_clock(call["time"]) // 60 - first + 10
        call["time"] = f"{minute // 60:02d}:{minute % 60:02d}"
    r = client.post("/v1/shuttle/evaluate", json=trial)
    assert r.status_code == 200, r.text[:500]
    assert r.json()["diagram"]["periods"][0]["start"] == "-1:30"
    schema["/v1/shuttle/evaluate"]["POST"].validate_response(r)


def test_many_journeys_answers_are_what_their_model_would_write(client):
    """Journeys and reach answers are sent unchecked (for speed): their model holds every one of 40 real answers.

    Varied queries (languages, arrive-by, windows, modes, fewer transfers, a position); each answer is validated
    by the route's response model (every key known, ints kept ints) and written back by it unchanged.
    """
    from api.models import JourneysDocument, ReachCollection

    pairs = [("Shin-Yamaguchi", "Ajisu"), ("Yamaguchi", "Tsuwano"), ("Ube", "Shin-Yamaguchi"), ("Hofu", "Ube-Shinkawa"), ("34.1570,131.4570", "Akiyoshido")]
    langs = [None, "en", "ko", "zh-Hant"]
    checked = 0
    for i in range(40):
        a, b = pairs[i % len(pairs)]
        params: dict[str, Any] = {"from": a, "to": b, "date": "2026-12-01"}
        params["arrive_by" if i % 3 == 0 else "depart"] = f"{7 + i % 12:02d}:{15 * (i % 4):02d}"
        if langs[i % 4]:
            params["lang"] = langs[i % 4]
        if i % 5 == 0 and "depart" in params:
            params["window"] = 60
        if i % 7 == 0:
            params.update(modes="rail,bus", max_transfers=1)
        r = client.get("/v1/journeys", params=params)
        assert r.status_code == 200, (params, r.text[:300])
        model = JourneysDocument.model_validate(r.json())
        assert json.loads(model.model_dump_json(by_alias=True, exclude_unset=True)) == r.json(), params
        checked += bool(r.json()["journeys"])
    assert checked >= 20  # most of them found journeys: legs, stops and geometry were checked
    r = client.get("/v1/reach", params={"from": "Hofu", "date": "2026-12-01", "depart": "08:00", "minutes": 40, "lang": "en"})
    assert r.status_code == 200
    assert json.loads(ReachCollection.model_validate(r.json()).model_dump_json(by_alias=True, exclude_unset=True)) == r.json()
