"""Personal API tokens and the stored results of idempotent requests."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.core.models import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from notary.auth.models import User


class ApiToken(Base):
    """A personal token: acts as its user, with their role. Revoked, never deleted."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    # The first characters of the secret, shown in lists so a user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    # sha256 of the whole secret: the secret has 256 bits of entropy, so no slow hash is needed.
    secret_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")

    def is_usable(self, now: datetime) -> bool:
        """Not revoked, not expired, and its user still enabled."""
        return (self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
                and self.user.is_enabled)


class IdempotentRequest(Base):
    """The first response to a POST sent with an Idempotency-Key, replayed on a retry."""

    __tablename__ = "api_idempotent_requests"
    __table_args__ = (sa.UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(sa.ForeignKey("api_tokens.id"), nullable=False)
    key: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    # Method, path and body hashed together: the same key with another request is refused.
    request_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    status: Mapped[int] = mapped_column(nullable=False)
    body: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    location: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
