"""API fixtures: a bearer token per role, and the OpenAPI document's paths by operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from notary.core.permissions import Role


@pytest.fixture
def token_for(app: Flask) -> Callable[..., dict[str, str]]:
    """Authorization headers of a new token for a new user of the role (or a given user)."""
    from notary.api.services import create_token
    from tests.factories import create_staff

    def _token(who: Role | Any) -> dict[str, str]:
        user = create_staff(who) if isinstance(who, Role) else who
        new = create_token(user, "test script", actor=user)
        return {"Authorization": f"Bearer {new.secret}"}

    return _token


@pytest.fixture
def api_path(client: Any) -> Callable[..., tuple[str, str]]:
    """(method, path) of an operation, looked up by operationId in /api/v1/openapi.json."""
    spec = client.get("/api/v1/openapi.json").get_json()

    def _path(operation_id: str, **params: Any) -> tuple[str, str]:
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                if operation.get("operationId") == operation_id:
                    return method.upper(), path.format(**params)
        raise KeyError(operation_id)

    return _path
