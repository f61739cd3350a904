"""Property-based fuzzing of the OpenAPI schema with schemathesis: no request gives a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from api.main import create_app


def test_no_server_errors(service_state):
    """For every operation of the OpenAPI schema, whatever the fuzzer sends, the answer is not a 5xx."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(state=service_state))
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        checked.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            response = case.call()
            assert response.status_code < 500, f"{case.method} {case.path} {case.query} {case.body} -> {response.status_code}: {response.text[:300]}"

        call()
    assert "GET /v1/journeys" in checked and "POST /v1/tours" in checked
