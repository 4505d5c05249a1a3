"""Field investigations (核实 / 调查), home visits (上门服务), and their records (笔录)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from notary.auth.models import User


class Method(LabelledEnum):
    """How the facts are verified (公证程序规则 2006 art. 27; 2020 art. 33)."""

    SITE_VISIT = "site_visit"  # 现场勘查 / 实地核实
    INTERVIEW = "interview"  # 询问当事人、证人
    LETTER = "letter"  # 函询
    PHONE = "phone"  # 电话核实
    REGISTRY = "registry"  # 查询登记机关、档案
    COMMISSIONED = "commissioned"  # 委托异地核实: the other office has one month
    HOME_VISIT = "home_visit"  # 上门服务 for an elderly, ill or disabled applicant

    @property
    def needs_two(self) -> bool:
        """Visits and interviews are done by two staff, or one and a witness."""
        return self in {Method.SITE_VISIT, Method.INTERVIEW, Method.HOME_VISIT}

    @property
    def is_verification(self) -> bool:
        """Verification pauses the clock (公证法 art. 30); a home visit is a service."""
        return self is not Method.HOME_VISIT


labels(Method, {
    Method.SITE_VISIT: _l("On-site visit"),
    Method.INTERVIEW: _l("Interview"),
    Method.LETTER: _l("Letter"),
    Method.PHONE: _l("Phone"),
    Method.REGISTRY: _l("Registry or archive query"),
    Method.COMMISSIONED: _l("Commissioned to another office"),
    Method.HOME_VISIT: _l("Home visit"),
})


class TaskStatus(LabelledEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


labels(TaskStatus, {
    TaskStatus.OPEN: _l("Open"),
    TaskStatus.DONE: _l("Done"),
    TaskStatus.CANCELLED: _l("Cancelled"),
})

investigation_staff = sa.Table(
    "investigation_staff",
    Base.metadata,
    sa.Column("investigation_id", sa.ForeignKey("investigations.id"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


class Investigation(TimestampMixin, Base):
    """One verification task or home visit on a case; closed, never deleted."""

    __tablename__ = "investigations"
    __table_args__ = (sa.Index("ix_investigations_case", "case_id", "id"),
                      sa.Index("ix_investigations_status_scheduled", "status", "scheduled_at"),
                      # The statistics count completed tasks by closing date.
                      sa.Index("ix_investigations_status_closed", "status", "closed_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False)
    method: Mapped[Method] = mapped_column(enum_column(Method), nullable=False)
    purpose: Mapped[str] = mapped_column(sa.Text, nullable=False)
    place: Mapped[str | None] = mapped_column(sa.String(200))
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    due_on: Mapped[date | None] = mapped_column(sa.Date)  # 委托异地核实: one month
    other_office: Mapped[str | None] = mapped_column(sa.String(200))
    witness_name: Mapped[str | None] = mapped_column(sa.String(100))
    witness_contact: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus), nullable=False,
                                               default=TaskStatus.OPEN)
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    # Whether opening this task moved the case into verification (and so paused its clock).
    paused_case: Mapped[bool] = mapped_column(default=False, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    staff: Mapped[list[User]] = relationship(secondary=investigation_staff, lazy="selectin")
    records: Mapped[list[InvestigationRecord]] = relationship(
        back_populates="investigation", order_by="InvestigationRecord.id", lazy="selectin")
    attachments: Mapped[list[InvestigationAttachment]] = relationship(
        order_by="InvestigationAttachment.id", lazy="selectin")

    @property
    def is_open(self) -> bool:
        return self.status is TaskStatus.OPEN


class InvestigationRecord(Base):
    """笔录: an interview or inspection record, with who was there and who signed."""

    __tablename__ = "investigation_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(sa.ForeignKey("investigations.id"),
                                                  nullable=False, index=True)
    place: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorder_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)
    observations: Mapped[str | None] = mapped_column(sa.Text)  # what was seen (勘查情况)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    investigation: Mapped[Investigation] = relationship(back_populates="records")
    recorder: Mapped[User] = relationship(lazy="joined")
    persons: Mapped[list[RecordPerson]] = relationship(order_by="RecordPerson.position",
                                                       lazy="selectin")
    questions: Mapped[list[RecordQuestion]] = relationship(order_by="RecordQuestion.position",
                                                           lazy="selectin")


class PersonRole(LabelledEnum):
    QUESTIONED = "questioned"  # 被询问人
    WITNESS = "witness"  # 见证人
    PRESENT = "present"  # 在场人


labels(PersonRole, {
    PersonRole.QUESTIONED: _l("Questioned"),
    PersonRole.WITNESS: _l("Witness"),
    # Not the bare "Present": the materials checklist uses it for 已提交 (a document present).
    PersonRole.PRESENT: _l("Present at the record"),
})


class RecordPerson(Base):
    """Someone questioned or present, and how they confirmed the record (签名 / 捺指印)."""

    __tablename__ = "record_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("investigation_records.id"),
                                           nullable=False, index=True)
    position: Mapped[int] = mapped_column(nullable=False, default=0)
    role: Mapped[PersonRole] = mapped_column(enum_column(PersonRole), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    document_number: Mapped[str | None] = mapped_column(sa.String(64))
    relation: Mapped[str | None] = mapped_column(sa.String(100))  # to the party or matter
    signed: Mapped[bool] = mapped_column(default=False, nullable=False)
    fingerprinted: Mapped[bool] = mapped_column(default=False, nullable=False)


class RecordQuestion(Base):
    """One question (问) and its answer (答), in the order asked."""

    __tablename__ = "record_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("investigation_records.id"),
                                           nullable=False, index=True)
    position: Mapped[int] = mapped_column(nullable=False, default=0)
    question: Mapped[str] = mapped_column(sa.Text, nullable=False)
    answer: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")


class InvestigationAttachment(Base):
    """A photo or scanned document taken during the investigation; never deleted."""

    __tablename__ = "investigation_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    investigation_id: Mapped[int] = mapped_column(sa.ForeignKey("investigations.id"),
                                                  nullable=False, index=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    original_filename: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    stored_path: Mapped[str] = mapped_column(sa.String(255), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
