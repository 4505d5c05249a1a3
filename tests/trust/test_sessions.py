"""Sessions end on the server: a copy of the cookie taken before the end is refused after it,
in every worker and on every server sharing the database, on the very next request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from notary import create_app
from notary.auth import services as auth_services
from notary.auth.models import User, UserSession
from notary.core.models import utcnow
from notary.core.permissions import Role
from notary.extensions import db
from tests.conftest import _config
from tests.factories import PASSWORD, create_staff

NEW_PASSWORD = "Quiet-River-2031"


def copy_of(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser (of the same app, or of another worker) holding the same cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def signed_in(client: FlaskClient) -> bool:
    db.session.remove()  # each request starts from an empty session, as in production
    response = client.get("/profile")
    assert response.status_code in {200, 302}
    return response.status_code == 200


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, login_as):
    client = login_as(Role.NOTARY)
    copy = copy_of(client, app)
    assert signed_in(copy)
    assert client.post("/logout").status_code == 302
    assert not signed_in(client) and not signed_in(copy)
    ended = db.session.scalars(sa.select(UserSession)).one()
    assert ended.end_reason == "sign_out" and ended.ended_at is not None


def _change_password(client: FlaskClient, user: User, admin: User) -> None:
    assert client.post("/profile", data={"current_password": PASSWORD,
                                         "new_password": NEW_PASSWORD}).status_code == 302


def _deactivate(client: FlaskClient, user: User, admin: User) -> None:
    auth_services.set_user_enabled(user, False, actor=admin)


def _sign_out_everywhere(client: FlaskClient, user: User, admin: User) -> None:
    auth_services.sign_out_everywhere(user, actor=admin)


def _reset_password(client: FlaskClient, user: User, admin: User) -> None:
    auth_services.update_user(user, auth_services.UserData(
        user.username, user.full_name, user.role, password=NEW_PASSWORD), actor=admin)


@pytest.mark.parametrize("end", [_change_password, _deactivate, _sign_out_everywhere,
                                 _reset_password])
def test_every_way_of_ending_sessions_ends_every_copy(app, login_as, end):
    user, admin = create_staff(Role.NOTARY), create_staff(Role.ADMIN)
    ids = {"user": user.id, "admin": admin.id}
    first, second = login_as(user), login_as(user)  # two browsers of the same person
    copy = copy_of(first, app)
    assert signed_in(first) and signed_in(second) and signed_in(copy)
    end(first, db.session.get(User, ids["user"]), db.session.get(User, ids["admin"]))
    assert not any(signed_in(c) for c in (first, second, copy))
    assert auth_services.open_sessions_of(db.session.get(User, ids["user"])) == []


def test_sign_out_ends_only_that_session(app, login_as):
    user = create_staff(Role.NOTARY)
    first, second = login_as(user), login_as(user)
    assert first.post("/logout").status_code == 302
    assert not signed_in(first) and signed_in(second)


def test_a_session_ends_after_its_maximum_age_however_active(app, login_as):
    client = login_as(Role.NOTARY)
    assert signed_in(client)
    hours = app.config["SESSION_MAX_HOURS"]
    db.session.execute(sa.update(UserSession).values(
        created_at=utcnow() - timedelta(hours=hours, minutes=1)))
    db.session.commit()
    assert not signed_in(client)


def test_a_cookie_without_a_session_token_is_refused(app, login_as):
    client = login_as(Role.NOTARY)
    with client.session_transaction() as session:
        session.pop("_sid")
    assert not signed_in(client)


@pytest.fixture
def second_worker(backend: dict[str, Any], tmp_path: Path, app: Flask) -> Iterator[Flask]:
    """Another application instance on the same database: another worker or server, with its
    own page store and its own copies of the signed-in users."""
    second = create_app({**_config(backend["url"], tmp_path / "second"),
                         "PAGE_CACHE_SECONDS": 30, "USER_SNAPSHOT_SECONDS": 30})
    yield second
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("how", ["sign_out", "everywhere"])
def test_a_revoked_session_is_refused_by_every_worker_on_the_next_request(
        app, second_worker, login_as: Callable[..., FlaskClient], how):
    app.config.update(PAGE_CACHE_SECONDS=30,
                      USER_SNAPSHOT_SECONDS=30)  # both workers keep snapshots of the user
    user, admin = create_staff(Role.DIRECTOR), create_staff(Role.ADMIN)
    user_id, admin_id = user.id, admin.id
    client = login_as(user)
    elsewhere = copy_of(client, second_worker)
    for _ in range(2):  # the second request is served from that worker's snapshot
        assert elsewhere.get("/cases/").status_code == 200
    assert user_id in second_worker.extensions["user_snapshots"].user_ids()
    if how == "sign_out":
        assert client.post("/logout").status_code == 302
    else:
        _sign_out_everywhere(client, db.session.get(User, user_id),
                             db.session.get(User, admin_id))
    response = elsewhere.get("/cases/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
