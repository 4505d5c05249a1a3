"""Declarative base with a constraint naming convention, and shared column helpers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

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


# Every office in scope is in China: one time zone for local dates (deadlines, registers,
# periods of the statistics, dates printed on documents).
OFFICE_TZ = ZoneInfo("Asia/Shanghai")

_frozen_now: ContextVar[datetime | None] = ContextVar("frozen_now", default=None)


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC (or the time set by `frozen_time`)."""
    return _frozen_now.get() or datetime.now(UTC)


def local_date(moment: datetime) -> date:
    """The office's calendar date of a UTC timestamp."""
    return moment.astimezone(OFFICE_TZ).date()


def office_today() -> date:
    """Today in Asia/Shanghai (follows frozen_time in tests and demo history)."""
    return local_date(utcnow())


@contextmanager
def frozen_time(at: datetime) -> Iterator[None]:
    """Make utcnow() return `at` inside the block (demo history, tests of dated rules)."""
    if at.tzinfo is None:
        raise ValueError("frozen_time needs an aware datetime")
    token = _frozen_now.set(at.astimezone(UTC))
    try:
        yield
    finally:
        _frozen_now.reset(token)


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
