"""A submitted report: its figures frozen as they were sent, with who and when."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.auth.models import User
from notary.core.models import Base, UTCDateTime, utcnow


class SubmittedReport(Base):
    """报表报送: the figures of one period as submitted; later case changes never alter them."""

    __tablename__ = "submitted_reports"
    __table_args__ = (sa.Index("ix_submitted_reports_period", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16), nullable=False)  # half, month, ...
    period_start: Mapped[date] = mapped_column(sa.Date, nullable=False)
    period_end: Mapped[date] = mapped_column(sa.Date, nullable=False)
    figures: Mapped[dict[str, Any]] = mapped_column(sa.JSON, nullable=False)
    note: Mapped[str | None] = mapped_column(sa.Text)
    submitted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False,
                                                   default=utcnow)

    submitted_by: Mapped[User] = relationship(lazy="joined")
