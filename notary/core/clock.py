"""The office's clock: UTC now, the office's calendar date, and a frozen time for tests.

Pure (no Flask, no database), so that rule modules judge "today" as the office does: a child
born this morning in Leiyang is born today, whatever the server's own time zone says.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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


