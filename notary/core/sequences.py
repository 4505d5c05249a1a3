"""Gap-free yearly counters (acceptance numbers, later certificate numbers).

The increment is one atomic UPDATE ... RETURNING inside the caller's transaction: PostgreSQL
holds the row lock until commit and SQLite takes its database write lock, so two processes
can never read the same value, and a rolled-back transaction gives its number back.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

from notary.core.models import Base


class NumberSequence(Base):
    """The last value handed out for one named series in one year."""

    __tablename__ = "number_sequences"
    __table_args__ = (sa.UniqueConstraint("name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    year: Mapped[int] = mapped_column(nullable=False)
    last_value: Mapped[int] = mapped_column(nullable=False, default=0)


def next_value(session: Session | scoped_session[Any], name: str, year: int) -> int:
    """Return the next number of the series for the year (the caller's commit makes it final)."""
    stmt = (
        sa.update(NumberSequence)
        .where(NumberSequence.name == name, NumberSequence.year == year)
        .values(last_value=NumberSequence.last_value + 1)
        .returning(NumberSequence.last_value)
    )
    value = session.execute(stmt).scalar_one_or_none()
    if value is not None:
        return int(value)
    try:
        with session.begin_nested():
            session.add(NumberSequence(name=name, year=year, last_value=1))
        return 1
    except IntegrityError:
        # Another transaction created the row first: take the next value from it.
        return int(session.execute(stmt).scalar_one())
