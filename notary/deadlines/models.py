"""The working-day calendar the office maintains, the clock of each case, its pauses, recusals."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, UTCDateTime, enum_column, utcnow
from notary.parties.rules import DocumentType


class CalendarDay(TimestampMixin, Base):
    """An office correction to the official calendar: a holiday or a make-up working day."""

    __tablename__ = "calendar_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, unique=True, nullable=False)
    is_working: Mapped[bool] = mapped_column(nullable=False)
    note: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")


class CalendarYear(TimestampMixin, Base):
    """A year whose holiday schedule the office has entered in full (no more warnings)."""

    __tablename__ = "calendar_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True, nullable=False)
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")


class PauseKind(LabelledEnum):
    SUPPLEMENT = "supplement"  # 补充证明材料 (公证法 art. 30)
    VERIFICATION = "verification"  # 需要核实有关情况 (art. 30)
    FORCE_MAJEURE = "force_majeure"  # 不可抗力 (art. 30)
    TRANSLATION = "translation"  # office policy only, off by default (domain.md [U])
    PUBLIC_NOTICE = "public_notice"  # 公示, office policy only, off by default (domain.md [U])


labels(PauseKind, {
    PauseKind.SUPPLEMENT: _l("Supplementing materials"),
    PauseKind.VERIFICATION: _l("Verification"),
    PauseKind.FORCE_MAJEURE: _l("Force majeure"),
    PauseKind.TRANSLATION: _l("Translation"),
    PauseKind.PUBLIC_NOTICE: _l("Public notice"),
})


class CaseClock(Base):
    """The statutory clock of an accepted case (公证法 art. 30), kept current on every change.

    `due_date` and `expedite_due_date` are stored so that the work queues are plain indexed
    queries; they are recomputed whenever a pause, a target or the calendar changes.
    """

    __tablename__ = "case_clocks"
    __table_args__ = (
        sa.Index("ix_case_clocks_running_due", "stopped_on", "paused_since", "effective_due"),
    )

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True,
                                         autoincrement=False)
    accepted_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    due_date: Mapped[date | None] = mapped_column(sa.Date)  # None while paused
    # 加急 / 特事特办: a target in working days (0 = the same day), approved by the director.
    expedite_days: Mapped[int | None] = mapped_column()
    expedite_due_date: Mapped[date | None] = mapped_column(sa.Date)
    expedite_approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    expedite_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The earlier of the two due dates: what the queues sort and filter on.
    effective_due: Mapped[date | None] = mapped_column(sa.Date)
    paused_since: Mapped[date | None] = mapped_column(sa.Date, index=True)
    stopped_on: Mapped[date | None] = mapped_column(sa.Date)  # issue or closing
    # Working days from acceptance to certificate, pauses excluded (for the statistics).
    working_days_to_issue: Mapped[int | None] = mapped_column()
    issued_on_time: Mapped[bool | None] = mapped_column()

    pauses: Mapped[list[ClockPause]] = relationship(
        order_by="ClockPause.id", lazy="selectin", back_populates="clock")


class ClockPause(Base):
    """Time that does not count (公证法 art. 30), from `started_on` up to `ended_on` (excluded)."""

    __tablename__ = "clock_pauses"
    __table_args__ = (sa.Index("ix_clock_pauses_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_clocks.case_id"), nullable=False)
    kind: Mapped[PauseKind] = mapped_column(enum_column(PauseKind), nullable=False)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    started_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    clock: Mapped[CaseClock] = relationship(back_populates="pauses")


class Relation(LabelledEnum):
    """Close relatives for recusal (公证法 art. 23(3); 近亲属 as in the Civil Code)."""

    SELF = "self"  # 本人
    SPOUSE = "spouse"  # 配偶
    PARENT = "parent"  # 父母
    CHILD = "child"  # 子女
    SIBLING = "sibling"  # 兄弟姐妹
    GRANDPARENT = "grandparent"  # 祖父母、外祖父母
    GRANDCHILD = "grandchild"  # 孙子女、外孙子女


labels(Relation, {
    Relation.SELF: _l("Self"),
    Relation.SPOUSE: _l("Spouse"),
    Relation.PARENT: _l("Parent"),
    Relation.CHILD: _l("Child"),
    Relation.SIBLING: _l("Sibling"),
    Relation.GRANDPARENT: _l("Grandparent"),
    Relation.GRANDCHILD: _l("Grandchild"),
})


class StaffRelation(TimestampMixin, Base):
    """A notary's own identity document or a close relative's, recorded for recusal checks."""

    __tablename__ = "staff_relations"
    __table_args__ = (sa.UniqueConstraint("user_id", "document_type", "document_number"),
                      sa.Index("ix_staff_relations_document", "document_type",
                               "document_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)
    relation: Mapped[Relation] = mapped_column(enum_column(Relation), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    document_type: Mapped[DocumentType] = mapped_column(enum_column(DocumentType),
                                                        nullable=False)
    document_number: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    is_active: Mapped[bool] = mapped_column(default=True, nullable=False)


class RecusalStatus(LabelledEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REJECTED = "rejected"


labels(RecusalStatus, {
    RecusalStatus.PENDING: _l("Pending"),
    RecusalStatus.GRANTED: _l("Granted"),
    RecusalStatus.REJECTED: _l("Rejected"),
})


class RecusalRequest(Base):
    """A party's request that the handling notary step aside (回避), and the director's decision."""

    __tablename__ = "recusal_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    notary_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)
    requested_by: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    status: Mapped[RecusalStatus] = mapped_column(enum_column(RecusalStatus), nullable=False,
                                                  default=RecusalStatus.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    new_notary_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
