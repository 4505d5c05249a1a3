"""One permission vocabulary: roles, permissions, the role table, and the two checks.

Routes use `permission_required` for the coarse check; services call `ensure_permitted`
and then their own object-level rules (a notary changes only the cases assigned to them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from notary.core.enums import LabelledEnum, labels
from notary.core.errors import NotPermitted


class Role(LabelledEnum):
    FRONT_DESK = "front_desk"  # 接待
    ASSISTANT = "assistant"  # 公证员助理
    NOTARY = "notary"  # 公证员
    DIRECTOR = "director"  # 主任: approves, manages, sees everything
    ADMIN = "admin"  # users and settings, no case work


labels(
    Role,
    {
        Role.FRONT_DESK: _l("Front desk"),
        Role.ASSISTANT: _l("Notary assistant"),
        Role.NOTARY: _l("Notary"),
        Role.DIRECTOR: _l("Director"),
        Role.ADMIN: _l("Administrator"),
    },
)


class Permission(LabelledEnum):
    CASE_VIEW = "case.view"
    CASE_CREATE = "case.create"
    CASE_EDIT = "case.edit"
    CASE_ACCEPT = "case.accept"
    CASE_PROCESS = "case.process"  # review, pauses, submit for approval, issue, deliver, archive
    CASE_APPROVE = "case.approve"  # 审批: never the handling notary
    CASE_ASSIGN = "case.assign"  # reassign the handling notary
    CASE_CLOSE = "case.close"  # 不予办理 / 终止: decided by the office head
    CASE_WITHDRAW = "case.withdraw"  # record the party's withdrawal (撤回)
    MATERIAL_UPLOAD = "material.upload"
    MATERIAL_VIEW = "material.view"
    REGISTER_VIEW = "register.view"
    PARTY_VIEW = "party.view"
    PARTY_EDIT = "party.edit"
    PERSONAL_DATA_VIEW = "personal_data.view"  # full ID and phone numbers, each reveal logged
    PARTY_DATA_EXPORT = "party.export"  # a party's copy of their data (个人信息保护法 art. 45)
    USER_MANAGE = "user.manage"
    SETTINGS_MANAGE = "settings.manage"
    AUDIT_VIEW = "audit.view"
    CALENDAR_MANAGE = "calendar.manage"  # working-day calendar and office deadline settings
    EXPEDITE_APPROVE = "expedite.approve"  # 加急 / 特事特办 targets
    RECUSAL_REQUEST = "recusal.request"  # record a party's request that a notary step aside
    RECUSAL_DECIDE = "recusal.decide"
    FEE_VIEW = "fee.view"
    FEE_RECORD = "fee.record"  # charges, payments, refunds
    FEE_ADJUST = "fee.adjust"  # change a computed charge (with a reason)
    REDUCTION_REQUEST = "reduction.request"  # 减收 / 免收
    REDUCTION_APPROVE = "reduction.approve"  # never by the one who asked
    LEGAL_AID_MANAGE = "legal_aid.manage"
    TARIFF_MANAGE = "tariff.manage"
    INVESTIGATION_MANAGE = "investigation.manage"  # plan, record and close 核实 tasks
    INHERITANCE_EDIT = "inheritance.edit"  # decedent, family, estate, checklist, division
    CHECKLIST_OVERRIDE = "checklist.override"  # go for approval with a material missing
    CONSULTATION_LOG = "consultation.log"  # 咨询 / 来访: log and search the front-desk log
    STATS_VIEW = "stats.view"  # the statistics and their exports
    STATS_SUBMIT = "stats.submit"  # freeze a report as submitted to the justice bureau
    LEDGER_IMPORT = "ledger.import"  # import the office's historical ledger (台账)
    CERTIFICATE_DRAFT = "certificate.draft"  # wording drafts, delivery, foreign use, archive
    CERTIFICATE_REVIEW = "certificate.review"  # 复查: record, decide (revoke, 补正), report
    TEMPLATE_MANAGE = "template.manage"  # the office's wording (证词) templates
    COMPLAINT_REGISTER = "complaint.register"  # 投诉: register and read the complaint book
    COMPLAINT_ANSWER = "complaint.answer"  # the office's answer and outcome
    REVIEW_CONDUCT = "review.conduct"  # 复查: write the conclusion of a review assigned to one


labels(
    Permission,
    {
        Permission.CASE_VIEW: _l("View cases"),
        Permission.CASE_CREATE: _l("Register applications"),
        Permission.CASE_EDIT: _l("Edit cases"),
        Permission.CASE_ACCEPT: _l("Accept applications"),
        Permission.CASE_PROCESS: _l("Process cases"),
        Permission.CASE_APPROVE: _l("Approve cases"),
        Permission.CASE_ASSIGN: _l("Assign notaries"),
        Permission.CASE_CLOSE: _l("Refuse or terminate cases"),
        Permission.CASE_WITHDRAW: _l("Record withdrawals"),
        Permission.MATERIAL_UPLOAD: _l("Upload materials"),
        Permission.MATERIAL_VIEW: _l("View materials"),
        Permission.REGISTER_VIEW: _l("View the register"),
        Permission.PARTY_VIEW: _l("View parties"),
        Permission.PARTY_EDIT: _l("Edit parties"),
        Permission.PERSONAL_DATA_VIEW: _l("View full ID and phone numbers"),
        Permission.PARTY_DATA_EXPORT: _l("Export a party's personal data"),
        Permission.USER_MANAGE: _l("Manage users"),
        Permission.SETTINGS_MANAGE: _l("Manage settings"),
        Permission.AUDIT_VIEW: _l("View the audit trail"),
        Permission.CALENDAR_MANAGE: _l("Manage the working-day calendar"),
        Permission.EXPEDITE_APPROVE: _l("Approve expedited targets"),
        Permission.RECUSAL_REQUEST: _l("Record recusal requests"),
        Permission.RECUSAL_DECIDE: _l("Decide recusal requests"),
        Permission.FEE_VIEW: _l("View fees"),
        Permission.FEE_RECORD: _l("Record charges, payments and refunds"),
        Permission.FEE_ADJUST: _l("Change computed charges"),
        Permission.REDUCTION_REQUEST: _l("Request fee reductions"),
        Permission.REDUCTION_APPROVE: _l("Approve fee reductions"),
        Permission.LEGAL_AID_MANAGE: _l("Manage legal aid"),
        Permission.TARIFF_MANAGE: _l("Manage the fee schedule"),
        Permission.INVESTIGATION_MANAGE: _l("Plan and record investigations"),
        Permission.INHERITANCE_EDIT: _l("Edit inheritance details"),
        Permission.CHECKLIST_OVERRIDE: _l("Override the materials checklist"),
        Permission.CONSULTATION_LOG: _l("Log and search consultations and visits"),
        Permission.STATS_VIEW: _l("View statistics"),
        Permission.STATS_SUBMIT: _l("Submit statistical reports"),
        Permission.LEDGER_IMPORT: _l("Import the ledger"),
        Permission.CERTIFICATE_DRAFT: _l("Draft certificates and record their delivery"),
        Permission.CERTIFICATE_REVIEW: _l("Review, correct and revoke certificates"),
        Permission.TEMPLATE_MANAGE: _l("Manage certificate wording templates"),
        Permission.COMPLAINT_REGISTER: _l("Register complaints"),
        Permission.COMPLAINT_ANSWER: _l("Answer complaints"),
        Permission.REVIEW_CONDUCT: _l("Conduct certificate reviews"),
    },
)

P = Permission
_CASE_WORK = {P.CASE_VIEW, P.CASE_CREATE, P.PARTY_VIEW, P.PARTY_EDIT, P.MATERIAL_UPLOAD,
              P.MATERIAL_VIEW, P.CASE_WITHDRAW, P.PERSONAL_DATA_VIEW, P.RECUSAL_REQUEST,
              P.FEE_VIEW, P.FEE_RECORD, P.REDUCTION_REQUEST, P.CONSULTATION_LOG,
              P.COMPLAINT_REGISTER}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FRONT_DESK: frozenset(_CASE_WORK),
    Role.ASSISTANT: frozenset(_CASE_WORK | {P.CASE_EDIT, P.CASE_PROCESS, P.REGISTER_VIEW,
                                            P.LEGAL_AID_MANAGE, P.INVESTIGATION_MANAGE,
                                            P.INHERITANCE_EDIT, P.CERTIFICATE_DRAFT}),
    Role.NOTARY: frozenset(
        _CASE_WORK | {P.CASE_EDIT, P.CASE_ACCEPT, P.CASE_PROCESS, P.REGISTER_VIEW, P.FEE_ADJUST,
                      P.LEGAL_AID_MANAGE, P.INVESTIGATION_MANAGE, P.INHERITANCE_EDIT,
                      P.STATS_VIEW, P.CERTIFICATE_DRAFT, P.PARTY_DATA_EXPORT,
                      P.REVIEW_CONDUCT}
    ),
    Role.DIRECTOR: frozenset(
        _CASE_WORK
        | {P.CASE_EDIT, P.CASE_ACCEPT, P.CASE_PROCESS, P.CASE_APPROVE, P.CASE_ASSIGN,
           P.CASE_CLOSE, P.REGISTER_VIEW, P.AUDIT_VIEW, P.EXPEDITE_APPROVE, P.RECUSAL_DECIDE,
           P.FEE_ADJUST, P.REDUCTION_APPROVE, P.LEGAL_AID_MANAGE, P.INVESTIGATION_MANAGE,
           P.INHERITANCE_EDIT, P.CHECKLIST_OVERRIDE, P.STATS_VIEW, P.STATS_SUBMIT,
           P.LEDGER_IMPORT, P.CERTIFICATE_DRAFT, P.CERTIFICATE_REVIEW, P.PARTY_DATA_EXPORT,
           P.COMPLAINT_ANSWER, P.REVIEW_CONDUCT}
    ),
    Role.ADMIN: frozenset({P.USER_MANAGE, P.SETTINGS_MANAGE, P.AUDIT_VIEW, P.CALENDAR_MANAGE,
                           P.TARIFF_MANAGE, P.LEDGER_IMPORT, P.TEMPLATE_MANAGE}),
}


class Actor(Protocol):
    """What a service needs to know about who acts."""

    id: int
    role: Role

    @property
    def is_active(self) -> bool: ...


def has_permission(actor: Any, permission: Permission) -> bool:
    """Return whether the actor's role grants the permission."""
    if actor is None or not getattr(actor, "is_authenticated", True):
        return False
    if not getattr(actor, "is_active", False):
        return False
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def ensure_permitted(actor: Any, permission: Permission) -> None:
    """Raise NotPermitted unless the actor's role grants the permission."""
    if not has_permission(actor, permission):
        raise NotPermitted(str(_l("You do not have permission to do this.")))


F = TypeVar("F", bound=Callable[..., Any])
ObjectGuard = Callable[[Any, Any], None]

# Object rules at the door of every state-changing request: a domain registers, for a URL
# argument that names one of its records (case_id, certificate_id ...), a guard that loads the
# record and raises NotPermitted (or NotFound) unless the actor may change it. The services
# check the same rule again (the API, the command line and the tests call them directly);
# the guard makes a page or API call refused before any form or body is read, so a new route
# on a case is covered the day it is added (tests/trust/test_object_walk.py).
_object_guards: dict[str, ObjectGuard] = {}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def register_object_guard(argument: str, guard: ObjectGuard) -> ObjectGuard:
    """Check `guard(actor, value)` on every state-changing request with this URL argument."""
    _object_guards[argument] = guard
    return guard


def guarded_arguments() -> frozenset[str]:
    """The URL arguments that have an object guard."""
    return frozenset(_object_guards)


def check_object_guards(actor: Any, method: str, blueprint: str | None,
                        arguments: dict[str, Any]) -> None:
    """Run the registered guards of a request's URL arguments (state-changing methods only).

    A guard registered as "blueprint:argument" applies to that blueprint alone and wins over
    the plain name (two domains may use the same argument name for different records).
    """
    if method in SAFE_METHODS:
        return
    for name, value in arguments.items():
        guard = _object_guards.get(f"{blueprint}:{name}") or _object_guards.get(name)
        if guard is not None:
            guard(actor, value)


def permission_required(*permissions: Permission) -> Callable[[F], F]:
    """Route decorator: sign-in required, and every listed permission (403 otherwise)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from notary.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not all(has_permission(current_user, p) for p in permissions):
                abort(403)
            check_object_guards(current_user, request.method, request.blueprint, kwargs)
            return view(*args, **kwargs)

        wrapped.required_permissions = permissions  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Mark a route as reachable without signing in (checked by the route-table test)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def login_only(view: F) -> F:
    """Route decorator: any signed-in user (e.g. their own profile)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from notary.extensions import login_manager

        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        check_object_guards(current_user, request.method, request.blueprint, kwargs)
        return view(*args, **kwargs)

    wrapped.required_permissions = ()  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]
