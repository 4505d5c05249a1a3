"""Hostile JSON bodies on every API operation that takes one: each property of the body,
beside the document's example values for the others, is sent values of its type an attacker
tries first (integers past 64 bits, NaN and 1e308, NUL and a lone surrogate, 100,000
characters, dates at the calendar's ends, the wrong type, null), plus bodies that are not
objects at all. None may give a server error."""

from __future__ import annotations

import json
import re
from typing import Any

from notary.cases.rules import CaseStatus
from notary.core.permissions import Role
from tests.cases.samples import advance
from tests.factories import create_staff, register_case
from tests.fees.helpers import seed_example_tariff

HOSTILE: dict[str, list[Any]] = {
    "integer": [2**70, -2**70, 2**31, 0, -1, 1.5, "1", None, True],
    "number": [1e308, -1e308, "NaN", 1e-320, None, "x"],
    "string": ["\x00", "\ud800", "a" * 100_000, "", None, 12, "0001-01-01", "9999-12-31",
               "𠮷\U0010ffff", "=HYPERLINK(1)"],
    "boolean": ["yes", 2, None],
    "array": [[None] * 3, "x", [2**70]],
    "object": ["x", [], None],
}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _bodies(spec: dict[str, Any], operation: dict[str, Any]) -> list[Any]:
    schema = _resolve(spec, operation["requestBody"]["content"]["application/json"]["schema"])
    properties = {k: _resolve(spec, v) for k, v in schema.get("properties", {}).items()}
    base = {k: v.get("example", v.get("default")) for k, v in properties.items()}
    base = {k: v for k, v in base.items() if v is not None}
    bodies: list[Any] = [base, [], "x", None, 2**70]
    for name, prop in properties.items():
        kind = prop.get("type", "string")
        kind = kind[0] if isinstance(kind, list) else kind
        bodies += [{**base, name: value} for value in HOSTILE.get(kind, HOSTILE["string"])]
    return bodies


def test_no_hostile_body_gives_a_server_error(app, token_for) -> None:
    app.config["API_RATE_LIMIT"] = "100000 per minute"
    seed_example_tariff()
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    register_case(desk)
    advance(register_case(desk, matters=("declaration",)), CaseStatus.UNDER_REVIEW,
            notary=notary, director=director)  # case 2: accepted, so steps and fees apply
    headers = {**token_for(director), "Content-Type": "application/json"}
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json", headers=headers).get_json()
    errors, operations, tried = [], 0, 0
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if "requestBody" not in operation:
                continue
            operations += 1
            url = re.sub(r"\{[^}]+\}", "1", path.replace("{case_id}", "2"))
            for body in _bodies(spec, operation):
                tried += 1
                response = client.open(url, method=method.upper(), data=json.dumps(body),
                                       headers=headers)
                if response.status_code >= 500:
                    errors.append((method, url, json.dumps(body)[:100], response.status_code))
    print(f"hostile bodies: {operations} operations, {tried} bodies, {len(errors)} server errors")
    assert operations >= 15 and tried > 1000
    assert errors == []
