"""One permission vocabulary: roles, permissions, the role table, and the two checks.

Routes use `permission_required` for the coarse check; services call `ensure_permitted`
and then their own object-level rules (a notary changes only the cases assigned to them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort
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
    PERSONAL_DATA_VIEW = "personal_data.view"  # full ID and phone numbers
    USER_MANAGE = "user.manage"
    SETTINGS_MANAGE = "settings.manage"
    AUDIT_VIEW = "audit.view"


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
        Permission.USER_MANAGE: _l("Manage users"),
        Permission.SETTINGS_MANAGE: _l("Manage settings"),
        Permission.AUDIT_VIEW: _l("View the audit trail"),
    },
)

P = Permission
_CASE_WORK = {P.CASE_VIEW, P.CASE_CREATE, P.PARTY_VIEW, P.PARTY_EDIT, P.MATERIAL_UPLOAD,
              P.MATERIAL_VIEW, P.CASE_WITHDRAW, P.PERSONAL_DATA_VIEW}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FRONT_DESK: frozenset(_CASE_WORK),
    Role.ASSISTANT: frozenset(_CASE_WORK | {P.CASE_EDIT, P.CASE_PROCESS, P.REGISTER_VIEW}),
    Role.NOTARY: frozenset(
        _CASE_WORK | {P.CASE_EDIT, P.CASE_ACCEPT, P.CASE_PROCESS, P.REGISTER_VIEW}
    ),
    Role.DIRECTOR: frozenset(
        _CASE_WORK
        | {P.CASE_EDIT, P.CASE_ACCEPT, P.CASE_PROCESS, P.CASE_APPROVE, P.CASE_ASSIGN,
           P.CASE_CLOSE, P.REGISTER_VIEW, P.AUDIT_VIEW}
    ),
    Role.ADMIN: frozenset({P.USER_MANAGE, P.SETTINGS_MANAGE, P.AUDIT_VIEW}),
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
        return view(*args, **kwargs)

    wrapped.required_permissions = ()  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]
