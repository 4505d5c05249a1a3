"""Work queues: every one a plain indexed query over the stored due dates (no rows in loops)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from notary.cases.models import Case, Urgency
from notary.cases.queries import (
    CaseRow,
    local_day_start,
    rows_by_id,
    worked_by,
    worker_column,
)
from notary.cases.rules import OPEN_STATUSES, CaseStatus
from notary.deadlines.models import CaseClock
from notary.deadlines.services import working_calendar
from notary.extensions import db

RUNNING = sa.and_(CaseClock.stopped_on.is_(None), CaseClock.paused_since.is_(None))
CLOSED_STATUSES = (CaseStatus.ISSUED, CaseStatus.DELIVERED, CaseStatus.REFUSED,
                   CaseStatus.TERMINATED, CaseStatus.WITHDRAWN)


@dataclass(frozen=True)
class Queue:
    name: str
    title: Any
    help: Any


QUEUES = (
    Queue("overdue", _l("Overdue"), _l("Past the due date, clock running.")),
    Queue("due_soon", _l("Due soon"), _l("Due within the next working days.")),
    Queue("expedited", _l("Expedited"), _l("加急 and 特事特办 cases still open.")),
    Queue("long_paused", _l("Paused for long"), _l("Clock paused longer than the office "
                                                   "allows before a follow-up.")),
    Queue("stalled", _l("Stalled by the party"), _l("Waiting for the party's materials "
                                                     "for six months or more: candidates "
                                                     "for termination.")),
    Queue("archive", _l("To archive"), _l("Closed cases whose three-month filing deadline "
                                          "is near or past.")),
)


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _mine(stmt: Any, user_id: int | None, *, by_clock: bool = False) -> Any:
    if user_id is None:
        return stmt
    if by_clock:
        return stmt.where(_clock_worked_by(user_id))
    return stmt.where(worked_by(user_id))


def _clock_worked_by(user_id: int) -> Any:
    """A clock of the person's case: each of the few matching clocks asked whose case it is
    (a lookup by key). As a join condition on the cases, PostgreSQL hashed all of the
    person's cases (a third of the register) first."""
    worker = (sa.select(getattr(_OWNER, worker_column(user_id).key))
              .where(_OWNER.id == CaseClock.case_id).correlate(CaseClock).scalar_subquery())
    return worker == user_id


# The case a clock belongs to, under its own name: the statement may select the cases too.
# Made once (an alias costs a millisecond to build, on every page's navigation).
_OWNER = aliased(Case, name="owner")


def _clock_condition(name: str, today: date) -> Any | None:
    """The condition of a queue that only looks at the clock (None for the others)."""
    cfg = current_app.config
    if name == "overdue":
        return sa.and_(RUNNING, CaseClock.effective_due < today)
    if name == "due_soon":
        horizon = working_calendar().add_working_days(
            today, int(cfg["QUEUE_DUE_SOON_WORKING_DAYS"]))
        return sa.and_(RUNNING, CaseClock.effective_due.between(today, horizon))
    if name == "long_paused":
        since = today - timedelta(days=int(cfg["QUEUE_LONG_PAUSE_DAYS"]))
        return sa.and_(CaseClock.stopped_on.is_(None), CaseClock.paused_since <= since)
    return None


def queue_statement(name: str, today: date, user_id: int | None = None) -> sa.Select[Any]:
    """Select (Case, CaseClock) rows of one queue, most urgent first."""
    cfg = current_app.config
    stmt: Any = sa.select(Case, CaseClock).outerjoin(CaseClock, CaseClock.case_id == Case.id)
    clock_condition = _clock_condition(name, today)
    if clock_condition is not None:
        stmt = stmt.where(clock_condition)
        order: Any = (CaseClock.paused_since if name == "long_paused"
                      else CaseClock.effective_due)
    elif name == "expedited":
        stmt = stmt.where(Case.urgency != Urgency.NORMAL, Case.status.in_(OPEN_STATUSES))
        order = sa.func.coalesce(CaseClock.effective_due, date.max)
    elif name == "stalled":
        since = _months_before(today, int(cfg["STALL_MONTHS"]))
        stmt = stmt.where(Case.status == CaseStatus.SUPPLEMENTING,
                          CaseClock.paused_since <= since)
        order = CaseClock.paused_since
    elif name == "archive":
        # Deadline = closing date + 3 months; list it from ARCHIVE_WARNING_DAYS before.
        latest_closing = _months_before(
            today + timedelta(days=int(cfg["ARCHIVE_WARNING_DAYS"])),
            int(cfg["ARCHIVE_DEADLINE_MONTHS"]))
        stmt = stmt.where(Case.status.in_(CLOSED_STATUSES), Case.archived_at.is_(None),
                          Case.closed_at < local_day_start(latest_closing + timedelta(days=1)))
        order = Case.closed_at
    else:
        raise KeyError(name)
    return _mine(stmt, user_id, by_clock=clock_condition is not None).order_by(order, Case.id)


def queue_rows(name: str, today: date, user_id: int | None = None,
               limit: int = 200) -> list[tuple[Case, CaseClock | None]]:
    """The rows of one queue (at most `limit`)."""
    return [(c, k) for c, k in db.session.execute(
        queue_statement(name, today, user_id).limit(limit)).all()]


def queue_previews(names: tuple[str, ...], today: date, user_id: int | None = None,
                   each: int = 10) -> dict[str, list[tuple[CaseRow, CaseClock | None]]]:
    """The first `each` rows of several queues, as list rows with their clocks: each queue's
    case ids in its own order (one small statement a queue), then every case and clock read
    together (`queue_rows_of`)."""
    ids = {name: list(db.session.scalars(
        queue_statement(name, today, user_id).with_only_columns(Case.id).limit(each)))
        for name in names}
    rows = queue_rows_of([i for chosen in ids.values() for i in chosen])
    return {name: [rows[i] for i in chosen] for name, chosen in ids.items()}


def queue_rows_of(ids: list[int]) -> dict[int, tuple[CaseRow, CaseClock | None]]:
    """List rows and clocks of some cases, by id (a fixed number of statements)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    cases = rows_by_id(wanted)
    clocks = {k.case_id: k for k in db.session.scalars(
        sa.select(CaseClock).where(CaseClock.case_id.in_(wanted)))}
    return {i: (cases[i], clocks.get(i)) for i in wanted}


def queue_counts(today: date, user_id: int | None = None,
                 names: tuple[str, ...] | None = None, cap: int | None = None) -> dict[str, int]:
    """How many cases each queue holds, every queue's COUNT in one statement (one round
    trip, where a statement a queue cost the deadlines page six). With `cap`, a count that
    joins the cases stops at cap + 1 (shown as "more than cap")."""
    counts: dict[str, Any] = {}
    for name in names or tuple(q.name for q in QUEUES):
        clock_condition = _clock_condition(name, today)
        if user_id is None and clock_condition is not None:
            # Office-wide and about the clock only: counted in the clocks' own index (every
            # clock belongs to a case). The join to cases made PostgreSQL plan a parallel
            # scan whose start-up cost ten times the count, on every page's navigation.
            count = sa.select(sa.func.count()).select_from(CaseClock).where(clock_condition)
        elif clock_condition is not None and user_id is not None:
            # One person's, about the clock: counted in the clocks, each asked whose case
            # it is (every page's navigation shows two of these counts).
            count = (sa.select(sa.func.count()).select_from(CaseClock)
                     .where(clock_condition, _clock_worked_by(user_id)))
        else:
            stmt = queue_statement(name, today, user_id).order_by(None)
            if cap is not None:
                stmt = stmt.with_only_columns(sa.literal(1), maintain_column_froms=True
                                              ).limit(cap + 1)
            count = sa.select(sa.func.count()).select_from(stmt.subquery())
        counts[name] = count.scalar_subquery()
    found = db.session.execute(sa.select(*(count.label(f"q{i}") for i, count
                                          in enumerate(counts.values())))).one()
    return {name: int(value or 0) for name, value in zip(counts, found, strict=True)}


def menu_counts(today: date, user_id: int | None = None) -> dict[str, int]:
    """The navigation's two badges, overdue and due soon (the counts of those queues), in
    one statement built once: every signed-in page shows them."""
    horizon = working_calendar().add_working_days(
        today, int(current_app.config["QUEUE_DUE_SOON_WORKING_DAYS"]))
    column = None if user_id is None else worker_column(user_id).key
    params: dict[str, Any] = {"today": today, "horizon": horizon}
    if user_id is not None:
        params["uid"] = user_id
    overdue, due_soon = db.session.execute(_menu_counts_statement(column), params).one()
    return {"overdue": int(overdue or 0), "due_soon": int(due_soon or 0)}


@cache
def _menu_counts_statement(column: str | None) -> sa.Select[Any]:
    """Overdue (due before today) and due soon (today to the horizon) among the running
    clocks, office-wide or of the cases whose `column` (handling notary or assistant) is the
    user: the conditions of `_clock_condition` and `_clock_worked_by`, with parameters."""
    today, horizon = sa.bindparam("today", type_=sa.Date), sa.bindparam("horizon", type_=sa.Date)
    due = CaseClock.effective_due
    stmt: Any = (sa.select(sa.func.count().filter(due < today),
                                      sa.func.count().filter(due >= today))
            .select_from(CaseClock).where(RUNNING, due <= horizon))
    if column is not None:
        worker = (sa.select(getattr(_OWNER, column)).where(_OWNER.id == CaseClock.case_id)
                  .correlate(CaseClock).scalar_subquery())
        stmt = stmt.where(worker == sa.bindparam("uid"))
    return stmt


def archive_deadline(closed_on: date) -> date:
    """The last day to hand over the file of a case closed on closed_on."""
    months = int(current_app.config["ARCHIVE_DEADLINE_MONTHS"])
    return _months_before(closed_on, -months)
