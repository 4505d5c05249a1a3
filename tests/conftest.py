"""Test fixtures: every app-level test runs on SQLite and, when TEST_DATABASE_URL is set,
on PostgreSQL too. The schema comes from the Alembic migrations (never create_all), once per
backend; each test starts from the migrated state (tables emptied, seeded matters restored).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from hypothesis import settings

from notary import create_app
from notary.core.permissions import Role
from notary.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL")

# Property-based tests: no per-example deadline (a loaded CI machine is not a failure), no
# example database in the tree; CI runs 100 examples a test unless a test asks for more.
settings.register_profile("default", deadline=None, database=None)
settings.register_profile("ci", deadline=None, database=None, max_examples=100,
                          derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
PASSWORD = "Correct-Horse-42"


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI must run the suite on PostgreSQL too: set TEST_DATABASE_URL")


def _config(url: str, tmp: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(tmp / "uploads"),
        "CERTIFICATE_FOLDER": str(tmp / "certificates"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": None,
        "PUBLIC_BASE_URL": "https://gz.leiyang.test",
        # Tests change data and settings between two requests behind the app's back (direct
        # inserts, monkeypatched limits); tests/test_page_cache.py turns the store on.
        "PAGE_CACHE_SECONDS": 0,
        "USER_SNAPSHOT_SECONDS": 0,
    }


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[dict[str, Any]]:
    """Migrate an empty database of one backend to head; yield its URL and the seed rows."""
    from flask_migrate import upgrade

    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'test.sqlite3'}"
    else:
        assert PG_URL
        url = PG_URL
        _reset_postgres(url)
    app = create_app(_config(url, tmp))
    with app.app_context():
        upgrade()
        tables = [t for t in reversed(db.metadata.sorted_tables)]
        matter_types = db.metadata.tables["matter_types"]
        seed = {"matter_types": [dict(r._mapping) for r in db.session.execute(
            sa.select(matter_types).order_by(matter_types.c.id))]}
        db.session.remove()
        db.engine.dispose()
    yield {"name": request.param, "url": url, "tmp": tmp, "tables": tables, "seed": seed}


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def _empty_tables(backend: dict[str, Any]) -> None:
    names = [t.name for t in backend["tables"]]
    if backend["name"] == "postgresql":
        db.session.execute(sa.text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    else:
        for name in names:
            db.session.execute(sa.text(f"DELETE FROM {name}"))
    matter_types = db.metadata.tables["matter_types"]
    db.session.execute(matter_types.insert(), backend["seed"]["matter_types"])
    if backend["name"] == "postgresql":
        db.session.execute(sa.text(
            "SELECT setval('matter_types_id_seq', (SELECT max(id) FROM matter_types))"))
    db.session.commit()


@pytest.fixture
def app(backend: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """An app bound to the migrated database of the current backend, emptied for this test."""
    app = create_app(_config(backend["url"], tmp_path))

    def fresh_g(sender: Flask, **extra: Any) -> None:
        # Requests reuse the test's app context, and with it `g`: start each request with an
        # empty `g`, as in production, so one client never sees another's signed-in user.
        g.__dict__.clear()

    request_started.connect(fresh_g, app)
    with app.app_context():
        _empty_tables(backend)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    """Create a user of a role (unique user name); returns the User."""
    from tests.factories import create_staff

    return create_staff


@pytest.fixture
def login_as(app: Flask, make_user: Callable[..., Any]) -> Callable[..., FlaskClient]:
    """Return a test client signed in as a new user of the role (or as a given user)."""

    def _login(role: Role | Any) -> FlaskClient:
        user = make_user(role) if isinstance(role, Role) else role
        c = app.test_client()
        response = c.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.data[:500]
        c.user = user  # type: ignore[attr-defined]
        return c

    return _login


# Staff of each role, for tests that need a specific member of staff.
def _staff(role: Role) -> Any:
    @pytest.fixture
    def member(app: Flask) -> Any:
        from tests.factories import create_staff

        return create_staff(role)

    return member


desk = _staff(Role.FRONT_DESK)
notary = _staff(Role.NOTARY)
director = _staff(Role.DIRECTOR)
director2 = _staff(Role.DIRECTOR)  # a second one: whoever asked may not approve their own
admin = _staff(Role.ADMIN)
