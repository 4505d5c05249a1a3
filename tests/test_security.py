"""CSRF: with protection on (as in production), a POST without a valid token changes nothing."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient

from notary import create_app
from notary.auth.models import User
from notary.consultations.models import Consultation
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.models import Party
from notary.statistics.models import SubmittedReport
from tests.conftest import _config, _empty_tables
from tests.factories import PASSWORD, create_staff, matter, register_case, resident_id
from tests.test_permissions import PNG, make_records, url_of

NEW_PASSWORD = "Quiet-River-2031"


@pytest.fixture
def csrf_app(backend: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """The conftest `app`, with CSRF protection switched on."""
    app = create_app({**_config(backend["url"], tmp_path), "WTF_CSRF_ENABLED": True})
    with app.app_context():
        _empty_tables(backend)

        def clear_g() -> None:  # each request starts with an empty g, as in production
            for name in list(g):
                g.pop(name)

        app.before_request_funcs.setdefault(None, []).insert(0, clear_g)
        yield app
        db.session.remove()
        db.engine.dispose()


def token_of(client: FlaskClient, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": user.username, "password": PASSWORD,
                                           "csrf_token": token_of(client)})
    assert response.status_code == 302
    return client


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    db.session.expire_all()
    state = {}
    for table in db.metadata.sorted_tables:
        if table.name == "rate_limit_counters":  # every API request counts, refused or not
            continue
        rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns))
        state[table.name] = [tuple(r) for r in rows]
    return state


def payloads(p: dict[str, Any], users: dict[str, User]) -> dict[str, Callable[[], dict[str, Any]]]:
    """A POST body per endpoint that would change something if the token were not checked."""
    party = db.session.get(Party, p["party_id"])
    return {
        "auth.login": lambda: {"username": users["notary"].username, "password": PASSWORD},
        "auth.profile": lambda: {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        "auth.set_language": lambda: {"locale": "en"},
        "users.create": lambda: {"username": "wangfang", "full_name": "王芳", "role": "notary",
                                 "locale": "zh_Hans_CN", "password": NEW_PASSWORD},
        "users.edit": lambda: {"username": users["notary"].username, "full_name": "改过的名字",
                               "role": "notary", "locale": "zh_Hans_CN"},
        "parties.create": lambda: {"kind": "person", "name": "李四",
                                   "document_type": "resident_id",
                                   "document_number": resident_id()},
        "parties.edit": lambda: {"kind": "person", "name": party.name,
                                 "document_type": "resident_id",
                                 "document_number": party.document_number,
                                 "address": "改过的地址", "version": str(party.version)},
        "cases.step": lambda: {"confirm": "y", "notary_id": str(users["notary"].id)},
        "consultations.index": lambda: {"topic": "继承公证", "channel": "phone", "persons": "1"},
        "statistics.submit": lambda: {"note": "半年报"},
        "lookup.lookup": lambda: {"number": "（2026）耒证受字第00001号", "phone_tail": "5678"},
        "cases.assign": lambda: {"notary_id": str(users["notary"].id)},
        "cases.edit": lambda: {"matter_ids": str(matter("inheritance").id),
                               "category": "domestic_civil", "copies": "3", "urgency": "normal"},
        "cases.upload_material": lambda: {"title": "户口簿", "file": (io.BytesIO(PNG), "a.png")},
        "matters.matter_form": lambda: {"code": "new-matter", "name": "新事项",
                                        "sort_order": "1", "is_active": "y"},
    }


def post_rules(app: Flask) -> list[Any]:
    return sorted((r for r in app.url_map.iter_rules() if "POST" in r.methods),
                  key=lambda r: (r.endpoint == "auth.logout", r.rule))


@pytest.mark.parametrize("token", [None, "", "not-a-token"], ids=["absent", "empty", "forged"])
def test_every_post_without_a_valid_token_is_refused_and_changes_nothing(csrf_app, token):
    users = {"notary": create_staff(Role.NOTARY), "director": create_staff(Role.DIRECTOR),
             "admin": create_staff(Role.ADMIN)}
    params = make_records()
    bodies = payloads(params, users)
    clients = {"admin": signed_in(csrf_app, users["admin"]),
               "director": signed_in(csrf_app, users["director"]),
               "anonymous": csrf_app.test_client()}
    refused_wrongly = []
    for rule in post_rules(csrf_app):
        who = ("anonymous" if rule.endpoint == "auth.login" else
               "admin" if rule.endpoint.split(".")[0] in {"users", "matters"} else "director")
        body = bodies.get(rule.endpoint, dict)()
        if token is not None:
            body["csrf_token"] = token
        before = database_state()
        response = clients[who].post(url_of(rule, params), data=body)
        # The JSON API has no CSRF token to check: it ignores the session cookie altogether
        # and asks for a bearer token (401), so a forged cross-site POST changes nothing.
        expected = 401 if rule.endpoint.startswith("api.") else 400
        if response.status_code != expected or database_state() != before:
            refused_wrongly.append((rule.endpoint, rule.rule, response.status_code))
    assert refused_wrongly == []
    # Still signed in: the refused sign-out did not sign anybody out.
    assert clients["director"].get("/profile").status_code == 200
    assert clients["anonymous"].get("/profile").status_code == 302


def test_a_token_from_another_session_is_refused(csrf_app):
    admin = create_staff(Role.ADMIN)
    target = create_staff(Role.NOTARY)
    attacker = signed_in(csrf_app, create_staff(Role.ADMIN))
    victim = signed_in(csrf_app, admin)
    response = victim.post(f"/admin/users/{target.id}/enabled",
                           data={"csrf_token": token_of(attacker, "/admin/users/")})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, target.id).is_enabled


@pytest.mark.parametrize("endpoint", ["users.toggle_enabled", "parties.create",
                                      "auth.set_language", "auth.logout",
                                      "consultations.index", "statistics.submit"])
def test_the_same_posts_with_the_token_do_change_things(csrf_app, endpoint):
    # The positive control: the refusals above are the token's doing, not the payload's.
    admin = create_staff(Role.ADMIN)
    director = create_staff(Role.DIRECTOR)
    target = create_staff(Role.NOTARY)
    register_case(create_staff(Role.FRONT_DESK))
    client = signed_in(csrf_app, admin if endpoint.startswith("users") else director)
    token = token_of(client, "/profile")
    if endpoint == "users.toggle_enabled":
        response = client.post(f"/admin/users/{target.id}/enabled", data={"csrf_token": token})
        db.session.expire_all()
        assert response.status_code == 302 and not db.session.get(User, target.id).is_enabled
    elif endpoint == "parties.create":
        response = client.post("/parties/new", data={
            "kind": "person", "name": "李四", "document_type": "resident_id",
            "document_number": resident_id(), "csrf_token": token})
        assert response.status_code == 302
        assert db.session.scalar(sa.select(Party.id).where(Party.name == "李四")) is not None
    elif endpoint == "auth.set_language":
        response = client.post("/profile/language", data={"locale": "en", "csrf_token": token})
        db.session.expire_all()
        assert response.status_code == 302 and db.session.get(User, director.id).locale == "en"
    elif endpoint == "consultations.index":
        response = client.post("/desk/", data={"topic": "继承公证", "channel": "phone",
                                               "persons": "1", "csrf_token": token})
        assert response.status_code == 302
        assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 1
    elif endpoint == "statistics.submit":
        response = client.post("/statistics/submit", data={"csrf_token": token})
        assert response.status_code == 302
        assert db.session.scalar(sa.select(sa.func.count(SubmittedReport.id))) == 1
    else:
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302
        assert client.get("/profile").status_code == 302
