"""Declarative base with a constraint naming convention, and shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

# The office's clock is pure (rule modules read it too); its names stay importable from here.
from notary.core.clock import (  # noqa: F401
    OFFICE_TZ,
    frozen_time,
    local_date,
    office_today,
    utcnow,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model: names constraints predictably so migrations can refer to them."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Store naive UTC, return aware UTC: identical on SQLite (no tz support) and PostgreSQL."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use notary.core.models.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class office_day(FunctionElement[Any]):
    """The office's calendar date (Asia/Shanghai, UTC+8 all year) of a stored UTC timestamp,
    as SQL: a DATE on PostgreSQL, 'YYYY-MM-DD' text on SQLite (read back as a date).

    Deterministic on both databases, so an index can be built on it: the figures grouped by
    local day read such an index in order instead of converting and sorting every row.
    """

    type = sa.Date()
    inherit_cache = True


@compiles(office_day, "sqlite")
def _office_day_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m-%d', {compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(office_day, "postgresql")
def _office_day_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} + interval '8 hours') AS DATE)"


def enum_column(enum_cls: type[Enum], **kwargs: Any) -> sa.Enum:
    """Store an enum as its string value in a VARCHAR (no native DB enum: easy to extend)."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        **kwargs,
    )


class TimestampMixin:
    """created_at / updated_at in UTC."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
