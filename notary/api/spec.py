"""The OpenAPI 3.1 document, generated with apispec from the endpoints' declarations."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from notary.api.core import OPERATIONS, Operation
from notary.api.schemas import MAX_ID, ProblemSchema

_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<args>[^)]*)\))?:)?(?P<name>\w+)>")
ERROR_TEXT = {
    400: "The request is malformed (body not JSON, bad Idempotency-Key) or a parameter is "
         "invalid (`errors` names it).",
    401: "No valid API token (missing, unknown, revoked or expired; or the account is off).",
    403: "The token's role, or a rule about this record, does not allow it.",
    404: "No such record.",
    409: "A rule of the procedure refuses it now (the message says which); or a request "
         "with the same Idempotency-Key is still running.",
    412: "If-Match names an older version: nothing was changed.",
    415: "The body must be application/json.",
    422: "Invalid fields: `errors` lists each one; or an Idempotency-Key reused with a "
         "different request.",
    428: "If-Match is required: send the ETag of the version you read.",
    429: "Too many requests for this token: wait for Retry-After seconds.",
}

DESCRIPTION = """The whole notary office over JSON.

Authenticate with a personal API token (profile page, or `flask users token create`):
`Authorization: Bearer nt_…`. The token acts as its user with that user's role; browser
sessions do not authenticate API calls. Errors are `application/problem+json` (RFC 9457).
Lists are newest first and paginate with `next_cursor`. A POST retried with the same
`Idempotency-Key` returns the first result. Updates (PATCH) need `If-Match` with the `ETag`
you read; a stale one gets 412. Requests are limited per token (RateLimit headers)."""


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """The OpenAPI path of a Flask rule and its path parameters."""
    params: list[dict[str, Any]] = []

    def replace(match: re.Match[str]) -> str:
        name, converter = match["name"], match["converter"] or "string"
        schema: dict[str, Any] = {"type": "string"}
        if converter == "int":
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        elif converter == "any":
            schema = {"type": "string",
                      "enum": [a.strip() for a in (match["args"] or "").split(",")]}
        params.append({"in": "path", "name": name, "required": True, "schema": schema})
        return "{" + name + "}"

    return "/api/v1" + _ARGUMENT.sub(replace, rule), params


def _problem(status: int) -> dict[str, Any]:
    return {"description": ERROR_TEXT.get(status, "Error"),
            "content": {"application/problem+json": {"schema": "Problem"}}}


def _operation(op: Operation, path_params: list[dict[str, Any]]) -> dict[str, Any]:
    parameters = list(path_params)
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    if op.idempotent:
        parameters.append({"in": "header", "name": "Idempotency-Key", "required": False,
                           "description": "Retrying with the same key returns the first "
                                          "result instead of acting twice.",
                           "schema": {"type": "string", "minLength": 1, "maxLength": 255,
                                      "pattern": "^[!-~]+$"}})
    if op.if_match:
        parameters.append({"in": "header", "name": "If-Match", "required": True,
                           "description": "The ETag of the version the change is based on.",
                           "schema": {"type": "string"}})
    success: dict[str, Any] = {"description": op.summary}
    if op.content_type == "application/pdf":
        success["content"] = {"application/pdf": {"schema": {
            "type": "string", "contentMediaType": "application/pdf"}}}
    elif isinstance(op.response, dict):
        success["content"] = {"application/json": {"schema": op.response}}
    elif op.response is not None:
        schema: Any = op.response(many=True) if op.many else op.response
        success["content"] = {"application/json": {"schema": schema}}
    if op.etag:
        success["headers"] = {"ETag": {"description": "The version, for If-Match.",
                                       "schema": {"type": "string"}}}
    # Every request's query string is checked before the view (notary.core.params): 400.
    codes = set(op.errors) | {400, 429}
    if not op.public:
        codes |= {401, 403}
    if op.body is not None or op.idempotent:
        codes |= {400, 415, 422}
    if op.idempotent:
        codes.add(409)
    if path_params:
        codes.add(404)
    responses: dict[Any, Any] = {str(op.status): success}
    responses.update({str(code): _problem(code) for code in sorted(codes)})
    summary, _sep, rest = op.description.partition("\n")
    operation: dict[str, Any] = {
        "operationId": op.endpoint, "summary": op.summary, "tags": [op.tag],
        "description": (summary + ("\n" + rest if rest else "")).strip(),
        "parameters": parameters, "responses": responses,
        "security": [] if op.public else [{"bearerAuth": []}],
    }
    if op.permissions:
        operation["x-permissions"] = [p.value for p in op.permissions]
    if op.body is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": op.body}}}
    elif op.method == "post":
        operation["requestBody"] = {"required": False, "content": {"application/json": {
            "schema": {"type": "object"}}}}
    return operation


def build_spec(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every /api/v1 endpoint."""
    spec = APISpec(title=f"{app.config['OFFICE_NAME']} notary API", version="1.0.0",
                   openapi_version="3.1.0", plugins=[MarshmallowPlugin()],
                   info={"description": DESCRIPTION})
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                   "description": "A personal API token."})
    spec.components.schema("Problem", schema=ProblemSchema)
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        path, params = _path(op.rule)
        paths.setdefault(path, {})[op.method] = _operation(op, params)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
