"""Count the SQL statements a block of code sends (an N+1 shows as a count that grows)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from notary.extensions import db


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """Yield the list that collects every statement sent to the database inside the block."""
    statements: list[str] = []

    def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
