"""The front-desk log: one consultation or visit per row, counted in person-times (人次)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.core.enums import LabelledEnum, labels
from notary.core.models import (
    Base,
    TimestampMixin,
    UTCDateTime,
    enum_column,
    office_day,
    utcnow,
)

if TYPE_CHECKING:
    from notary.auth.models import User
    from notary.cases.models import Case, MatterType


class Channel(LabelledEnum):
    PHONE = "phone"  # 电话
    VISIT = "visit"  # 来访
    LETTER = "letter"  # 信函
    ONLINE = "online"  # 网络


class Outcome(LabelledEnum):
    ANSWERED = "answered"  # 已解答
    REFERRED = "referred"  # 转介他处
    APPOINTMENT = "appointment"  # 已预约
    APPLICATION = "application"  # 已申请办证


labels(Channel, {Channel.PHONE: _l("Phone call"), Channel.VISIT: _l("Visit in person"),
                 Channel.LETTER: _l("By letter"), Channel.ONLINE: _l("Online")})
labels(Outcome, {Outcome.ANSWERED: _l("Answered"),
                 Outcome.REFERRED: _l("Referred elsewhere"),
                 Outcome.APPOINTMENT: _l("Appointment made"),
                 Outcome.APPLICATION: _l("Application started")})

# The ledger's Chinese words for the channels and outcomes (import and template).
CHANNEL_WORDS = {"电话": Channel.PHONE, "来访": Channel.VISIT, "信函": Channel.LETTER,
                 "网络": Channel.ONLINE}
OUTCOME_WORDS = {"解答": Outcome.ANSWERED, "已解答": Outcome.ANSWERED,
                 "转介": Outcome.REFERRED, "转介他处": Outcome.REFERRED,
                 "预约": Outcome.APPOINTMENT, "已预约": Outcome.APPOINTMENT,
                 "申请办证": Outcome.APPLICATION, "已申请办证": Outcome.APPLICATION}


class Consultation(TimestampMixin, Base):
    """咨询 / 来访: who came or called, about what, what came of it, and who took it (首问负责)."""

    __tablename__ = "consultations"
    __table_args__ = (
        sa.Index("ix_consultations_received_channel", "received_at", "channel"),
        sa.Index("ix_consultations_taken_by", "taken_by_id", "received_at"),
        # A case's consultations in order, from one index: with case_id alone, SQLite
        # preferred reading three million rows in received_at order.
        sa.Index("ix_consultations_case", "case_id", "received_at"),
        # Person-times by local day and channel (the statistics): read in order from the
        # index, with no per-row date conversion or sort. The query must name the same
        # expression and the same condition.
        sa.Index("ix_consultations_office_day", office_day(sa.column("received_at")),
                 "channel", "persons", sqlite_where=sa.text("voided_at IS NULL"),
                 postgresql_where=sa.text("voided_at IS NULL"),
                 postgresql_include=["received_at"]),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel), nullable=False)
    persons: Mapped[int] = mapped_column(nullable=False, default=1)  # 人次
    topic: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    matter_type_id: Mapped[int | None] = mapped_column(sa.ForeignKey("matter_types.id"))
    summary: Mapped[str | None] = mapped_column(sa.Text)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome), nullable=False,
                                             default=Outcome.ANSWERED)
    name: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    taken_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # A ledger's receptionist who has no account here (historical name, kept as written).
    taken_by_name: Mapped[str | None] = mapped_column(sa.String(64))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"))
    import_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # A mistaken entry is voided, never deleted: it stays in the log, struck through with its
    # reason, and no figure counts it. A corrected entry keeps its old values in the audit trail.
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    voided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    void_reason: Mapped[str | None] = mapped_column(sa.String(500))

    taken_by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[taken_by_id])
    voided_by: Mapped[User | None] = relationship(foreign_keys=[voided_by_id])
    matter_type: Mapped[MatterType | None] = relationship(lazy="joined")
    case: Mapped[Case | None] = relationship()

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def receptionist(self) -> str:
        return self.taken_by.full_name if self.taken_by else (self.taken_by_name or "")


class CaseLookup(Base):
    """One public lookup of a case (acceptance number + phone tail): rate limit and trail."""

    __tablename__ = "case_lookups"
    __table_args__ = (sa.Index("ix_case_lookups_ip_at", "client_ip", "looked_up_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    looked_up_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False,
                                                   default=utcnow)
    client_ip: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    acceptance_number: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    found: Mapped[bool] = mapped_column(nullable=False, default=False)
    refused: Mapped[bool] = mapped_column(nullable=False, default=False)  # over the rate limit
