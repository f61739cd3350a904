"""Property-based fuzzing of the OpenAPI schema with schemathesis: no request gives a 5xx, every answer matches its schema."""

from __future__ import annotations

import dataclasses

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance, status_code_conformance

from api.main import create_app
from tests.api.test_openapi import api_operations

#: A planner's key, so that the planners' endpoints are fuzzed past the gate too (not only answered 401/403).
KEY = "fuzz-planner-key-0123456789abcdef"
#: Not a 5xx; a documented status and content type; a body that matches the response schema of that status.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_fuzzed_answers_conform(service_state):
    """For every operation of the OpenAPI schema, whatever the fuzzer sends, the answer passes :data:`CHECKS`.

    Successful answers are checked against the response models, errors against
    the error document; every operation of the service is fuzzed.  A failure prints the
    falsifying request and a ``@reproduce_failure`` blob (the example database is off, so
    that runs stay independent).
    """
    state = dataclasses.replace(service_state, settings=dataclasses.replace(service_state.settings, api_keys=(KEY,)))
    app = create_app(state=state)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        checked.add(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy(headers={"Authorization": f"Bearer {KEY}"}))
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None, print_blob=True)
        def call(case):
            case.validate_response(case.call(), checks=CHECKS)

        call()
    assert checked == api_operations(app) and "GET /v1/journeys" in checked and "POST /v1/tours" in checked
