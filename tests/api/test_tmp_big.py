"""A property-based run of the whole OpenAPI document (schemathesis): for generated requests
to every operation, no server error and no response that breaks the document."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
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

EXAMPLES_PER_OPERATION = 100
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
