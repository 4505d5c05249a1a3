"""Rate-limit counters in the application's own database, shared by every worker and server.

Flask-Limiter counts with a `limits` storage named by RATELIMIT_STORAGE_URI. The default
`memory://` counts per worker process, so four gunicorn workers on two servers allow eight
times the limit. `notary-db://` (the default here) keeps the counters in the table below:
one row per client and limit, incremented by one atomic INSERT ... ON CONFLICT DO UPDATE ...
RETURNING, which also starts a new window once the old one has expired (the fixed-window
strategy). The count and the window's end of this request are remembered for the rest of
the request, so the headers cost no second read: one statement per API request.

No new server is needed; a site that runs Redis may name it instead (`redis://…`).
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from notary.core.models import Base


class RateLimitCounter(Base):
    """One fixed-window counter: the key names the client and the limit."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    count: Mapped[int] = mapped_column(nullable=False)
    # The window's end in seconds since the epoch (the `limits` library's own unit).
    expires_at: Mapped[float] = mapped_column(sa.Float(), nullable=False)


_table: sa.Table = RateLimitCounter.__table__  # type: ignore[assignment]  # a Table


def _stored_key(key: str) -> str:
    return key if len(key) <= 255 else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """A `limits` storage on the application's database (scheme `notary-db://`)."""

    STORAGE_SCHEME = ["notary-db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False,
                 **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sa.exc.SQLAlchemyError

    @staticmethod
    def _connect() -> sa.Connection:
        # Each statement commits on its own, outside the request's transaction (a refused
        # request rolls back its work, never its count).
        from notary.extensions import autocommit_engine

        return autocommit_engine().connect()

    @staticmethod
    def _seen() -> dict[str, tuple[int, float]]:
        """This request's counts as written (empty outside a request)."""
        if not has_request_context():
            return {}
        found: dict[str, tuple[int, float]] | None = g.get("_rate_limit_counts")
        if found is None:
            found = g._rate_limit_counts = {}
        return found

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` more in the key's window, opening a new window when it expired."""
        now, stored = time.time(), _stored_key(key)
        with self._connect() as conn:
            insert = (postgresql.insert(_table) if conn.dialect.name == "postgresql"
                      else sqlite.insert(_table))
            expired = _table.c.expires_at <= now
            upsert = insert.values(key=stored, count=amount, expires_at=now + expiry)
            statement = upsert.on_conflict_do_update(
                index_elements=[_table.c.key],
                set_={"count": sa.case((expired, amount), else_=_table.c.count + amount),
                      "expires_at": sa.case((expired, now + expiry),
                                            else_=_table.c.expires_at)},
            ).returning(_table.c.count, _table.c.expires_at)
            count, expires_at = conn.execute(statement).one()
        self._seen()[stored] = (int(count), float(expires_at))
        return int(count)

    def _read(self, key: str) -> tuple[int, float]:
        stored = _stored_key(key)
        if (seen := self._seen().get(stored)) is not None:
            return seen
        with self._connect() as conn:
            row = conn.execute(sa.select(_table.c.count, _table.c.expires_at)
                               .where(_table.c.key == stored)).first()
        if row is None or row[1] <= time.time():
            return 0, time.time()
        return int(row[0]), float(row[1])

    def get(self, key: str) -> int:
        """The count in the key's current window (0 once it has expired)."""
        return self._read(key)[0]

    def get_expiry(self, key: str) -> float:
        """When the key's current window ends (seconds since the epoch)."""
        return self._read(key)[1]

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with self._connect() as conn:
                conn.execute(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter."""
        with self._connect() as conn:
            result = conn.execute(sa.delete(_table))
        self._seen().clear()
        return int(result.rowcount or 0)

    def clear(self, key: str) -> None:
        """Forget one counter."""
        with self._connect() as conn:
            conn.execute(sa.delete(_table).where(_table.c.key == _stored_key(key)))
        self._seen().pop(_stored_key(key), None)
