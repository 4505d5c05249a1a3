"""The case register: matters, cases, participants, procedure events and materials."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.cases.rules import (
    Action,
    CaseStatus,
    ClosingType,
    NotAcceptedGround,
    RefusalGround,
    TerminationGround,
)
from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from notary.auth.models import User
    from notary.parties.models import Party


class Category(LabelledEnum):
    """公证类别, stored fine-grained; reports roll 涉港/涉澳/涉台 up (domain.md §4.4)."""

    DOMESTIC_CIVIL = "domestic_civil"  # 国内民事
    DOMESTIC_ECONOMIC = "domestic_economic"  # 国内经济
    FOREIGN_CIVIL = "foreign_civil"  # 涉外民事
    FOREIGN_ECONOMIC = "foreign_economic"  # 涉外经济
    HONG_KONG = "hong_kong"  # 涉港
    MACAO = "macao"  # 涉澳
    TAIWAN = "taiwan"  # 涉台

    @property
    def needs_place_of_use(self) -> bool:
        return self not in {Category.DOMESTIC_CIVIL, Category.DOMESTIC_ECONOMIC}


class Urgency(LabelledEnum):
    NORMAL = "normal"
    EXPEDITED = "expedited"  # 加急
    SPECIAL = "special"  # 特事特办


class ParticipantRole(LabelledEnum):
    APPLICANT = "applicant"  # 申请人
    AGENT = "agent"  # 委托代理人
    REPRESENTATIVE = "representative"  # 法定代表人 / 负责人 of an organisation


labels(CaseStatus, {
    CaseStatus.APPLIED: _l("Applied"),
    CaseStatus.ACCEPTED: _l("Accepted"),
    CaseStatus.UNDER_REVIEW: _l("Under review"),
    CaseStatus.SUPPLEMENTING: _l("Awaiting materials"),
    CaseStatus.VERIFYING: _l("Verification"),
    CaseStatus.AWAITING_APPROVAL: _l("Awaiting approval"),
    CaseStatus.APPROVED: _l("Approved"),
    CaseStatus.ISSUED: _l("Issued"),
    CaseStatus.DELIVERED: _l("Delivered"),
    CaseStatus.ARCHIVED: _l("Archived"),
    CaseStatus.REFUSED: _l("Refused"),
    CaseStatus.TERMINATED: _l("Terminated"),
    CaseStatus.WITHDRAWN: _l("Withdrawn"),
    CaseStatus.NOT_ACCEPTED: _l("Not accepted"),
})
labels(ClosingType, {
    ClosingType.ISSUED: _l("Certificate issued"),
    ClosingType.REFUSED: _l("Refused"),
    ClosingType.TERMINATED: _l("Terminated"),
    ClosingType.WITHDRAWN: _l("Withdrawn"),
    ClosingType.NOT_ACCEPTED: _l("Not accepted (不予受理)"),
})
labels(NotAcceptedGround, {
    NotAcceptedGround.NO_INTEREST: _l("(1) The applicant has no interest in the matter"),
    NotAcceptedGround.DISPUTED: _l("(2) The applicants dispute the matter"),
    NotAcceptedGround.OUTSIDE_SCOPE: _l("(3) The matter is outside 公证法 art. 11"),
    NotAcceptedGround.NO_JURISDICTION: _l("(4) Not within this office's jurisdiction or "
                                          "practice area (公证法 art. 25)"),
})
labels(RefusalGround, {
    RefusalGround.NO_CAPACITY: _l("(1) Person without full capacity applying without a guardian"),
    RefusalGround.NO_INTEREST: _l("(2) No interest in the matter"),
    RefusalGround.TECHNICAL_APPRAISAL: _l("(3) Professional technical appraisal or valuation"),
    RefusalGround.DISPUTED: _l("(4) The parties dispute the matter"),
    RefusalGround.FALSE_MATERIALS: _l("(5) Fabricated or concealed facts, or false materials"),
    RefusalGround.INSUFFICIENT_MATERIALS: _l("(6) Insufficient materials, or refusal to "
                                              "supplement them"),
    RefusalGround.UNTRUE_OR_UNLAWFUL: _l("(7) The matter is untrue or unlawful"),
    RefusalGround.AGAINST_MORALITY: _l("(8) The matter is against social morality"),
    RefusalGround.FEE_REFUSED: _l("(9) Refusal to pay the fee"),
})
labels(TerminationGround, {
    TerminationGround.STALLED_BY_PARTY: _l("(1) Cannot be concluded within six months "
                                           "because of the party"),
    TerminationGround.WITHDRAWN: _l("(2) The party withdrew the application"),
    TerminationGround.PARTY_DIED: _l("(3) The applicant died or the organisation ended"),
    TerminationGround.OBSTRUCTION: _l("(4) The party obstructs the procedure"),
    TerminationGround.OTHER: _l("(5) Other grounds"),
})
labels(Category, {
    Category.DOMESTIC_CIVIL: _l("Domestic civil"),
    Category.DOMESTIC_ECONOMIC: _l("Domestic economic"),
    Category.FOREIGN_CIVIL: _l("Foreign civil"),
    Category.FOREIGN_ECONOMIC: _l("Foreign economic"),
    Category.HONG_KONG: _l("Hong Kong-related"),
    Category.MACAO: _l("Macao-related"),
    Category.TAIWAN: _l("Taiwan-related"),
})
labels(Urgency, {
    Urgency.NORMAL: _l("Normal"),
    Urgency.EXPEDITED: _l("Expedited"),
    Urgency.SPECIAL: _l("Special handling (same day)"),
})
labels(ParticipantRole, {
    ParticipantRole.APPLICANT: _l("Applicant"),
    ParticipantRole.AGENT: _l("Agent"),
    ParticipantRole.REPRESENTATIVE: _l("Legal representative"),
})


class MatterType(TimestampMixin, Base):
    """公证事项: the catalogue of matters, edited by the administrator, never deleted."""

    __tablename__ = "matter_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True, nullable=False)
    name_en: Mapped[str] = mapped_column(sa.String(120), nullable=False, default="")
    # 公证法 art. 26 / 公证程序规则 art. 11: must be applied for in person, no agent.
    in_person_only: Mapped[bool] = mapped_column(default=False, nullable=False)
    is_active: Mapped[bool] = mapped_column(default=True, nullable=False)
    sort_order: Mapped[int] = mapped_column(default=100, nullable=False)

    def display_name(self, locale: str | None = None) -> str:
        if locale and locale.startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language (pages; documents print `name`)."""
        return self.display_name(str(get_locale() or ""))


case_matters = sa.Table(
    "case_matters",
    Base.metadata,
    sa.Column("case_id", sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("matter_type_id", sa.ForeignKey("matter_types.id"), primary_key=True,
              index=True),
)


# Concluded (a closing time) and not archived: the archive queue's rows.
_NOT_ARCHIVED = sa.text("archived_at IS NULL AND closed_at IS NOT NULL")


class Case(TimestampMixin, Base):
    """公证案件: one application and everything the register (art. 57) records about it."""

    __tablename__ = "cases"
    __table_args__ = (
        sa.Index("ix_cases_status_applied", "status", "applied_at"),
        # One member of staff's cases by stage, oldest application first (home, queues).
        sa.Index("ix_cases_notary_status_applied", "handling_notary_id", "status", "applied_at"),
        sa.Index("ix_cases_assistant_status_applied", "assistant_id", "status", "applied_at"),
        sa.Index("ix_cases_accepted_at", "accepted_at"),
        # The concluded cases of a period read from the index alone (the statistics group
        # them by closing type, category and handling notary, and join them by id: SQLite
        # keeps the rowid in every index, PostgreSQL is given it).
        sa.Index("ix_cases_concluded", "closed_at", "closing_type", "category",
                 "handling_notary_id", postgresql_include=["id"]),
        sa.Index("ix_cases_applied_at", "applied_at"),
        # A case's handling notary and category by the case's id from the index alone: the
        # fee totals look up the notary of each of a half-year's tens of thousands of
        # payments, the statistics the category of each certificate's case, which
        # PostgreSQL otherwise answers by hashing the whole register.
        sa.Index("ix_cases_id_notary_category", "id", "handling_notary_id", "category"),
        sa.Index("ix_cases_category_closed", "category", "closed_at"),
        sa.Index("ix_cases_acceptance_year", "acceptance_year", "acceptance_seq"),
        sa.Index("ix_cases_acceptance_seq", "acceptance_seq"),
        # The concluded cases not yet archived (the deadlines' archive queue: whose, since
        # when), counted and listed from the index alone. Of a million cases, most concluded
        # ones are archived: the queue's count scanned the register for its first 2,001.
        *(sa.Index(name, *columns, "closed_at", "id", "status",
                   sqlite_where=_NOT_ARCHIVED, postgresql_where=_NOT_ARCHIVED)
          for name, columns in (("ix_cases_to_archive", ()),
                                ("ix_cases_to_archive_notary", ("handling_notary_id",)),
                                ("ix_cases_to_archive_assistant", ("assistant_id",)))),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_number: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    acceptance_year: Mapped[int | None] = mapped_column()
    acceptance_seq: Mapped[int | None] = mapped_column()
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), nullable=False,
                                               default=CaseStatus.APPLIED)
    category: Mapped[Category] = mapped_column(enum_column(Category), nullable=False)
    place_of_use: Mapped[str | None] = mapped_column(sa.String(100))  # 使用地 (country/region)
    purpose: Mapped[str | None] = mapped_column(sa.String(200))  # 用途
    document_name: Mapped[str | None] = mapped_column(sa.String(200))  # 公证的文书名称
    translation_language: Mapped[str | None] = mapped_column(sa.String(50))
    copies: Mapped[int] = mapped_column(nullable=False, default=1)
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency), nullable=False,
                                             default=Urgency.NORMAL)
    urgency_reason: Mapped[str | None] = mapped_column(sa.String(300))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    intake_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    handling_notary_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    assistant_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    applied_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # 办结日期
    closing_type: Mapped[ClosingType | None] = mapped_column(enum_column(ClosingType))
    closing_ground: Mapped[str | None] = mapped_column(sa.String(8))
    closing_reason: Mapped[str | None] = mapped_column(sa.Text)
    certificate_number: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    delivery_method: Mapped[str | None] = mapped_column(sa.String(32))
    delivered_to: Mapped[str | None] = mapped_column(sa.String(200))
    archive_number: Mapped[str | None] = mapped_column(sa.String(64))

    version: Mapped[int] = mapped_column(nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    matters: Mapped[list[MatterType]] = relationship(secondary=case_matters, lazy="selectin",
                                                     order_by=MatterType.sort_order)
    participants: Mapped[list[CaseParticipant]] = relationship(
        back_populates="case", order_by="CaseParticipant.position", lazy="selectin"
    )
    intake_by: Mapped[User | None] = relationship(foreign_keys=[intake_by_id])
    # Shown in every case list: loaded with the cases in one query, never one per row.
    handling_notary: Mapped[User | None] = relationship(foreign_keys=[handling_notary_id],
                                                        lazy="selectin")
    assistant: Mapped[User | None] = relationship(foreign_keys=[assistant_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])

    @property
    def active_participants(self) -> list[CaseParticipant]:
        return [p for p in self.participants if not p.is_removed]

    @property
    def applicants(self) -> list[CaseParticipant]:
        return [p for p in self.active_participants if p.role is ParticipantRole.APPLICANT]

    @property
    def agents(self) -> list[CaseParticipant]:
        return [p for p in self.active_participants if p.role is not ParticipantRole.APPLICANT]

    @property
    def closing_ground_label(self) -> str:
        if not self.closing_ground:
            return ""
        grounds: dict[ClosingType | None, Any] = {ClosingType.REFUSED: RefusalGround,
                                                  ClosingType.NOT_ACCEPTED: NotAcceptedGround}
        enum_cls: Any = grounds.get(self.closing_type, TerminationGround)
        try:
            return str(enum_cls(self.closing_ground).label)
        except ValueError:
            return self.closing_ground

    @property
    def display_number(self) -> str:
        return self.acceptance_number or f"#{self.id}"


class CaseParticipant(Base):
    """A party's part in a case: applicant, agent or representative (removed, never deleted)."""

    __tablename__ = "case_participants"
    __table_args__ = (sa.Index("ix_case_participants_party", "party_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    party_id: Mapped[int] = mapped_column(sa.ForeignKey("parties.id"), nullable=False)
    role: Mapped[ParticipantRole] = mapped_column(enum_column(ParticipantRole), nullable=False)
    position: Mapped[int] = mapped_column(nullable=False, default=0)
    is_removed: Mapped[bool] = mapped_column(default=False, nullable=False)

    case: Mapped[Case] = relationship(back_populates="participants")
    party: Mapped[Party] = relationship(lazy="joined")


class CaseEvent(Base):
    """One procedure step: the transition, who did it, when, and why (append-only)."""

    __tablename__ = "case_events"
    __table_args__ = (sa.Index("ix_case_events_case", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False)
    action: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    from_status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), nullable=False)
    to_status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    ground: Mapped[str | None] = mapped_column(sa.String(8))


class Material(Base):
    """An applicant's material (申请材料): the stored file with its SHA-256; never deleted."""

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    original_filename: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    stored_path: Mapped[str] = mapped_column(sa.String(255), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    size: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()


ACTION_LABELS: dict[Action, Any] = {
    Action.ACCEPT: _l("Accept"),
    Action.START_REVIEW: _l("Start review"),
    Action.REQUEST_SUPPLEMENT: _l("Request materials"),
    Action.START_VERIFICATION: _l("Start verification"),
    Action.RESUME_REVIEW: _l("Resume review"),
    Action.SUBMIT_FOR_APPROVAL: _l("Submit for approval"),
    Action.RETURN_FOR_REVIEW: _l("Return for review"),
    Action.APPROVE: _l("Approve"),
    Action.ISSUE: _l("Record issue"),
    Action.DELIVER: _l("Record delivery"),
    Action.ARCHIVE: _l("Archive"),
    Action.REFUSE: _l("Refuse (不予办理)"),
    Action.TERMINATE: _l("Terminate (终止)"),
    Action.WITHDRAW: _l("Record withdrawal"),
    Action.REJECT: _l("Do not accept (不予受理)"),
}
