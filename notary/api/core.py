"""The API's plumbing: bearer-token sign-in, problem responses, request parsing, cursors,
ETags and idempotent POSTs. Each endpoint is declared once with `route`, which both guards it
and records what the OpenAPI document says about it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import Response, g, jsonify, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError
from sqlalchemy.exc import IntegrityError

from notary.api import bp
from notary.api.models import ApiToken, IdempotentRequest
from notary.api.services import authenticate_token
from notary.core.errors import (
    ConcurrentEdit,
    DomainError,
    NotFound,
    NotPermitted,
    ValidationFailed,
)
from notary.core.models import utcnow
from notary.core.permissions import Permission, check_object_guards, has_permission
from notary.extensions import db

PROBLEM = "application/problem+json"
PROBLEM_TYPES = {
    400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 406: "not-acceptable", 409: "conflict",
    412: "precondition-failed", 413: "too-large", 415: "unsupported-media-type",
    422: "validation-failed", 428: "precondition-required", 429: "rate-limited",
    500: "server-error",
}


class ApiProblem(Exception):
    """An HTTP problem raised inside the API (RFC 9457)."""

    def __init__(self, status: int, detail: str = "", *,
                 errors: Sequence[dict[str, str]] = (),
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, list(errors)
        self.headers = headers or {}


def is_api_request() -> bool:
    """Whether the current request is addressed to the API (errors answer as JSON there)."""
    return request.path.startswith(bp.url_prefix or "/api/")


def problem(status: int, detail: str = "", *, title: str | None = None,
            errors: Sequence[dict[str, str]] = (),
            headers: dict[str, str] | None = None) -> Response:
    """An application/problem+json response; never a page, never a stack trace."""
    from werkzeug.http import HTTP_STATUS_CODES

    body: dict[str, Any] = {
        "type": f"https://notary.invalid/problems/{PROBLEM_TYPES.get(status, 'error')}",
        "title": title or HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail or title or HTTP_STATUS_CODES.get(status, "Error"),
    }
    if errors:
        body["errors"] = list(errors)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def field_errors(errors: dict[str, list[str]]) -> list[dict[str, str]]:
    """A ValidationFailed's {field: [messages]} as the list the problem document carries."""
    # The services name nested fields as the forms do ("participants-0-name"); JSON clients
    # get the dotted path of their own document ("participants.0.name").
    return [{"field": re.sub(r"-(\d+)-", r".\1.", name), "message": message}
            for name, messages in errors.items() for message in messages]


def _flatten(messages: Any, prefix: str = "") -> list[dict[str, str]]:
    """marshmallow's nested messages as [{field, message}] with dotted field names."""
    if isinstance(messages, dict):
        out: list[dict[str, str]] = []
        for name, inner in messages.items():
            key = f"{prefix}.{name}" if prefix else str(name)
            if name == "_schema":
                key = prefix
            out += _flatten(inner, key)
        return out
    if isinstance(messages, list):
        flat: list[dict[str, str]] = []
        for item in messages:
            flat += _flatten(item, prefix)
        return flat
    return [{"field": prefix, "message": str(messages)}]


def problem_for(exc: Exception) -> Response:
    """Turn a domain error or HTTP error raised inside the API into a problem response."""
    from werkzeug.exceptions import HTTPException

    if isinstance(exc, ApiProblem):
        return problem(exc.status, exc.detail, errors=exc.errors, headers=exc.headers)
    if isinstance(exc, ValidationFailed):
        return problem(422, _("The request has invalid fields."),
                       errors=field_errors(exc.errors))
    if isinstance(exc, NotFound):
        return problem(404, exc.message)
    if isinstance(exc, NotPermitted):
        # A rule about this record, not the role at the door (as on the pages).
        return problem(403, exc.message, headers={"X-Denied-By": "object-rule"})
    if isinstance(exc, ConcurrentEdit):
        return problem(412, exc.message)
    if isinstance(exc, DomainError):
        return problem(409, exc.message)
    if isinstance(exc, HTTPException) and exc.code:
        headers = {k: v for k, v in (exc.get_headers() or []) if k.lower() in
                   {"allow", "retry-after", "www-authenticate"}}
        if exc.code == 429:
            headers["Retry-After"] = str(_seconds_to_reset())
            return problem(429, _("Too many requests with this token: wait for Retry-After "
                                  "seconds, then try again."), headers=headers)
        return problem(exc.code, exc.description or "", headers=headers)
    return problem(500, _("Something went wrong on the server."))


@bp.after_request
def no_caching(response: Response) -> Response:
    """API answers carry personal data: no shared cache may keep them."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _seconds_to_reset() -> int:
    """Seconds until the breached limit's window resets (at least 1)."""
    import time

    from notary.extensions import limiter

    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, int(current.reset_at - time.time()) + 1)


# --- the endpoint registry -----------------------------------------------------------------


@dataclass
class Operation:
    """What the OpenAPI document says about one endpoint."""

    rule: str
    method: str
    endpoint: str
    summary: str
    tag: str
    permissions: tuple[Permission, ...]
    public: bool
    body: type[Schema] | None
    query: type[Schema] | None
    response: type[Schema] | dict[str, Any] | None
    status: int
    many: bool
    content_type: str
    errors: tuple[int, ...]
    idempotent: bool
    if_match: bool
    etag: bool
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


OPERATIONS: list[Operation] = []


def identify_client() -> None:
    """Verify the request's bearer token, if any, before the rate limit counts the request
    (g.api_token: the usable token, or None)."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    g.api_token = authenticate_token(secret.strip()) if scheme.lower() == "bearer" else None


def _authenticate() -> ApiToken:
    if "api_token" not in g:
        identify_client()
    token = g.api_token
    if token is None:
        # Browser sessions never count here: an API call must carry its own token.
        raise ApiProblem(401, _("Send a valid personal API token: Authorization: Bearer …"),
                         headers={"WWW-Authenticate": 'Bearer realm="notary"'})
    return token


def actor() -> Any:
    """The user the request's token acts for."""
    return g.api_user


def _load(schema_cls: type[Schema], data: Any) -> Any:
    try:
        return schema_cls().load(data)
    except ValidationError as exc:
        raise ApiProblem(422, _("The request has invalid fields."),
                         errors=_flatten(exc.messages, "")) from exc


def _json_body() -> Any:
    if not request.mimetype or request.mimetype != "application/json":
        raise ApiProblem(415, _("Send the body as application/json."))
    data = request.get_json(silent=True)
    if data is None:
        raise ApiProblem(400, _("The body is not valid JSON."))
    return data


def _query_args(schema_cls: type[Schema]) -> dict[str, Any]:
    """Only the query parameters the schema knows (each sent once: core.params refuses a
    repeated one before any view)."""
    known = {f.data_key or name for name, f in schema_cls().fields.items()}
    return {k: v for k, v in request.args.items() if k in known}


def _load_query(schema_cls: type[Schema]) -> Any:
    """The query parameters parsed by the schema; a refused one is a 400 naming it (as every
    request parameter: notary.core.params)."""
    try:
        return schema_cls().load(_query_args(schema_cls))
    except ValidationError as exc:
        raise ApiProblem(400, _("The request has an invalid parameter."),
                         errors=_flatten(exc.messages, "")) from exc


def route(rule: str, method: str, *, summary: str, tag: str,
          permissions: Sequence[Permission] = (), public: bool = False,
          body: type[Schema] | None = None, query: type[Schema] | None = None,
          response: type[Schema] | dict[str, Any] | None = None, status: int = 200,
          many: bool = False,
          content_type: str = "application/json", errors: Sequence[int] = (),
          idempotent: bool = False, if_match: bool = False, etag: bool = False,
          description: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an endpoint: guard it, parse its input, and describe it for OpenAPI."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        endpoint = view.__name__

        @wraps(view)
        def wrapped(**kwargs: Any) -> Any:
            if not public:
                token = _authenticate()
                g.api_token, g.api_user = token, token.user
                if not all(has_permission(token.user, p) for p in permissions):
                    raise ApiProblem(403, _("Your role cannot use this endpoint."))
                # The object rules before the body is read, as on the pages.
                check_object_guards(token.user, request.method, request.blueprint, kwargs)
            if query is not None:
                kwargs["args"] = _load_query(query)
            if body is not None:
                kwargs["data"] = _load(body, _json_body())
            if not idempotent:
                return view(**kwargs)
            if (replay := _claim()) is not None:
                return replay
            try:
                result = view(**kwargs)
            except BaseException:
                _release()
                raise
            _settle(result)
            return result

        if public:
            wrapped.is_public = True  # type: ignore[attr-defined]
        else:
            wrapped.required_permissions = tuple(permissions)  # type: ignore[attr-defined]
        bp.add_url_rule(rule, endpoint, wrapped, methods=[method])
        OPERATIONS.append(Operation(
            rule=rule, method=method.lower(), endpoint=endpoint, summary=summary, tag=tag,
            permissions=tuple(permissions), public=public, body=body, query=query,
            response=response, status=status, many=many, content_type=content_type,
            errors=tuple(errors), idempotent=idempotent, if_match=if_match, etag=etag,
            description=description or (view.__doc__ or "").strip()))
        return wrapped

    return decorator


# --- responses ---------------------------------------------------------------------------


def respond(schema_cls: type[Schema], obj: Any, status: int = 200, *,
            location: str | None = None, version: int | None = None,
            many: bool = False) -> Response:
    """Dump obj with the schema as JSON; the ETag carries the version an update must match."""
    response = jsonify(schema_cls(many=many).dump(obj))
    response.status_code = status
    if location:
        response.headers["Location"] = location
    if version is not None:
        response.headers["ETag"] = f'"{version}"'
    return response


def expected_version(current: int) -> int:
    """The version named by If-Match: 428 without one, 412 when it is not the current one."""
    header = request.headers.get("If-Match")
    if not header:
        raise ApiProblem(428, _("Send If-Match with the ETag of the version you changed."))
    tags = [t.strip().removeprefix("W/").strip('"') for t in header.split(",")]
    if "*" in tags:
        return current
    if str(current) not in tags:
        raise ApiProblem(412, _("The record changed since you read it: read it again, then "
                                "send your change with its new ETag."))
    return current


# --- idempotent POSTs --------------------------------------------------------------------

_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def _request_hash() -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.full_path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


PENDING = 0  # the status of a claimed key whose first request is still running
# A claim older than this belongs to a request that died (a crashed worker): a retry takes over.
CLAIM_TIMEOUT = timedelta(minutes=2)


def _claim() -> Response | None:
    """Replay the stored first response for the Idempotency-Key, or claim the key (None).

    The key is claimed (committed) before the service runs, so a retry sent while the first
    request is still running gets 409 instead of doing the work a second time.
    """
    g.idempotency_claim = None
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not _KEY.match(key):
        raise ApiProblem(400, _("The Idempotency-Key must be 1 to 255 visible ASCII "
                                "characters."))
    digest = _request_hash()
    stored = db.session.scalar(sa.select(IdempotentRequest).where(
        IdempotentRequest.token_id == g.api_token.id, IdempotentRequest.key == key))
    if stored is not None:
        if stored.request_hash != digest:
            raise ApiProblem(422, _("This Idempotency-Key was used with a different "
                                    "request."))
        if stored.status != PENDING:
            response = jsonify(stored.body)
            response.status_code = stored.status
            response.headers["Idempotent-Replayed"] = "true"
            if stored.location:
                response.headers["Location"] = stored.location
            return response
        if utcnow() - stored.created_at < CLAIM_TIMEOUT:
            raise _in_progress()
        stored.created_at = utcnow()  # abandoned by a request that died: take it over
        db.session.commit()
        g.idempotency_claim = stored.id
        return None
    claim = IdempotentRequest(token_id=g.api_token.id, key=key, request_hash=digest,
                              status=PENDING, created_at=utcnow())
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError as exc:  # a simultaneous request claimed it a moment ago
        db.session.rollback()
        raise _in_progress() from exc
    g.idempotency_claim = claim.id
    return None


def _in_progress() -> ApiProblem:
    return ApiProblem(409, _("A request with this Idempotency-Key is still being processed: "
                             "retry in a moment."), headers={"Retry-After": "1"})


def _settle(result: Any) -> None:
    """Store a successful first response on the claim; after a failure, free the key."""
    claim_id = g.get("idempotency_claim")
    if claim_id is None:
        return
    if not isinstance(result, Response) or not 200 <= result.status_code < 300:
        _release()
        return
    db.session.execute(sa.update(IdempotentRequest).where(IdempotentRequest.id == claim_id)
                       .values(status=result.status_code, body=result.get_json(),
                               location=result.headers.get("Location")))
    db.session.commit()


def _release() -> None:
    """Free the key of a request that failed: a retry may try again."""
    claim_id = g.get("idempotency_claim")
    if claim_id is None:
        return
    db.session.rollback()
    db.session.execute(sa.delete(IdempotentRequest).where(IdempotentRequest.id == claim_id))
    db.session.commit()
    g.idempotency_claim = None


# --- cursor pagination -------------------------------------------------------------------


def encode_cursor(values: Sequence[Any]) -> str:
    """An opaque cursor for the position after a row."""
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kinds: Sequence[type]) -> list[Any]:
    """The values inside a cursor, checked against the expected kinds (422 otherwise)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(kinds):
            raise ValueError
        values: list[Any] = []
        for kind, value in zip(kinds, raw, strict=True):
            if kind is datetime:
                values.append(datetime.fromisoformat(value))
            elif kind is int and isinstance(value, int) and not isinstance(value, bool):
                values.append(value)
            else:
                raise ValueError
        return values
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApiProblem(400, _("The request has an invalid parameter."), errors=[
            {"field": "cursor", "message": _("This cursor is not one the API gave out.")}
        ]) from exc


def page_after(stmt: sa.Select[Any], columns: Sequence[Any], cursor: str | None, limit: int,
               kinds: Sequence[type]) -> dict[str, Any]:
    """One page of a newest-first keyset listing: the rows after the cursor, and the next one.

    Ordering by (sort key, id) descending and continuing strictly below the last row seen
    keeps pages stable when rows are added meanwhile: new rows sort before the first page.
    """
    if cursor:
        values = decode_cursor(cursor, kinds)
        if len(columns) == 1:
            stmt = stmt.where(columns[0] < values[0])
        else:
            (first, last_id), (v1, v2) = columns, values
            stmt = stmt.where(sa.or_(first < v1, sa.and_(first == v1, last_id < v2)))
    stmt = stmt.order_by(None).order_by(*(c.desc() for c in columns)).limit(limit + 1)
    rows = list(db.session.scalars(stmt).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        next_cursor = encode_cursor([getattr(rows[-1], c.key) for c in columns])
    return {"items": rows, "next_cursor": next_cursor}
