"""Procedure transitions: who may move a case from one stage to the next, and what each records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from notary.auth.models import User
from notary.cases.models import Case, CaseEvent
from notary.cases.rules import (
    CLOSING_OF_ACTION,
    TRANSITIONS,
    Action,
    CaseStatus,
    NotAcceptedGround,
    RefusalGround,
    TerminationGround,
    TransitionNotAllowed,
    agent_not_allowed,
    available_actions,
    next_status,
)
from notary.cases.services import _commit_versioned, is_case_worker, notary_conflict
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotPermitted
from notary.core.models import office_today, utcnow
from notary.core.permissions import Permission, Role, has_permission
from notary.core.sequences import next_value
from notary.extensions import db

ACTION_PERMISSION: dict[Action, Permission] = {
    Action.ACCEPT: Permission.CASE_ACCEPT,
    Action.START_REVIEW: Permission.CASE_PROCESS,
    Action.REQUEST_SUPPLEMENT: Permission.CASE_PROCESS,
    Action.START_VERIFICATION: Permission.CASE_PROCESS,
    Action.RESUME_REVIEW: Permission.CASE_PROCESS,
    Action.SUBMIT_FOR_APPROVAL: Permission.CASE_PROCESS,
    Action.RETURN_FOR_REVIEW: Permission.CASE_APPROVE,
    Action.APPROVE: Permission.CASE_APPROVE,
    Action.ISSUE: Permission.CASE_PROCESS,
    Action.DELIVER: Permission.CASE_PROCESS,
    Action.ARCHIVE: Permission.CASE_PROCESS,
    Action.REFUSE: Permission.CASE_CLOSE,
    Action.TERMINATE: Permission.CASE_CLOSE,
    Action.WITHDRAW: Permission.CASE_WITHDRAW,
    Action.REJECT: Permission.CASE_ACCEPT,  # deciding on acceptance is the notary's
}
# Steps only a notary (not an assistant) may take on their own case.
NOTARY_ONLY = frozenset({Action.SUBMIT_FOR_APPROVAL, Action.ISSUE})
APPROVER_ACTIONS = frozenset({Action.APPROVE, Action.RETURN_FOR_REVIEW})


@dataclass(frozen=True)
class StepData:
    """What the user enters with a step; each action reads the fields it needs."""

    reason: str | None = None
    ground: str | None = None
    notary_id: int | None = None  # acceptance: the handling notary (承办公证员)
    # Acceptance: the conditions of 公证程序规则 art. 19 are met and the applicant was told
    # their rights and obligations (art. 21); the notary confirms both.
    conditions_confirmed: bool = False
    delivery_method: str | None = None
    delivered_to: str | None = None
    archive_number: str | None = None


@dataclass(frozen=True)
class StepContext:
    """What a step hook sees: the case (already moved when an effect runs), the step, who."""

    case: Case
    action: Action
    data: StepData
    actor: Any
    from_status: CaseStatus
    at: datetime


StepCheck = Callable[[StepContext, ErrorCollector], None]
StepEffect = Callable[[StepContext], None]
_step_checks: list[StepCheck] = []
_step_effects: list[StepEffect] = []


def register_step_check(check: StepCheck) -> StepCheck:
    """Let another domain refuse a step (e.g. no issue while the fee is unpaid).

    The check adds problems to the collector; it runs before anything changes.
    """
    _step_checks.append(check)
    return check


def register_step_effect(effect: StepEffect) -> StepEffect:
    """Let another domain record what a step means for it (e.g. pause the clock).

    The effect runs inside the step's unit of work, after the transition, before the commit;
    it only adds to the session and flushes.
    """
    _step_effects.append(effect)
    return effect


def may_approve(actor: Any) -> bool:
    """Whether the actor is one of the office's approvers (审批): the roles named in
    APPROVAL_ROLES (the director by default) and the notaries the administrator designated.
    Who may approve is an office setting: no text found says who (legal-texts.md §6.3)."""
    if not getattr(actor, "is_active", False):
        return False
    if actor.role.value in current_app.config["APPROVAL_ROLES"]:
        return True
    return bool(getattr(actor, "may_approve", False)) and actor.role is Role.NOTARY


def refusal_reason(actor: Any, case: Case, action: Action) -> str | None:
    """Return why the actor may not take the action on the case now, or None if they may."""
    refusal = _refusal(actor, case, action)
    return refusal[0] if refusal else None


def refused_by_rule(actor: Any, case: Case, action: Action) -> str | None:
    """Why the actor may never take this step on this case (role or object rule), else None.

    Unlike a step that is not possible at this stage, this refusal does not depend on the
    case's status: whoever may not touch the case is told so first.
    """
    refusal = _refusal(actor, case, action)
    return refusal[0] if refusal and refusal[1] else None


def _refusal(actor: Any, case: Case, action: Action) -> tuple[str, bool] | None:
    """(why, whether it is the role's or the case's rule) or None."""
    if action in APPROVER_ACTIONS:
        if not may_approve(actor):
            return _("Only the office's approvers can take this step."), True
        # Nobody approves their own case (domain.md §1.2, 审批).
        if actor.id == case.handling_notary_id:
            return _("The handling notary cannot approve their own case."), True
        # A suspended notary (停止执业, 公证法 arts. 41-42) approves nothing.
        if isinstance(actor, User) and actor.is_suspended_on(office_today()):
            return _("Your practice is suspended: you cannot approve."), True
    elif not has_permission(actor, ACTION_PERMISSION[action]):
        return _("Your role cannot take this step."), True
    elif action in {Action.ACCEPT, Action.REJECT}:
        if (case.handling_notary_id not in {None, actor.id}
                and actor.role is not Role.DIRECTOR):
            return _("This application is assigned to another notary."), True
    elif action in {Action.REFUSE, Action.TERMINATE} or (
            action is Action.WITHDRAW and case.status is CaseStatus.APPLIED):
        pass
    elif not is_case_worker(actor, case):
        return _("Only the notary handling this case, their assistant or the director can "
                 "take this step."), True
    elif action in NOTARY_ONLY and actor.role is Role.ASSISTANT:
        return _("Only a notary can take this step."), True
    if action not in available_actions(case.status):
        return _("This step is not possible while the case is %(status)s.",
                 status=case.status.label), False
    return None


def allowed_actions(actor: Any, case: Case) -> list[Action]:
    """The steps the actor may take on the case now (for showing buttons)."""
    return [a for a in available_actions(case.status) if refusal_reason(actor, case, a) is None]


def _check_step(case: Case, action: Action, data: StepData, actor: Any) -> ErrorCollector:
    errors = ErrorCollector()
    if TRANSITIONS[action].reason_required and not (data.reason or "").strip():
        errors.add("reason", _("Give the reason; it is recorded in the file."))
    if action is Action.REFUSE and data.ground not in {g.value for g in RefusalGround}:
        errors.add("ground", _("Choose one of the grounds of 公证法 art. 31."))
    if action is Action.TERMINATE and data.ground not in {g.value for g in TerminationGround}:
        errors.add("ground", _("Choose one of the grounds for termination."))
    if action is Action.REJECT and data.ground not in {g.value for g in NotAcceptedGround}:
        errors.add("ground", _("Choose the condition of acceptance that is not met "
                               "(公证程序规则 art. 19)."))
    if action is Action.ACCEPT:
        if not data.conditions_confirmed:
            errors.add("confirm", _("Confirm the acceptance conditions."))
        notary_id = data.notary_id or case.handling_notary_id or (
            actor.id if actor.role is Role.NOTARY else None)
        notary = db.session.get(User, notary_id) if notary_id else None
        if notary is None or notary.role not in {Role.NOTARY, Role.DIRECTOR} \
                or not notary.is_enabled:
            errors.add("notary_id", _("Choose the notary who will handle the case."))
        elif notary.is_suspended_on(office_today()):
            errors.add("notary_id", _("This notary's practice is suspended: choose another."))
        elif problem := notary_conflict(notary.id, [p.party for p in case.active_participants]):
            errors.add("notary_id", problem)
        if agent_not_allowed((m.in_person_only for m in case.matters),
                             bool([p for p in case.agents if p.role.value == "agent"])):
            errors.add("", _("This matter must be applied for in person: remove the agent "
                             "before accepting."))
        if not case.applicants:
            errors.add("", _("A case needs at least one applicant."))
    if action is Action.DELIVER and not (data.delivered_to or "").strip():
        errors.add("delivered_to", _("Enter who received the certificate."))
    return errors


def _acceptance_number(case: Case) -> None:
    now = utcnow()
    year = now.astimezone(_office_tz()).year
    seq = next_value(db.session, "acceptance", year)
    width = int(current_app.config["ACCEPTANCE_SEQ_WIDTH"])
    case.acceptance_year, case.acceptance_seq = year, seq
    case.acceptance_number = current_app.config["ACCEPTANCE_NUMBER_FORMAT"].format(
        year=year, seq=str(seq).zfill(width)
    )


def _office_tz() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def perform(case: Case, action: Action, data: StepData, *, actor: Any) -> Case:
    """Move the case one step through the procedure, recording actor, time and reason."""
    refusal = _refusal(actor, case, action)
    if refusal is not None:
        raise NotPermitted(refusal[0]) if refusal[1] else DomainError(refusal[0])
    now = utcnow()
    context = StepContext(case, action, data, actor, case.status, now)
    errors = _check_step(case, action, data, actor)
    for check in _step_checks:
        check(context, errors)
    errors.raise_if_any()
    try:
        target = next_status(case.status, action)
    except TransitionNotAllowed as exc:  # guarded above; kept for callers outside the views
        raise DomainError(_("This step is not possible now.")) from exc
    tracked = ("acceptance_number", "handling_notary_id", "certificate_number",
               "delivered_to", "archive_number", "closing_ground")
    before: dict[str, Any] = {"status": case.status.value}
    previous = {key: getattr(case, key) for key in tracked}
    if action is Action.ACCEPT:
        case.handling_notary_id = data.notary_id or case.handling_notary_id or actor.id
        case.accepted_at = now
        _acceptance_number(case)
    elif action is Action.APPROVE:
        case.approver_id, case.approved_at = actor.id, now
    elif action is Action.ISSUE:
        # The number is the certificates domain's: it numbers every certificate of the case
        # in a step effect, inside this unit of work (gap-free, never reused).
        case.issued_at = now
    elif action is Action.DELIVER:
        case.delivered_at = now
        case.delivery_method = data.delivery_method or None
        case.delivered_to = (data.delivered_to or "").strip()
    elif action is Action.ARCHIVE:
        case.archived_at = now
        case.archive_number = (data.archive_number or "").strip() or None
    if action in CLOSING_OF_ACTION:
        case.closing_type = CLOSING_OF_ACTION[action]
        case.closed_at = now
        case.closing_ground = (data.ground if action in {Action.REFUSE, Action.TERMINATE,
                                                         Action.REJECT} else None)
        case.closing_reason = (data.reason or "").strip() or None
    from_status = case.status
    case.status = target
    reason = (data.reason or "").strip() or None
    db.session.add(CaseEvent(case_id=case.id, action=action.value, from_status=from_status,
                             to_status=target, actor_id=actor.id, created_at=now,
                             reason=reason, ground=data.ground or None))
    after: dict[str, Any] = {"status": target.value}
    for key in tracked:  # only what this step changed
        if getattr(case, key) != previous[key]:
            before[key], after[key] = previous[key], getattr(case, key)
    audit.record(db.session, actor, f"case.{action.value}", case, before=before, after=after,
                 reason=reason)
    for effect in _step_effects:
        effect(context)
    _commit_versioned()
    return case
