"""Flask extensions, created unbound and bound to the app in create_app."""

import hashlib
import sqlite3
from typing import Any

import sqlalchemy as sa
from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from notary.core.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def rate_limit_key() -> str:
    """Requests are counted per API token (by its hash), or per client address without one."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
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
