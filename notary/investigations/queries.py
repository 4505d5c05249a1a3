"""Read side of the investigations: upcoming tasks by day, and counts for the statistics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from notary.cases.models import Case
from notary.core.models import OFFICE_TZ, local_date
from notary.extensions import db
from notary.investigations.models import Investigation, Method, TaskStatus, investigation_staff


@dataclass(frozen=True)
class TaskRow:
    task: Investigation
    case: Case


def _open_tasks(user_id: int | None) -> sa.Select[Any]:
    query: Any = (sa.select(Investigation, Case).join(Case, Case.id == Investigation.case_id)
             .where(Investigation.status == TaskStatus.OPEN))
    if user_id is not None:
        query = query.where(Investigation.id.in_(
            sa.select(investigation_staff.c.investigation_id)
            .where(investigation_staff.c.user_id == user_id)))
    return query


def pending_statement(user_id: int | None, today: date) -> sa.Select[Any]:
    """Open tasks without a date or past their day, the oldest first (undated last).
    `user_id` None: the whole office (the director)."""
    start = datetime.combine(today, time(0), tzinfo=OFFICE_TZ)
    return (_open_tasks(user_id)
            .where(sa.or_(Investigation.scheduled_at.is_(None),
                          Investigation.scheduled_at < start))
            .order_by(Investigation.scheduled_at.is_(None), Investigation.scheduled_at,
                      Investigation.id))


def upcoming_by_day(user_id: int | None, today: date, days: int, limit: int = 100
                    ) -> tuple[dict[date, list[TaskRow]], int]:
    """Open tasks from today up to `days` ahead, by local day (at most `limit`), and how
    many there are (counted to limit + 1)."""
    start = datetime.combine(today, time(0), tzinfo=OFFICE_TZ)
    until = datetime.combine(today + timedelta(days=days), time(0), tzinfo=OFFICE_TZ)
    query = (_open_tasks(user_id)
             .where(Investigation.scheduled_at >= start, Investigation.scheduled_at < until)
             .order_by(Investigation.scheduled_at, Investigation.id))
    by_day: dict[date, list[TaskRow]] = defaultdict(list)
    rows = db.session.execute(query.limit(limit + 1)).all()
    for task, case in rows[:limit]:
        by_day[local_date(task.scheduled_at)].append(TaskRow(task, case))
    return dict(sorted(by_day.items())), len(rows)


def counts_by_method(start: date, end: date) -> dict[Method, int]:
    """Completed tasks per method in [start, end) by local closing date: home visits
    (上门服务) are reported on their own in the office statistics."""
    lo = datetime.combine(start, time(0), tzinfo=OFFICE_TZ)
    hi = datetime.combine(end, time(0), tzinfo=OFFICE_TZ)
    rows = db.session.execute(
        sa.select(Investigation.method, sa.func.count(Investigation.id))
        .where(Investigation.status == TaskStatus.DONE, Investigation.closed_at >= lo,
               Investigation.closed_at < hi)
        .group_by(Investigation.method)).all()
    return {method: int(n) for method, n in rows}
