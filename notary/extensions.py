"""Flask extensions, created unbound and bound to the app in create_app."""

import sqlite3
import time
from typing import Any

import sqlalchemy as sa
from flask import g, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from notary.core import rate_limits  # noqa: F401  (registers the notary-db:// storage)
from notary.core.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def rate_limit_key() -> str:
    """Requests are counted per API token once it is verified (by its id), and per client
    address otherwise: a made-up token is no new identity, so changing it does not reset
    the count (the API identifies the token before the limit is checked)."""
    token = g.get("api_token")
    if token is not None:
        return f"token:{token.id}"
    return "ip:" + (request.remote_addr or "")


limiter = Limiter(key_func=rate_limit_key)


@sa.event.listens_for(sa.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Make every acknowledged SQLite commit durable and let readers work beside a writer.

    WAL: readers never block the writer (an online backup or a report while the desk works).
    synchronous=FULL: the WAL is synced at every commit, so a commit the user saw acknowledged
    survives a killed process AND a power cut (NORMAL would survive only the former; the
    records are legal records). busy_timeout: a second writer waits instead of failing.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def install_idle_ping(engine: sa.Engine, seconds: float) -> None:
    """Ping a pooled connection that has rested more than `seconds` before handing it out.

    SQLAlchemy's pessimistic disconnect handling, limited to idle connections: after a
    database restart the first request gets a fresh connection instead of an error, and a
    busy server pays no extra round trip per request (pool_pre_ping would ping every time).
    Raising DisconnectionError makes the pool retry with a new connection.
    """

    def mark_idle(dbapi_connection: Any, connection_record: Any) -> None:
        if connection_record is not None:
            connection_record.info["idle_since"] = time.monotonic()

    def ping_if_idle(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
        since = connection_record.info.get("idle_since")
        if since is None or time.monotonic() - since < seconds:
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            dbapi_connection.rollback()
        except Exception as error:  # any failure: this connection is gone
            raise sa.exc.DisconnectionError() from error

    sa.event.listen(engine.pool, "checkin", mark_idle)
    sa.event.listen(engine.pool, "checkout", ping_if_idle)


def autocommit_engine() -> sa.Engine:
    """The app's engine in autocommit: its pool, no transaction around what it reads.

    For a single read at the start of a request (the signed-in user and the data version):
    PostgreSQL otherwise wraps it in BEGIN ... ROLLBACK, three round trips where one does,
    and a stored page needs nothing else from the database.
    """
    engine = db.engine
    found: sa.Engine | None = engine.__dict__.get("_notary_autocommit")
    if found is None:  # made once per engine (it shares the engine's pool)
        found = engine.__dict__["_notary_autocommit"] = engine.execution_options(
            isolation_level="AUTOCOMMIT")
    return found
