"""The statutory clock of a case (pure: no Flask, no database).

公证法 art. 30: the certificate is due within 15 working days of acceptance
(自受理之日起十五个工作日内); time for force majeure, for supplementing materials and for
verification does not count. The day of acceptance is not counted (民法典 art. 201: 开始的当日
不计入). A pause runs from the day it starts up to, not including, the day the case returns
to review: a pause opened and closed on the same day costs nothing, and every paused working
day moves the due date by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from notary.core.calendar import WorkingCalendar

STATUTORY_WORKING_DAYS = 15  # 公证法 art. 30


@dataclass(frozen=True)
class Pause:
    kind: str
    start: date
    end: date | None = None  # the day the clock resumed; None while still paused
    reason: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class ClockState:
    accepted_on: date
    limit: int
    used: int  # working days counted so far (up to today, or the day the clock stopped)
    left: int  # limit - used; negative when overdue
    due_date: date | None  # None while paused (the date depends on when the pause ends)
    paused: bool
    stopped_on: date | None
    overdue: bool
    unknown_years: tuple[int, ...]  # years counted Monday-Friday because holidays are unknown


def compute_clock(calendar: WorkingCalendar, accepted_on: date, pauses: Sequence[Pause], *,
                  today: date, stopped_on: date | None = None,
                  limit: int = STATUTORY_WORKING_DAYS) -> ClockState:
    """Working days used and left, and the due date, for a case accepted on accepted_on."""

    def skip(day: date) -> bool:
        return any(p.covers(day) for p in pauses)

    until = min(today, stopped_on) if stopped_on else today
    used = calendar.working_days_between(accepted_on, until, skip)
    paused = stopped_on is None and any(p.end is None for p in pauses)
    due = None if paused else calendar.add_working_days(accepted_on, limit, skip)
    if stopped_on is not None:
        overdue = due is not None and stopped_on > due
    else:
        overdue = due is not None and today > due
    horizon = due or today
    return ClockState(
        accepted_on=accepted_on, limit=limit, used=used, left=limit - used, due_date=due,
        paused=paused, stopped_on=stopped_on, overdue=overdue,
        unknown_years=tuple(calendar.unknown_years(accepted_on, max(horizon, until))),
    )
