"""Hostile request parameters, walked: every GET route of the URL map and every operation of
the OpenAPI document, given the values that broke pages before (numbers past 64 bits, dates
at the calendar's ends, text a database cannot store, '²'), answers below 500, signed in as
each role that may open it.

The routes and operations come from the application itself, so a route added tomorrow is
walked without anyone remembering this file. The parameters tried on a route are the ones its
view declares (notary.core.params.reads; for the API, the OpenAPI document's) plus a generic
set; `test_every_parameter_a_view_reads_is_declared` records what each view really reads, so
the declaration cannot fall behind the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import Rule

from notary.core.params import GLOBAL_PARAMETERS, INT64_MAX, query_parameters
from notary.core.permissions import Role
from tests.test_permissions import EXPECTED, PUBLIC, api_token, make_records

ROLES = (Role.DIRECTOR, Role.NOTARY, Role.FRONT_DESK, Role.ADMIN)
GENERIC = ("page", "q", "year", "date_from", "date_to", "matter", "notary", "status", "id")

# Each value as it travels in a query string (percent-encoded UTF-8, or raw bytes that are no
# UTF-8 at all), with what it tries.
HOSTILE: dict[str, str] = {
    "past 64 bits": "99999999999999999999999",
    "2**63": str(INT64_MAX + 1),
    "below -2**63": str(-INT64_MAX - 2),
    "2**31 (past an integer column)": "2147483648",
    "zero": "0",
    "negative": "-1",
    "superscript two (isdigit, not int)": quote("\u00b2"),
    "the calendar's first day": "0001-01-01",
    "the calendar's last day": "9999-12-31",
    "U+10FFFF": quote("\U0010ffff"),
    "U+D7FF": quote("\ud7ff"),
    "a lone surrogate (WTF-8)": "%ED%A0%80",
    "not UTF-8": "%FF%FE",
    "NUL": "%00",
    "5000 digits (past int()'s limit)": "9" * 5000,
    "empty": "",
}
# The values other roles get on the same route (all parameters at once): the ones that broke.
FOR_EVERY_ROLE = ("past 64 bits", "superscript two (isdigit, not int)",
                  "the calendar's first day", "U+D7FF")
HOSTILE_IDS = ("99999999999999999999999", str(INT64_MAX + 1), str(INT64_MAX), "2147483648",
               "0", "9" * 5000)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def query(names: tuple[str, ...], value: str) -> str:
    return "&".join(f"{name}={value}" for name in names)


def get_rules(app: Flask) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules()
                   if "GET" in (r.methods or ()) and r.endpoint != "static"),
                  key=lambda r: (r.rule, r.endpoint))


def path_of(rule: Rule, params: dict[str, Any], hostile: tuple[str, str] | None = None) -> str:
    """The rule's URL with real ids; with `hostile`, one int argument replaced by a value."""
    blueprint = rule.endpoint.split(".")[0]
    values = {name: params.get(f"{blueprint}:{name}", params.get(name))
              for name in rule.arguments}
    if hostile is not None:
        values[hostile[0]] = 987654321  # a stand-in no seeded record has, replaced below
    built = rule.build(values)
    assert built is not None
    return built[1].replace("987654321", hostile[1]) if hostile else built[1]


def int_arguments(rule: Rule) -> list[str]:
    return sorted(name for name in rule.arguments
                  if type(rule._converters[name]).__name__ == "BoundedIntegerConverter")


def roles_for(endpoint: str) -> list[Role | None]:
    """The roles of ROLES that may open the route (None: anonymous, on public pages)."""
    allowed = EXPECTED[endpoint]
    if allowed == PUBLIC:
        return [None, Role.DIRECTOR]
    return [r for r in ROLES if r in allowed]


def api_query_names(spec: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """operationId -> the query parameters the OpenAPI document declares for it."""
    return {op["operationId"]: tuple(p["name"] for p in op.get("parameters", [])
                                     if p["in"] == "query")
            for ops in spec["paths"].values() for op in ops.values()}


class Walk:
    """Signed-in clients of each role (and bearer tokens), and what went wrong."""

    def __init__(self, app: Flask, login_as: Any) -> None:
        self.clients: dict[Role | None, Any] = {None: app.test_client()}
        self.bearers: dict[Role | None, dict[str, str]] = {None: {}}
        for role in ROLES:
            self.clients[role] = login_as(role)
            self.bearers[role] = api_token(self.clients[role].user)
        self.requests = 0
        self.server_errors: list[tuple[Any, ...]] = []

    def send(self, role: Role | None, endpoint: str, url: str, query_string: str = "",
             method: str = "GET") -> int:
        headers = self.bearers[role] if endpoint.startswith("api.") else {}
        self.requests += 1
        try:
            response = self.clients[role].open(url, method=method, query_string=query_string,
                                               headers=headers)
            response.get_data()  # a streamed download runs to its end here
            response.close()
        except Exception as exc:  # raised inside a streamed body: a 500 too
            self.server_errors.append((role, method, url, query_string[:80], repr(exc)[:200]))
            return 500
        if response.status_code >= 500:
            self.server_errors.append((role, method, url, query_string[:80],
                                       response.status_code))
        return response.status_code


@pytest.fixture
def walk(app: Flask, login_as: Any) -> Iterator[tuple[Walk, dict[str, Any]]]:
    # A server error answers 500 here as in production (and is counted), not raised.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    params = make_records()
    yield Walk(app, login_as), params


def test_no_hostile_value_gives_a_server_error(app, walk):
    walker, params = walk
    spec = walker.clients[Role.DIRECTOR].get("/api/v1/openapi.json").get_json()
    api_names = api_query_names(spec)
    routes = values_tried = 0
    for rule in get_rules(app):
        roles = roles_for(rule.endpoint)
        if not roles:
            continue
        routes += 1
        if rule.endpoint.startswith("api."):
            declared = api_names.get(rule.endpoint.removeprefix("api."), ())
        else:
            declared = query_parameters(app.view_functions[rule.endpoint])
        url = path_of(rule, params)
        everything = tuple(dict.fromkeys((*declared, *GENERIC, *GLOBAL_PARAMETERS)))
        first, *others = roles
        # The first role: each declared parameter alone with each value, then the generic
        # ones all at once (a view that declares none reads none: the test below).
        for name in declared:
            for value in HOSTILE.values():
                walker.send(first, rule.endpoint, url, query((name,), value))
                values_tried += 1
        for value in HOSTILE.values():
            walker.send(first, rule.endpoint, url, query(everything, value))
            values_tried += 1
        walker.send(first, rule.endpoint, url, "&".join(f"{n}=1&{n}=2" for n in everything))
        # Every other role that may open it: every parameter at once, the values that broke.
        for role in others:
            for label in FOR_EVERY_ROLE:
                walker.send(role, rule.endpoint, url, query(everything, HOSTILE[label]))
                values_tried += 1
        # Ids in the path: past 64 bits (404, not an overflow), past an integer column, zero.
        for name in int_arguments(rule):
            for value in HOSTILE_IDS:
                walker.send(first, rule.endpoint, path_of(rule, params, (name, value)))
                values_tried += 1
    operations = walk_api_operations(app, walker, params, spec)
    print(f"hostile values: {routes} GET routes, {operations} API operations, "
          f"{values_tried} values tried in {walker.requests} requests, "
          f"{len(walker.server_errors)} server errors")
    assert walker.server_errors == []
    assert routes >= 140 and operations >= 40 and values_tried >= 4000


def walk_api_operations(app: Flask, walker: Walk, params: dict[str, Any],
                        spec: dict[str, Any]) -> int:
    """Every operation of the OpenAPI document: hostile ids in its path and hostile query
    values (a state-changing one only where its path already names no record, so it
    changes nothing); returns how many operations."""
    rules = {r.endpoint: r for r in app.url_map.iter_rules()}
    operations = 0
    for ops in spec["paths"].values():
        for method, op in ops.items():
            operations += 1
            rule = rules[f"api.{op['operationId']}"]
            names = tuple(p["name"] for p in op.get("parameters", []) if p["in"] == "query")
            role = next(iter(roles_for(rule.endpoint)), None)
            for name in int_arguments(rule):
                for value in HOSTILE_IDS:
                    path = path_of(rule, params, (name, value))
                    walker.send(role, rule.endpoint, path, method=method.upper())
                    walker.send(role, rule.endpoint, path,
                                query((*names, *GENERIC), HOSTILE["past 64 bits"]),
                                method=method.upper())
    return operations


class RecordingArgs(ImmutableMultiDict):  # type: ignore[type-arg]
    """request.args that notes each name a view asks for."""

    asked: set[str] = set()

    def get(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        RecordingArgs.asked.add(key)
        return super().get(key, *args, **kwargs)

    def getlist(self, key: Any, *args: Any, **kwargs: Any) -> Any:
        RecordingArgs.asked.add(key)
        return super().getlist(key, *args, **kwargs)

    def __getitem__(self, key: Any) -> Any:
        RecordingArgs.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: Any) -> bool:
        RecordingArgs.asked.add(key)
        return super().__contains__(key)


def test_every_parameter_a_view_reads_is_declared(app, walk, monkeypatch):
    walker, params = walk
    # request.args alone (not request.form, the same class): each access a recording copy.
    parse = app.request_class.args.fget
    monkeypatch.setattr(app.request_class, "args",
                        property(lambda request: RecordingArgs(parse(request))))
    undeclared = {}
    for rule in get_rules(app):
        roles = roles_for(rule.endpoint)
        if not roles or rule.endpoint.startswith("api."):  # the API: its query schemas
            continue
        for role in roles:
            RecordingArgs.asked = set()
            walker.send(role, rule.endpoint, path_of(rule, params), "")
            declared = {*query_parameters(app.view_functions[rule.endpoint]),
                        *GLOBAL_PARAMETERS}
            if missing := RecordingArgs.asked - declared:
                undeclared[rule.endpoint] = sorted(missing)
    assert walker.server_errors == []
    assert undeclared == {}, "declare them with notary.core.params.reads"


def test_every_api_route_is_in_the_document(app):
    # The operation walk above reads the OpenAPI document: it must list every API route.
    spec_ops = {op["operationId"] for ops in app.test_client().get(
        "/api/v1/openapi.json").get_json()["paths"].values() for op in ops.values()}
    routes = {r.endpoint.removeprefix("api.") for r in app.url_map.iter_rules()
              if r.endpoint.startswith("api.") and r.endpoint not in {
                  "api.openapi", "api.docs"}}
    assert routes == spec_ops
