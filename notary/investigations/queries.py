"""Read side of the investigations: upcoming tasks by day, and counts for the statistics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from notary.cases.models import Case
from notary.core.models import OFFICE_TZ, local_date
from notary.extensions import db
from notary.investigations.models import Investigation, Method, TaskStatus, investigation_staff


@dataclass(frozen=True)
class TaskRow:
    task: Investigation
    case: Case


def upcoming_by_day(user_id: int | None, today: date, days: int
                    ) -> tuple[list[TaskRow], dict[date, list[TaskRow]]]:
    """Open tasks: those without a date or overdue first, then by local day up to `days`
    ahead. `user_id` None: the whole office (the director)."""
    until = datetime.combine(today + timedelta(days=days), time(0), tzinfo=OFFICE_TZ)
    query = (sa.select(Investigation, Case).join(Case, Case.id == Investigation.case_id)
             .where(Investigation.status == TaskStatus.OPEN,
                    sa.or_(Investigation.scheduled_at.is_(None),
                           Investigation.scheduled_at < until))
             .order_by(Investigation.scheduled_at, Investigation.id))
    if user_id is not None:
        query = query.where(Investigation.id.in_(
            sa.select(investigation_staff.c.investigation_id)
            .where(investigation_staff.c.user_id == user_id)))
    pending: list[TaskRow] = []
    by_day: dict[date, list[TaskRow]] = defaultdict(list)
    for task, case in db.session.execute(query).all():
        row = TaskRow(task, case)
        day = local_date(task.scheduled_at) if task.scheduled_at else None
        if day is None or day < today:
            pending.append(row)
        else:
            by_day[day].append(row)
    return pending, dict(sorted(by_day.items()))


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
