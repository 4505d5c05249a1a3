"""A property-based run of the whole OpenAPI document (schemathesis): for generated requests
to every operation, no server error and no response that breaks the document."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from notary.cases.rules import CaseStatus
from notary.core.permissions import Role
from tests.cases.samples import advance
from tests.factories import create_staff, register_case
from tests.fees.helpers import seed_example_tariff

EXAMPLES_PER_OPERATION = 15
NEGATIVE_EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def test_every_operation_answers_as_the_document_says(app, token_for):
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    seed_example_tariff()
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    # A few real records, so small generated ids find something (ids start at 1).
    register_case(desk)
    advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
            notary=notary, director=director)
    headers = token_for(director)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  derandomize=True, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        check()


def query_parameters(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(operationId, name, schema) of every query parameter in the document."""
    return [(op["operationId"], p["name"], p["schema"])
            for ops in spec["paths"].values() for op in ops.values()
            for p in op.get("parameters", []) if p["in"] == "query"]


def test_every_query_parameter_is_declared_with_a_type_and_bounds(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    declared = query_parameters(spec)
    unbounded = []
    for operation, name, schema in declared:
        if "enum" in schema:
            continue
        bounded = {"integer": {"minimum", "maximum"}, "string": {"maxLength"}}.get(
            schema.get("type"), {"?"})
        if schema.get("format") == "date":  # ISO dates: the range is in the description
            bounded, schema = set(), {"ok": True}
        if not bounded <= set(schema):
            unbounded.append((operation, name, schema))
    assert unbounded == []
    assert {(o, n) for o, n, _s in declared} >= {
        ("list_cases", "date_from"), ("list_cases", "matter_id"), ("list_cases", "q"),
        ("list_consultations", "taken_by_id"), ("statistics_report", "from"),
        ("list_parties", "limit")}


def test_invalid_query_parameters_are_refused_never_a_server_error(app, token_for):
    """Negative generation (values that break the document: wrong types, out of bounds) on
    every read with query parameters: each answers 4xx, with a problem document."""
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    headers = token_for(create_staff(Role.DIRECTOR))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    reads = [op for op in operations if op.method.upper() == "GET"
             and any(p.location == "query" for p in op.iter_parameters())]
    assert len(reads) >= 5
    statuses: set[int] = set()
    for operation in reads:

        @settings(max_examples=NEGATIVE_EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  derandomize=True, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        def check(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error,
                                                     content_type_conformance])
            statuses.add(response.status_code)

        check()
    assert statuses and all(s < 500 for s in statuses)
    assert 400 in statuses
