"""API token services: create (the secret is shown once), revoke, list, authenticate."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from notary.api.models import ApiToken
from notary.auth.models import User
from notary.core import audit
from notary.core.errors import ErrorCollector, NotFound, NotPermitted
from notary.core.models import utcnow
from notary.core.permissions import Permission, has_permission
from notary.extensions import db

# "nt_" tells a leaked secret apart from other credentials (secret scanners can match it).
TOKEN_PREFIX = "nt_"
TOKEN_AUDIT_FIELDS = ("name", "prefix", "user_id", "expires_at")


@dataclass(frozen=True)
class NewToken:
    """A token just created: the only moment its secret exists outside the caller's hands."""

    token: ApiToken
    secret: str


def hash_secret(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _ensure_may_manage(actor: Any, user: User) -> None:
    """A user lists and revokes their own tokens; an administrator anyone's (None: the command
    line)."""
    if actor is None or actor.id == user.id or has_permission(actor, Permission.USER_MANAGE):
        return
    raise NotPermitted(_("You may only manage your own API tokens."))


def create_token(user: User, name: str, *, actor: Any,
                 expires_in_days: int | None = None) -> NewToken:
    """Create a personal API token for the user; the secret is returned once, stored hashed.

    Only the user creates their own token, never someone else for them (an administrator
    included): a token acts with its user's role, and the audit trail names that user, so a
    token minted by another would let them act as the user.
    """
    if actor is None or getattr(actor, "id", None) != user.id:
        raise NotPermitted(_("An API token is created only by its own user, signed in."))
    errors = ErrorCollector()
    name = (name or "").strip()
    if not name:
        errors.add("name", _("Give the token a name, e.g. the script that will use it."))
    elif len(name) > 100:
        errors.add("name", _("Use at most 100 characters."))
    if expires_in_days is not None and not 1 <= expires_in_days <= 3660:
        errors.add("expires_in_days", _("Enter a number of days from 1 to 3660."))
    if not user.is_enabled:
        errors.add("", _("This account is deactivated."))
    errors.raise_if_any()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:10],
                     secret_hash=hash_secret(secret), created_at=now,
                     created_by_id=getattr(actor, "id", None),
                     expires_at=now + timedelta(days=expires_in_days) if expires_in_days
                     else None)
    db.session.add(token)
    db.session.flush()
    audit.record(db.session, actor, "api_token.create", token,
                 after=audit.snapshot(token, TOKEN_AUDIT_FIELDS))
    db.session.commit()
    return NewToken(token, secret)


def revoke_token(token: ApiToken, *, actor: Any) -> ApiToken:
    """Revoke a token: every later request with it gets 401. The record stays."""
    _ensure_may_manage(actor, token.user)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(db.session, actor, "api_token.revoke", token,
                     after={"name": token.name, "prefix": token.prefix})
        db.session.commit()
    return token


def get_token(token_id: int) -> ApiToken:
    """Load a token or raise NotFound."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(_("No such API token."))
    return token


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, usable ones first, newest first."""
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.revoked_at.is_not(None),
                                             ApiToken.id.desc())))


def authenticate_token(secret: str, *, now: datetime | None = None) -> ApiToken | None:
    """The usable token with this secret, or None; notes when it was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(sa.select(ApiToken).where(
        ApiToken.secret_hash == hash_secret(secret)))
    now = now or utcnow()
    if token is None or not token.is_usable(now):
        return None
    # Written at most once a minute, so a busy script does not rewrite the row every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        db.session.execute(sa.update(ApiToken).where(ApiToken.id == token.id)
                           .values(last_used_at=now))
        db.session.commit()
    return token
