"""The review's clock (复查, 公证程序规则 2020 arts. 61-64), pure: no Flask, no database.

30 calendar days from the application to the decision; time supplementing materials or
verifying does not count, but at most six months of it; force majeure does not count either,
without a cap. The decision is carried out within 10 days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

CAPPED_KINDS = frozenset({"materials", "verification"})


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def not_counted_days(pauses: Iterable[tuple[str, date, date | None]], *, applied_on: date,
                     today: date, cap_months: int) -> int:
    """Days that do not count: every pause until its end (or today), the capped kinds at most
    `cap_months` from the application's date taken together."""
    cap = (add_months(applied_on, cap_months) - applied_on).days
    capped = free = 0
    for kind, start, end in pauses:
        days = max(0, ((end or today) - start).days)
        if kind in CAPPED_KINDS:
            capped += days
        else:
            free += days
    return min(capped, cap) + free


def capped_days_left(pauses: Iterable[tuple[str, date, date | None]], *, applied_on: date,
                     today: date, cap_months: int) -> int:
    """How many more days may still be spent on materials or verification."""
    cap = (add_months(applied_on, cap_months) - applied_on).days
    used = sum(max(0, ((end or today) - start).days) for kind, start, end in pauses
               if kind in CAPPED_KINDS)
    return max(0, cap - used)


def decision_due(applied_on: date, not_counted: int, days: int) -> date:
    """The last day to decide: `days` after the application plus the time not counted."""
    return applied_on + timedelta(days=days + not_counted)


def execution_due(decided_on: date, days: int) -> date:
    """The last day to carry the decision out (recall, correct, announce)."""
    return decided_on + timedelta(days=days)
