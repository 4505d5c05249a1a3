"""Account services: create, edit, deactivate, sign in with lockout."""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from notary.auth.models import SignInFailure, User
from notary.core import audit
from notary.core.errors import DomainError, ErrorCollector, NotFound
from notary.core.models import utcnow
from notary.core.permissions import Permission, Role, ensure_permitted
from notary.extensions import db

USER_AUDIT_FIELDS = ("username", "full_name", "role", "phone", "locale", "is_enabled")

# The most common passwords of Chinese and international leak lists are refused outright
# (NIST SP 800-63B 5.1.1.2: compare against values known to be commonly used). No composition
# rules (digits, symbols) and no forced expiry, as the same guidance advises.
@functools.cache
def common_passwords() -> frozenset[str]:
    """The common-password list (about 30,000 entries), read once from the package."""
    path = Path(__file__).with_name("common_passwords.txt.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


class LoginFailed(DomainError):
    """Wrong user name or password (deliberately not saying which)."""


class SignInThrottled(DomainError):
    """Too many failed sign-ins from one address, whatever the user names tried."""


class AccountLocked(DomainError):
    """Too many failures: the account is locked until `until`."""

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


@dataclass(frozen=True)
class UserData:
    username: str
    full_name: str
    role: Role
    phone: str | None = None
    locale: str = "zh_Hans_CN"
    password: str | None = None  # required on create; on edit, set only to reset it


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_problems(password: str, username: str = "") -> list[str]:
    """Return what is wrong with a new password (length and common-password checks)."""
    problems = []
    min_len = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password) < min_len:
        problems.append(_("The password must have at least %(n)d characters.", n=min_len))
    lowered = password.lower()
    if lowered in common_passwords() or (username and username.lower() in lowered):
        problems.append(_("This password is too easy to guess. Choose another one."))
    return problems


def _check_user_data(data: UserData, *, existing: User | None) -> None:
    errors = ErrorCollector()
    taken = db.session.scalar(
        sa.select(User.id).where(sa.func.lower(User.username) == data.username.lower())
    )
    if taken is not None and (existing is None or taken != existing.id):
        errors.add("username", _("This user name is already taken."))
    if existing is None and not data.password:
        errors.add("password", _("This field is required."))
    if data.password:
        for problem in password_problems(data.password, data.username):
            errors.add("password", problem)
    if data.locale not in current_app.config["LANGUAGES"]:
        errors.add("locale", _("Unknown language."))
    errors.raise_if_any()


def create_user(data: UserData, *, actor: Any) -> User:
    """Create a staff account (actor None means the command line, run by the server operator)."""
    if actor is not None:
        ensure_permitted(actor, Permission.USER_MANAGE)
    _check_user_data(data, existing=None)
    assert data.password
    user = User(
        username=data.username,
        full_name=data.full_name,
        role=data.role,
        phone=data.phone or None,
        locale=data.locale,
        password_hash=_hash(data.password),
    )
    db.session.add(user)
    audit.record(db.session, actor, "user.create", user,
                 after=audit.snapshot(user, USER_AUDIT_FIELDS))
    db.session.commit()
    return user


def update_user(user: User, data: UserData, *, actor: Any) -> User:
    """Edit an account; a new password, if given, replaces the old one and ends its sessions."""
    ensure_permitted(actor, Permission.USER_MANAGE)
    _check_user_data(data, existing=user)
    before = audit.snapshot(user, USER_AUDIT_FIELDS)
    user.username, user.full_name, user.role = data.username, data.full_name, data.role
    user.phone, user.locale = data.phone or None, data.locale
    after = audit.snapshot(user, USER_AUDIT_FIELDS)
    if data.password:
        user.password_hash = _hash(data.password)
        user.session_version += 1
        after["password"] = "reset"
    before, after = audit.changed_only(before, after)
    audit.record(db.session, actor, "user.update", user, before=before, after=after)
    db.session.commit()
    return user


@dataclass(frozen=True)
class PracticeData:
    """A notary's practice record: certificate number, suspension, approver designation."""

    certificate_number: str | None
    suspended_from: date | None
    suspended_until: date | None
    suspension_reason: str | None
    may_approve: bool


PRACTICE_FIELDS = ("practice_certificate_number", "suspended_from", "suspended_until",
                   "suspension_reason", "may_approve")


def set_practice(user: User, data: PracticeData, *, actor: Any) -> User:
    """Record a notary's 执业证号, a suspension (停止执业) with its dates, and whether the
    office designated them as an approver."""
    ensure_permitted(actor, Permission.USER_MANAGE)
    errors = ErrorCollector()
    if user.role not in {Role.NOTARY, Role.DIRECTOR}:
        errors.add("", _("Only notaries have a practice record."))
    if data.suspended_until and not data.suspended_from:
        errors.add("suspended_from", _("Enter the first day of the suspension."))
    if data.suspended_from and data.suspended_until \
            and data.suspended_until < data.suspended_from:
        errors.add("suspended_until", _("The end cannot be before the start."))
    if data.suspended_from and not (data.suspension_reason or "").strip():
        errors.add("suspension_reason", _("Enter the decision (body and number) that "
                                          "suspended the notary."))
    if data.may_approve and user.role is not Role.NOTARY:
        errors.add("may_approve", _("Only a notary is designated; the director approves by "
                                    "the office setting."))
    errors.raise_if_any()
    before = audit.snapshot(user, PRACTICE_FIELDS)
    user.practice_certificate_number = (data.certificate_number or "").strip() or None
    user.suspended_from, user.suspended_until = data.suspended_from, data.suspended_until
    user.suspension_reason = ((data.suspension_reason or "").strip() or None
                              if data.suspended_from else None)
    user.may_approve = data.may_approve
    before, after = audit.changed_only(before, audit.snapshot(user, PRACTICE_FIELDS))
    if after:
        audit.record(db.session, actor, "user.practice", user, before=before, after=after)
    db.session.commit()
    return user


def set_user_enabled(user: User, enabled: bool, *, actor: Any) -> User:
    """Deactivate or reactivate an account (accounts are never deleted)."""
    ensure_permitted(actor, Permission.USER_MANAGE)
    if user.id == getattr(actor, "id", None) and not enabled:
        raise DomainError(_("You cannot deactivate your own account."))
    before = {"is_enabled": user.is_enabled}
    user.is_enabled = enabled
    user.session_version += 1
    audit.record(db.session, actor, "user.enable" if enabled else "user.disable", user,
                 before=before, after={"is_enabled": enabled})
    db.session.commit()
    return user


def set_own_locale(user: User, locale: str) -> User:
    """Switch the user's interface language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise NotFound(_("Unknown language."))
    before = {"locale": user.locale}
    user.locale = locale
    audit.record(db.session, user, "user.locale", user, before=before, after={"locale": locale})
    db.session.commit()
    return user


def change_own_password(user: User, current: str, new: str) -> User:
    """Replace the user's password after checking the current one."""
    errors = ErrorCollector()
    if not check_password_hash(user.password_hash, current):
        errors.add("current_password", _("The current password is wrong."))
    for problem in password_problems(new, user.username):
        errors.add("new_password", problem)
    errors.raise_if_any()
    user.password_hash = _hash(new)
    user.session_version += 1
    audit.record(db.session, user, "user.password", user, after={"password": "changed"})
    db.session.commit()
    return user


def authenticate(username: str, password: str, *, client_ip: str | None = None,
                 now: datetime | None = None) -> User:
    """Check the credentials; 5 consecutive failures lock the account for 15 minutes.

    Per address as well: LOGIN_IP_MAX_FAILURES failures from one client address within
    LOGIN_IP_WINDOW_MINUTES refuse every further attempt from it (password spraying tries
    one password on many accounts and never trips the per-account lockout).
    """
    now = now or utcnow()
    if client_ip is not None:
        _refuse_throttled_address(client_ip, now)
    user = db.session.scalar(
        sa.select(User).where(sa.func.lower(User.username) == username.strip().lower())
    )
    if user is None:
        # Same work as a real check, so timing does not reveal which user names exist.
        check_password_hash(_dummy_hash(), password)
        _count_failure(client_ip, username, now)
        db.session.commit()
        raise LoginFailed(_("Wrong user name or password."))
    if user.locked_until is not None and user.locked_until > now:
        audit.record(db.session, None, "user.login_locked", user)
        db.session.commit()
        raise AccountLocked(_locked_message(user.locked_until), user.locked_until)
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        user.failed_logins += 1
        action = "user.login_failed"
        if user.failed_logins >= int(current_app.config["LOGIN_MAX_FAILURES"]):
            user.locked_until = now + timedelta(minutes=int(current_app.config["LOCKOUT_MINUTES"]))
            user.failed_logins = 0
            action = "user.locked"
        audit.record(db.session, None, action, user)
        _count_failure(client_ip, username, now)
        db.session.commit()
        if user.locked_until is not None and user.locked_until > now:
            raise AccountLocked(_locked_message(user.locked_until), user.locked_until)
        raise LoginFailed(_("Wrong user name or password."))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record(db.session, user, "user.login", user)
    db.session.commit()
    return user


def _refuse_throttled_address(client_ip: str, now: datetime) -> None:
    cfg = current_app.config
    since = now - timedelta(minutes=int(cfg["LOGIN_IP_WINDOW_MINUTES"]))
    failures = db.session.scalar(sa.select(sa.func.count(SignInFailure.id)).where(
        SignInFailure.client_ip == client_ip[:64], SignInFailure.failed_at >= since)) or 0
    if failures >= int(cfg["LOGIN_IP_MAX_FAILURES"]):
        raise SignInThrottled(_("Too many failed sign-ins from this computer. Try again in "
                                "%(n)d minutes.", n=int(cfg["LOGIN_IP_WINDOW_MINUTES"])))


def _count_failure(client_ip: str | None, username: str, now: datetime) -> None:
    if client_ip is not None:
        db.session.add(SignInFailure(failed_at=now, client_ip=client_ip[:64],
                                     username_typed=username.strip()[:64]))


def _locked_message(until: datetime) -> str:
    from flask_babel import format_time

    return _("Too many failed sign-ins. The account is locked until %(time)s.",
             time=format_time(until, "HH:mm"))


_dummy_hash_cache: list[str] = []


def _dummy_hash() -> str:
    if not _dummy_hash_cache:
        _dummy_hash_cache.append(_hash("not-a-real-password"))
    return _dummy_hash_cache[0]


def get_user(user_id: int) -> User:
    """Load a user or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def users_with_role(*roles: Role, active_only: bool = True) -> list[User]:
    """List users having one of the roles, by name."""
    stmt = sa.select(User).where(User.role.in_(roles)).order_by(User.full_name)
    if active_only:
        stmt = stmt.where(User.is_enabled.is_(True))
    return list(db.session.scalars(stmt))
