"""Account services: create, edit, deactivate, sign in with lockout."""

from __future__ import annotations

import functools
import gzip
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from notary.auth.models import SignInFailure, User, UserSession
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


class AccountLocked(LoginFailed):
    """Too many failures: the account is locked until `until` (answered in the same words as
    a wrong password, so the answer does not tell that the user name exists)."""

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
        _end_sessions(user, "password")
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
    if not enabled:
        _end_sessions(user, "disabled")
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
    _end_sessions(user, "password")
    audit.record(db.session, user, "user.password", user, after={"password": "changed"})
    db.session.commit()
    return user


# --- sessions -------------------------------------------------------------------------------
# A session ends by closing its row, in the same transaction as an audit entry: the entry moves
# the data version, so every worker's copy of the signed-in user (core/page_cache.py) is read
# again on the next request, and the closed row refuses the cookie there too.


def session_token_hash(token: str) -> str:
    """The stored form of a session cookie's token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(user: User, *, client_ip: str | None) -> str:
    """Record a new signed-in session for the user; return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=session_token_hash(token),
                               created_at=utcnow(), client_ip=(client_ip or "")[:64] or None))
    db.session.commit()
    return token


def end_session(token: str | None, *, reason: str = "sign_out") -> None:
    """End the session with this token (sign-out, inactivity); no token, nothing to end."""
    if not token:
        return
    found = db.session.scalar(sa.select(UserSession).where(
        UserSession.token_hash == session_token_hash(token), UserSession.ended_at.is_(None)))
    if found is None:
        return
    found.ended_at, found.end_reason = utcnow(), reason
    user = db.session.get(User, found.user_id)
    audit.record(db.session, user, "user.logout", user, after={"reason": reason})
    db.session.commit()


def _end_sessions(user: User, reason: str) -> int:
    """Close every open session of the user (flush only; the caller audits and commits)."""
    result = db.session.execute(
        sa.update(UserSession).where(UserSession.user_id == user.id,
                                     UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
        .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def sign_out_everywhere(user: User, *, actor: Any) -> int:
    """End every session of the user at once (an administrator's decision); return how many."""
    ensure_permitted(actor, Permission.USER_MANAGE)
    ended = _end_sessions(user, "administrator")
    audit.record(db.session, actor, "user.sign_out_everywhere", user,
                 after={"sessions_ended": ended})
    db.session.commit()
    return ended


def open_sessions_of(user: User) -> list[UserSession]:
    """The user's sessions that still open the office, newest first (a session past
    SESSION_MAX_HOURS is refused anyway; one left idle ends at its next request)."""
    since = utcnow() - timedelta(hours=float(current_app.config["SESSION_MAX_HOURS"]))
    return list(db.session.scalars(sa.select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None),
        UserSession.created_at > since).order_by(UserSession.id.desc())))


def authenticate(username: str, password: str, *, client_ip: str | None = None,
                 now: datetime | None = None) -> User:
    """Check the credentials; 5 consecutive failures lock the account for 15 minutes.

    Each password check first claims one of the LOGIN_MAX_FAILURES attempts in a single
    atomic UPDATE ... RETURNING (committed before the slow hash is checked), so however many
    attempts arrive at once, at most that many passwords are ever checked before the lock.
    An unknown user name, a locked or deactivated account and a wrong password get the same
    answer after the same hashing work: neither the words nor the time tell which it was.

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
        check_password_hash(_dummy_hash(), password)  # the same work as a real check
        _count_failure(client_ip, username, now)
        db.session.commit()
        raise LoginFailed(failure_message())
    attempt = _claim_attempt(user, now)
    if attempt is None:  # locked, or the last attempts before the lock are being checked
        check_password_hash(_dummy_hash(), password)  # the same work; this password unchecked
        audit.record(db.session, None, "user.login_locked", user)
        _count_failure(client_ip, username, now)
        db.session.commit()
        raise AccountLocked(failure_message(), user.locked_until or now)
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        action = "user.login_failed"
        if attempt >= int(current_app.config["LOGIN_MAX_FAILURES"]):
            # The last claimed attempt failed: lock, and start counting afresh after it.
            user.locked_until = now + timedelta(minutes=int(current_app.config["LOCKOUT_MINUTES"]))
            user.failed_logins = 0
            action = "user.locked"
        audit.record(db.session, None, action, user)
        _count_failure(client_ip, username, now)
        db.session.commit()
        if action == "user.locked":
            raise AccountLocked(failure_message(), user.locked_until or now)
        raise LoginFailed(failure_message())
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit.record(db.session, user, "user.login", user)
    db.session.commit()
    return user


def _claim_attempt(user: User, now: datetime) -> int | None:
    """Count one more attempt on the account, atomically; None when no attempt is left.

    The count is the number of the claimed attempt (1 to LOGIN_MAX_FAILURES); a successful
    sign-in resets it. Committed at once, so a parallel attempt sees it before any password
    is checked.
    """
    limit = int(current_app.config["LOGIN_MAX_FAILURES"])
    claimed = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, User.failed_logins < limit,
               sa.or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)).scalar()
    db.session.commit()
    db.session.refresh(user)
    return int(claimed) if claimed is not None else None


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


def failure_message() -> str:
    """The one answer to every failed sign-in: wrong password, unknown name, locked account."""
    cfg = current_app.config
    return _("Wrong user name or password. After %(n)d failed attempts in a row an account "
             "is locked for %(minutes)d minutes.", n=int(cfg["LOGIN_MAX_FAILURES"]),
             minutes=int(cfg["LOCKOUT_MINUTES"]))


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
