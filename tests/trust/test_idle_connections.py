"""A pooled connection that died while idle (a database restart) is replaced before use."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from flask import Flask

from notary.extensions import db


def _kill_pooled_connection(rested: float) -> None:
    """Check one connection out and in, then end it behind the pool's back."""
    engine = db.engine
    db.session.remove()
    engine.dispose()
    with engine.connect() as conn:
        record = conn.connection._connection_record
        dbapi = conn.connection.dbapi_connection
        pid = (conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
               if engine.dialect.name == "postgresql" else None)
        conn.rollback()
    if pid is not None:
        killer = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)
        with killer.connect() as other:
            other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        killer.dispose()
    else:
        dbapi.close()
    assert record is not None
    record.info["idle_since"] = time.monotonic() - rested


def test_a_connection_that_died_while_idle_is_replaced_unseen(app: Flask) -> None:
    _kill_pooled_connection(rested=3600)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1


def test_a_connection_in_steady_use_is_not_pinged(app: Flask) -> None:
    # The control: the same dead connection, handed out a moment after its last use, is not
    # pinged (no round trip per request) and fails its first query; so the test above proves
    # the ping. (A restart under load costs one request per connection.)
    _kill_pooled_connection(rested=0)
    with pytest.raises(sa.exc.DBAPIError), db.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
