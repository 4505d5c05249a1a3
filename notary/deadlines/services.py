"""Deadline services: the working-day calendar, each case's clock, expedited targets, recusal."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context, has_request_context
from flask_babel import gettext as _

from notary.auth.models import User
from notary.cases.models import Case
from notary.cases.rules import FINAL_STATUSES, Action, CaseStatus
from notary.cases.services import (
    ensure_may_act_on_case,
    is_case_worker,
    notary_conflict,
    register_conflict_check,
)
from notary.cases.workflow import StepContext, register_step_effect
from notary.core import audit
from notary.core.calendar import WorkingCalendar
from notary.core.errors import DomainError, ErrorCollector, NotFound, NotPermitted
from notary.core.models import local_date, office_today, utcnow
from notary.core.page_cache import kept_for_version
from notary.core.permissions import (
    Permission,
    Role,
    ensure_permitted,
    has_permission,
    register_object_guard,
)
from notary.deadlines.models import (
    CalendarDay,
    CalendarYear,
    CaseClock,
    ClockPause,
    PauseKind,
    RecusalRequest,
    RecusalStatus,
    Relation,
    StaffRelation,
)
from notary.deadlines.rules import STATUTORY_WORKING_DAYS, ClockState, Pause, compute_clock
from notary.extensions import db
from notary.parties.rules import DocumentType, check_document, normalize_document_number

STATUTORY_PAUSES = frozenset({PauseKind.SUPPLEMENT, PauseKind.VERIFICATION,
                              PauseKind.FORCE_MAJEURE})
MAX_EXPEDITE_DAYS = STATUTORY_WORKING_DAYS - 1


# --- the calendar -------------------------------------------------------------------------

def working_calendar() -> WorkingCalendar:
    """The official calendar with the office's corrections (cached for the request).

    A page that only reads (GET) also finds it kept for the data version the request began
    at (`page_cache.kept_for_version`): every change to the calendar writes an audit entry,
    which moves the version, so a kept calendar is the stored one. A request that may write
    reads it afresh."""
    if has_app_context() and "_working_calendar" in g:
        return g._working_calendar

    def read() -> WorkingCalendar:
        overrides = dict(db.session.execute(sa.select(CalendarDay.day, CalendarDay.is_working))
                         .all())
        return WorkingCalendar(overrides, db.session.scalars(sa.select(CalendarYear.year)).all())

    calendar = (kept_for_version("deadlines.calendar", read) if has_request_context()
                else read())
    if has_app_context():
        g._working_calendar = calendar
    return calendar


def _forget_calendar() -> None:
    if has_app_context():
        g.pop("_working_calendar", None)


def set_calendar_day(day: date, is_working: bool, note: str, *, actor: Any) -> CalendarDay:
    """Enter or correct one day (a holiday, or a make-up working day); open clocks follow."""
    ensure_permitted(actor, Permission.CALENDAR_MANAGE)
    entry = db.session.scalar(sa.select(CalendarDay).where(CalendarDay.day == day))
    before = audit.snapshot(entry, ("day", "is_working", "note")) if entry else None
    if entry is None:
        entry = CalendarDay(day=day, is_working=is_working, note=note.strip())
        db.session.add(entry)
    else:
        entry.is_working, entry.note = is_working, note.strip()
    audit.record(db.session, actor, "calendar.day", entry, before=before,
                 after=audit.snapshot(entry, ("day", "is_working", "note")))
    _forget_calendar()
    recompute_open_clocks()
    db.session.commit()
    return entry


def remove_calendar_day(entry_id: int, *, actor: Any) -> None:
    """Drop an office correction: the official calendar applies to that day again."""
    ensure_permitted(actor, Permission.CALENDAR_MANAGE)
    entry = db.session.get(CalendarDay, entry_id)
    if entry is None:
        raise NotFound(_("No such day."))
    audit.record(db.session, actor, "calendar.day_removed", entry,
                 before=audit.snapshot(entry, ("day", "is_working", "note")))
    db.session.delete(entry)  # a setting, not a legal record; the audit entry keeps it
    db.session.flush()
    _forget_calendar()
    recompute_open_clocks()
    db.session.commit()


def set_year_complete(year: int, complete: bool, *, actor: Any) -> None:
    """Mark a year's holiday schedule as entered in full (ends the Monday-Friday warning)."""
    ensure_permitted(actor, Permission.CALENDAR_MANAGE)
    entry = db.session.scalar(sa.select(CalendarYear).where(CalendarYear.year == year))
    if complete and entry is None:
        entry = CalendarYear(year=year, completed_by_id=actor.id)
        db.session.add(entry)
        audit.record(db.session, actor, "calendar.year_complete", entry, after={"year": year})
    elif not complete and entry is not None:
        audit.record(db.session, actor, "calendar.year_reopened", entry, before={"year": year})
        db.session.delete(entry)
    db.session.flush()
    _forget_calendar()
    recompute_open_clocks()
    db.session.commit()


def calendar_warnings(today: date | None = None) -> list[int]:
    """Years whose holidays are unknown: this year, and from October the next (deadlines
    reach into it and the State Council publishes its schedule late in the year)."""
    today = today or office_today()
    last = today.year + 1 if today.month >= 10 else today.year
    return working_calendar().unknown_years(date(today.year, 1, 1), date(last, 1, 1))


# --- the clock ----------------------------------------------------------------------------

def _pauses(clock: CaseClock) -> list[Pause]:
    return [Pause(p.kind.value, p.started_on, p.ended_on, p.reason) for p in clock.pauses]


def clock_state(clock: CaseClock, today: date | None = None,
                calendar: WorkingCalendar | None = None) -> ClockState:
    """Working days used and left, due date and pause state of a clock, as of today."""
    return compute_clock(calendar or working_calendar(), clock.accepted_on, _pauses(clock),
                         today=today or office_today(), stopped_on=clock.stopped_on)


def expedite_state(clock: CaseClock, today: date | None = None) -> ClockState | None:
    """The same for the approved 加急 / 特事特办 target, if any."""
    if clock.expedite_days is None:
        return None
    return compute_clock(working_calendar(), clock.accepted_on, _pauses(clock),
                         today=today or office_today(), stopped_on=clock.stopped_on,
                         limit=clock.expedite_days)


def recompute(clock: CaseClock, calendar: WorkingCalendar | None = None) -> None:
    """Refresh the stored due dates of one clock (flush only)."""
    calendar = calendar or working_calendar()
    state = clock_state(clock, calendar=calendar)
    clock.due_date = state.due_date
    expedite = None
    if clock.expedite_days is not None:
        expedite = compute_clock(calendar, clock.accepted_on, _pauses(clock),
                                 today=office_today(), stopped_on=clock.stopped_on,
                                 limit=clock.expedite_days).due_date
    clock.expedite_due_date = expedite
    dues = [d for d in (state.due_date, expedite) if d is not None]
    clock.effective_due = min(dues) if dues else None
    open_pauses = [p.started_on for p in clock.pauses if p.ended_on is None]
    clock.paused_since = min(open_pauses) if open_pauses else None


def recompute_open_clocks() -> int:
    """Refresh every running clock after a calendar change (two queries, then one flush)."""
    calendar = working_calendar()
    clocks = db.session.scalars(sa.select(CaseClock).where(CaseClock.stopped_on.is_(None))).all()
    for clock in clocks:
        recompute(clock, calendar)
    db.session.flush()
    return len(clocks)


def get_clock(case: Case) -> CaseClock | None:
    """The case's clock (None until the case is accepted)."""
    return db.session.get(CaseClock, case.id)


def _open_pause(clock: CaseClock, kind: PauseKind, reason: str, day: date, actor: Any) -> None:
    clock.pauses.append(ClockPause(kind=kind, reason=reason, started_on=day,
                                   started_by_id=getattr(actor, "id", None)))


def _close_pauses(clock: CaseClock, kinds: set[PauseKind] | None, day: date,
                  actor: Any) -> None:
    for pause in clock.pauses:
        if pause.ended_on is None and (kinds is None or pause.kind in kinds):
            pause.ended_on, pause.ended_at = max(day, pause.started_on), utcnow()
            pause.ended_by_id = getattr(actor, "id", None)


@register_step_effect
def _follow_the_procedure(step: StepContext) -> None:
    """Start, pause, resume and stop the clock as the case moves (公证法 art. 30)."""
    case, action, day = step.case, step.action, local_date(step.at)
    clock: CaseClock | None
    if action is Action.ACCEPT:
        clock = CaseClock(case_id=case.id, accepted_on=day)
        db.session.add(clock)
    else:
        clock = get_clock(case)
    if clock is None:
        return
    reason = (step.data.reason or "").strip()
    if action is Action.REQUEST_SUPPLEMENT:
        _open_pause(clock, PauseKind.SUPPLEMENT, reason, day, step.actor)
    elif action is Action.START_VERIFICATION:
        _open_pause(clock, PauseKind.VERIFICATION, reason, day, step.actor)
    elif action is Action.RESUME_REVIEW:
        _close_pauses(clock, {PauseKind.SUPPLEMENT, PauseKind.VERIFICATION}, day, step.actor)
    elif action in {Action.ISSUE, Action.REFUSE, Action.TERMINATE, Action.WITHDRAW}:
        _close_pauses(clock, None, day, step.actor)
        clock.stopped_on = day
        if action is Action.ISSUE:
            state = clock_state(clock, today=day)
            clock.working_days_to_issue = state.used
            clock.issued_on_time = not state.overdue
    recompute(clock)
    db.session.flush()


def _ensure_clock_worker(case: Case, actor: Any) -> CaseClock:
    ensure_permitted(actor, Permission.CASE_PROCESS)
    if not is_case_worker(actor, case):
        raise NotPermitted(_("Only the notary handling this case, their assistant or the "
                             "director can change its clock."))
    clock = get_clock(case)
    if clock is None or clock.stopped_on is not None or case.status in FINAL_STATUSES:
        raise DomainError(_("The clock runs only between acceptance and issue."))
    return clock


def allowed_pause_kinds() -> list[PauseKind]:
    """Pauses a user may open by hand: force majeure, plus those the office enabled."""
    extra = set(current_app.config["CLOCK_EXTRA_PAUSE_KINDS"])
    return [PauseKind.FORCE_MAJEURE, *[k for k in (PauseKind.TRANSLATION,
                                                   PauseKind.PUBLIC_NOTICE) if k.value in extra]]


def pause_clock(case: Case, kind: PauseKind, reason: str, *, actor: Any) -> ClockPause:
    """Stop the clock for force majeure (or an office-enabled reason), with the reason."""
    clock = _ensure_clock_worker(case, actor)
    errors = ErrorCollector()
    if kind not in allowed_pause_kinds():
        errors.add("kind", _("This office does not pause the clock for this reason."))
    if not reason.strip():
        errors.add("reason", _("Give the reason; it is recorded in the file."))
    if any(p.ended_on is None and p.kind is kind for p in clock.pauses):
        errors.add("kind", _("The clock is already paused for this reason."))
    errors.raise_if_any()
    day = office_today()
    _open_pause(clock, kind, reason.strip(), day, actor)
    recompute(clock)
    pause = clock.pauses[-1]
    audit.record(db.session, actor, "clock.pause", case,
                 after={"pause": kind.value, "started_on": day}, reason=reason.strip())
    db.session.commit()
    return pause


def resume_clock(case: Case, pause_id: int, *, actor: Any) -> ClockPause:
    """End a pause opened by hand (status pauses end when the case returns to review)."""
    clock = _ensure_clock_worker(case, actor)
    pause = next((p for p in clock.pauses if p.id == pause_id and p.ended_on is None), None)
    if pause is None:
        raise NotFound(_("No such open pause."))
    if pause.kind not in {PauseKind.FORCE_MAJEURE, PauseKind.TRANSLATION,
                          PauseKind.PUBLIC_NOTICE}:
        raise DomainError(_("This pause ends when the case returns to review."))
    day = office_today()
    _close_pauses(clock, {pause.kind}, day, actor)
    recompute(clock)
    audit.record(db.session, actor, "clock.resume", case,
                 after={"pause": pause.kind.value, "ended_on": day})
    db.session.commit()
    return pause


def approve_expedite(case: Case, days: int, note: str, *, actor: Any) -> CaseClock:
    """The director approves a 加急 / 特事特办 target: N working days (0 = the same day)."""
    ensure_permitted(actor, Permission.EXPEDITE_APPROVE)
    clock = get_clock(case)
    errors = ErrorCollector()
    if clock is None or clock.stopped_on is not None:
        raise DomainError(_("A target can be set only between acceptance and issue."))
    if not 0 <= days <= MAX_EXPEDITE_DAYS:
        errors.add("days", _("Enter a number of working days from 0 (the same day) to "
                             "%(max)d.", max=MAX_EXPEDITE_DAYS))
    if not note.strip():
        errors.add("note", _("Give the reason; it is recorded in the file."))
    errors.raise_if_any()
    before = {"expedite_days": clock.expedite_days}
    clock.expedite_days = days
    clock.expedite_approved_by_id, clock.expedite_approved_at = actor.id, utcnow()
    recompute(clock)
    audit.record(db.session, actor, "clock.expedite", case, before=before,
                 after={"expedite_days": days, "expedite_due_date": clock.expedite_due_date},
                 reason=note.strip())
    db.session.commit()
    return clock


# --- recusal (回避) -------------------------------------------------------------------------

@register_conflict_check
def _recorded_relation(notary_id: int, parties: Any) -> str | None:
    """A notary is not assigned where they or a recorded close relative are a party."""
    documents = [(p.document_type, p.document_number) for p in parties]
    if not documents:
        return None
    match = db.session.execute(
        sa.select(StaffRelation, User.full_name)
        .join(User, User.id == StaffRelation.user_id)
        .where(StaffRelation.user_id == notary_id, StaffRelation.is_active.is_(True),
               sa.tuple_(StaffRelation.document_type, StaffRelation.document_number)
               .in_(documents))
        .limit(1)
    ).first()
    if match is None:
        return None
    relation, notary_name = match
    if relation.relation is Relation.SELF:
        return _("%(notary)s is a party to this case and must not handle it (公证法 art. 23).",
                 notary=notary_name)
    return _("%(name)s, a party to this case, is %(notary)s's %(relation)s: the notary must "
             "not handle it (公证法 art. 23).", name=relation.name, notary=notary_name,
             relation=relation.relation.label)


def add_staff_relation(user: User, relation: Relation, name: str, document_type: DocumentType,
                       document_number: str, *, actor: Any) -> StaffRelation:
    """Record a notary's own document or a close relative's, for the recusal check."""
    ensure_permitted(actor, Permission.USER_MANAGE)
    number = normalize_document_number(document_type, document_number)
    errors = ErrorCollector()
    if not name.strip():
        errors.add("name", _("This field is required."))
    if check_document(document_type, number, nationality="—"):
        errors.add("document_number", _("The document number is not valid."))
    if db.session.scalar(sa.select(StaffRelation.id).where(
            StaffRelation.user_id == user.id, StaffRelation.document_type == document_type,
            StaffRelation.document_number == number)):
        errors.add("document_number", _("This document is already recorded."))
    errors.raise_if_any()
    entry = StaffRelation(user_id=user.id, relation=relation, name=name.strip(),
                          document_type=document_type, document_number=number)
    db.session.add(entry)
    audit.record(db.session, actor, "staff_relation.add", entry,
                 after=audit.snapshot(entry, ("user_id", "relation", "name", "document_type",
                                              "document_number")))
    db.session.commit()
    return entry


def set_staff_relation_active(entry_id: int, active: bool, *, actor: Any) -> StaffRelation:
    """Retire (or restore) a recorded relation; never deleted."""
    ensure_permitted(actor, Permission.USER_MANAGE)
    entry = db.session.get(StaffRelation, entry_id)
    if entry is None:
        raise NotFound(_("No such record."))
    before = {"is_active": entry.is_active}
    entry.is_active = active
    audit.record(db.session, actor, "staff_relation.active", entry, before=before,
                 after={"is_active": active})
    db.session.commit()
    return entry


def relations_of(user_id: int) -> list[StaffRelation]:
    """A staff member's recorded relations, active first."""
    return list(db.session.scalars(
        sa.select(StaffRelation).where(StaffRelation.user_id == user_id)
        .order_by(StaffRelation.is_active.desc(), StaffRelation.id)))


def request_recusal(case: Case, requested_by: str, reason: str, *,
                    actor: Any) -> RecusalRequest:
    """Record a party's request that the handling notary step aside."""
    ensure_permitted(actor, Permission.RECUSAL_REQUEST)
    ensure_may_act_on_case(actor, case)
    if case.status in FINAL_STATUSES or case.status is CaseStatus.ISSUED or \
            case.status is CaseStatus.DELIVERED:
        raise DomainError(_("Recusal can be requested only before the certificate is issued."))
    if case.handling_notary_id is None:
        raise DomainError(_("No notary is assigned to this case yet."))
    errors = ErrorCollector()
    if not requested_by.strip():
        errors.add("requested_by", _("This field is required."))
    if not reason.strip():
        errors.add("reason", _("Give the reason; it is recorded in the file."))
    if db.session.scalar(sa.select(RecusalRequest.id).where(
            RecusalRequest.case_id == case.id,
            RecusalRequest.status == RecusalStatus.PENDING)):
        errors.add("", _("A recusal request on this case is already waiting for a decision."))
    errors.raise_if_any()
    request = RecusalRequest(case_id=case.id, notary_id=case.handling_notary_id,
                             requested_by=requested_by.strip(), reason=reason.strip(),
                             recorded_by_id=actor.id)
    db.session.add(request)
    db.session.flush()
    audit.record(db.session, actor, "recusal.request", case,
                 after={"recusal_request": request.id, "handling_notary_id":
                        case.handling_notary_id, "requested_by": request.requested_by},
                 reason=request.reason)
    db.session.commit()
    return request


def decide_recusal(request: RecusalRequest, grant: bool, new_notary_id: int | None,
                   note: str, *, actor: Any) -> RecusalRequest:
    """The director grants (and reassigns the case) or rejects a recusal request."""
    ensure_permitted(actor, Permission.RECUSAL_DECIDE)
    if request.status is not RecusalStatus.PENDING:
        raise DomainError(_("This request has already been decided."))
    case = db.session.get(Case, request.case_id)
    assert case is not None
    errors = ErrorCollector()
    if grant:
        notary = db.session.get(User, new_notary_id) if new_notary_id else None
        if notary is None or notary.role not in {Role.NOTARY, Role.DIRECTOR} or \
                not notary.is_enabled:
            errors.add("new_notary_id", _("Choose the notary who takes over the case."))
        elif notary.id == request.notary_id:
            errors.add("new_notary_id", _("Choose a different notary."))
        elif notary.id == case.approver_id:
            errors.add("new_notary_id",
                       _("The approver of this case cannot be its handling notary."))
        elif problem := notary_conflict(notary.id, [p.party for p in case.active_participants]):
            errors.add("new_notary_id", problem)
    if not note.strip():
        errors.add("decision_note", _("Give the reason; it is recorded in the file."))
    errors.raise_if_any()
    request.status = RecusalStatus.GRANTED if grant else RecusalStatus.REJECTED
    request.decided_by_id, request.decided_at = actor.id, utcnow()
    request.decision_note = note.strip()
    after: dict[str, Any] = {"recusal_request": request.id, "decision": request.status.value}
    before: dict[str, Any] = {}
    if grant:
        request.new_notary_id = new_notary_id
        before["handling_notary_id"] = case.handling_notary_id
        case.handling_notary_id = new_notary_id
        after["handling_notary_id"] = new_notary_id
    audit.record(db.session, actor, "recusal.decide", case, before=before, after=after,
                 reason=request.decision_note)
    db.session.commit()
    return request


def get_recusal(request_id: int) -> RecusalRequest:
    """Load a recusal request or raise NotFound."""
    request = db.session.get(RecusalRequest, request_id)
    if request is None:
        raise NotFound(_("No such request."))
    return request


def recusals_of(case_id: int) -> list[RecusalRequest]:
    """The case's recusal requests, oldest first."""
    return list(db.session.scalars(sa.select(RecusalRequest)
                                   .where(RecusalRequest.case_id == case_id)
                                   .order_by(RecusalRequest.id)))


def can_work_clock(actor: Any, case: Case) -> bool:
    """Whether the actor may pause or resume this case's clock (for showing buttons)."""
    return has_permission(actor, Permission.CASE_PROCESS) and is_case_worker(actor, case)


def _guard_recusal(actor: Any, request_id: int) -> None:
    request = get_recusal(request_id)
    case = db.session.get(Case, request.case_id)
    assert case is not None
    ensure_may_act_on_case(actor, case)


register_object_guard("request_id", _guard_recusal)
