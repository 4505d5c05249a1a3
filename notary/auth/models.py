"""Staff accounts."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from notary.core.models import Base, TimestampMixin, UTCDateTime, enum_column
from notary.core.permissions import Role


class User(UserMixin, TimestampMixin, Base):
    """A member of staff. Deactivated, never deleted: audit entries point at them."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column(Role), nullable=False, index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    is_enabled: Mapped[bool] = mapped_column(default=True, nullable=False)
    locale: Mapped[str] = mapped_column(sa.String(16), default="zh_Hans_CN", nullable=False)
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    failed_logins: Mapped[int] = mapped_column(default=0, nullable=False)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A notary's practice certificate (公证员执业证书, issued by the province, 公证法 art. 21):
    # its number is free text, no stored text gives its format (legal-texts.md §6.3).
    practice_certificate_number: Mapped[str | None] = mapped_column(sa.String(64))
    # 停止执业, a penalty of 公证法 arts. 41-42 (3 to 12 months), from..until inclusive; an
    # open end (until None) lasts until the administrator records it.
    suspended_from: Mapped[date | None] = mapped_column(sa.Date)
    suspended_until: Mapped[date | None] = mapped_column(sa.Date)
    suspension_reason: Mapped[str | None] = mapped_column(sa.String(200))
    # Designated by the office as an approver (审批) besides the APPROVAL_ROLES setting.
    may_approve: Mapped[bool] = mapped_column(default=False, nullable=False)

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated account cannot sign in
        return self.is_enabled

    def is_suspended_on(self, day: date) -> bool:
        """Whether the notary's practice is suspended on that day."""
        if self.suspended_from is None or day < self.suspended_from:
            return False
        return self.suspended_until is None or day <= self.suspended_until

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class UserSession(Base):
    """A signed-in browser session. The signed cookie carries a random token; this row, found
    by the token's hash, must be open for the cookie to count, so a session ends for every
    worker and server at once: at sign-out, password change, deactivation, after inactivity,
    or when an administrator signs the user out everywhere. Rows are kept as a record."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False, index=True)
    # sha256 of the cookie's token (256 random bits): the database alone opens no session.
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    client_ip: Mapped[str | None] = mapped_column(sa.String(64))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(sa.String(32))


class SignInFailure(Base):
    """A failed sign-in from an address: the per-address limit counts these (any user name)."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (sa.Index("ix_sign_in_failures_ip_at", "client_ip", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    client_ip: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    username_typed: Mapped[str] = mapped_column(sa.String(64), nullable=False)
