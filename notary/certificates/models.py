"""Certificates (公证书), their public lookups, reviews, foreign use, duplicates and archive."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notary.cases.models import Case

if TYPE_CHECKING:
    from notary.auth.models import User
from notary.core.enums import LabelledEnum, labels
from notary.core.models import Base, TimestampMixin, UTCDateTime, enum_column, utcnow


class CertificateStatus(LabelledEnum):
    DRAFT = "draft"  # wording still editable
    APPROVED = "approved"  # wording frozen at approval (审批), no number yet
    ISSUED = "issued"  # valid
    REVOKED = "revoked"  # 撤销: void from the start (公证法 art. 39)
    CORRECTED = "corrected"  # a 补正 certificate was issued for it
    REISSUED = "reissued"  # recalled, corrected and replaced by a new certificate


labels(CertificateStatus, {
    CertificateStatus.DRAFT: _l("Draft"),
    CertificateStatus.APPROVED: _l("Wording approved"),
    CertificateStatus.ISSUED: _l("Valid"),
    CertificateStatus.REVOKED: _l("Revoked"),
    CertificateStatus.CORRECTED: _l("Corrected"),
    CertificateStatus.REISSUED: _l("Replaced"),
})


class ReviewOutcome(LabelledEnum):
    UPHOLD = "uphold"  # 维持
    REISSUE = "reissue"  # 收回、更正、重新出具
    SUPPLEMENT = "supplement"  # 补正公证书
    REVOKE = "revoke"  # 撤销


labels(ReviewOutcome, {
    ReviewOutcome.UPHOLD: _l("Uphold"),
    ReviewOutcome.REISSUE: _l("Correct and reissue"),
    ReviewOutcome.SUPPLEMENT: _l("Supplementary correction (补正)"),
    ReviewOutcome.REVOKE: _l("Revoke"),
})


class Retention(LabelledEnum):
    PERMANENT = "permanent"  # 永久
    LONG = "long"  # 长期
    SHORT = "short"  # 短期


labels(Retention, {Retention.PERMANENT: _l("Permanent"), Retention.LONG: _l("Long-term"),
                   Retention.SHORT: _l("Short-term")})


class WordingTemplate(TimestampMixin, Base):
    """The office's 证词 template for one matter type (a sandboxed Jinja text)."""

    __tablename__ = "wording_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_code: Mapped[str] = mapped_column(sa.String(32), unique=True, nullable=False)
    matter_text: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    body_en: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))


class Certificate(TimestampMixin, Base):
    """One 公证书: its wording (frozen at approval), number, code and stored PDF."""

    __tablename__ = "certificates"
    __table_args__ = (sa.UniqueConstraint("series", "year", "seq"),
                      sa.Index("ix_certificates_issued_on", "issued_on", "case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(nullable=False, default=0)  # issue order in the case
    matter_code: Mapped[str] = mapped_column(sa.String(32), nullable=False)
    matter_text: Mapped[str] = mapped_column(sa.String(100), nullable=False)  # 公证事项
    status: Mapped[CertificateStatus] = mapped_column(
        enum_column(CertificateStatus), nullable=False, default=CertificateStatus.DRAFT)
    applicant_block: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    body: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")  # 证词
    body_en: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    applicant_block_en: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    with_translation: Mapped[bool] = mapped_column(default=False, nullable=False)
    frozen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    series: Mapped[str | None] = mapped_column(sa.String(32))
    year: Mapped[int | None] = mapped_column()
    seq: Mapped[int | None] = mapped_column()
    number: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    verification_code: Mapped[str] = mapped_column(sa.String(16), unique=True, nullable=False)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_on: Mapped[date | None] = mapped_column(sa.Date)  # 出证日期, office calendar day
    notary_name: Mapped[str | None] = mapped_column(sa.String(100))
    office_name: Mapped[str | None] = mapped_column(sa.String(100))
    applicant_name: Mapped[str | None] = mapped_column(sa.String(200))  # masked when shown
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    pdf_path: Mapped[str | None] = mapped_column(sa.String(255))
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    pdf_size: Mapped[int | None] = mapped_column()
    is_signed: Mapped[bool] = mapped_column(default=False, nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The translation page's language (certificates/languages.py), set when drafted.
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # The verification address printed in the QR code, fixed at issue (never re-read later).
    verify_base_url: Mapped[str | None] = mapped_column(sa.String(200))
    drafted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # filled from the case
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # changed by hand since

    case: Mapped[Case] = relationship()
    corrects: Mapped[Certificate | None] = relationship(remote_side=[id])


class VerificationLookup(Base):
    """One public lookup (logged always; also the rate limiter's memory, per client IP)."""

    __tablename__ = "verification_lookups"
    __table_args__ = (sa.Index("ix_verification_lookups_ip_at", "client_ip", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    client_ip: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    number_typed: Mapped[str | None] = mapped_column(sa.String(120))
    code_typed: Mapped[str | None] = mapped_column(sa.String(32))
    certificate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    outcome: Mapped[str] = mapped_column(sa.String(32), nullable=False)


class CertificateReview(TimestampMixin, Base):
    """复查: an application to review an issued certificate and its decision (art. 61-63)."""

    __tablename__ = "certificate_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id"),
                                                nullable=False, index=True)
    applicant: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    is_party: Mapped[bool] = mapped_column(default=True, nullable=False)
    applied_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    known_on: Mapped[date | None] = mapped_column(sa.Date)  # receipt, or when they knew
    request: Mapped[str] = mapped_column(sa.Text, nullable=False)
    late: Mapped[str | None] = mapped_column(sa.String(32))  # missed limit, if any
    outcome: Mapped[ReviewOutcome | None] = mapped_column(enum_column(ReviewOutcome))
    decision: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # Revocations and 补正 are reported to the notary association the same day (art. 63).
    report_due_on: Mapped[date | None] = mapped_column(sa.Date)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    new_certificate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    # Who reviews: a notary other than the one who issued (公证程序规则 2020 art. 62 [R]); the
    # reviewer's conclusion is approved by the head (decided_by) within 30 days, not counting
    # pauses for materials or verification (at most six months), and carried out within 10.
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decision_due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    paused_since: Mapped[date | None] = mapped_column(sa.Date)
    proposed_outcome: Mapped[ReviewOutcome | None] = mapped_column(enum_column(ReviewOutcome))
    proposed_decision: Mapped[str | None] = mapped_column(sa.Text)
    proposed_body: Mapped[str | None] = mapped_column(sa.Text)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    execution_due_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    carried_out_on: Mapped[date | None] = mapped_column(sa.Date)
    # 公证法 art. 39: a revoked certificate is publicly announced (公告).
    announced_on: Mapped[date | None] = mapped_column(sa.Date)
    announcement_channel: Mapped[str | None] = mapped_column(sa.String(64))
    announcement_reference: Mapped[str | None] = mapped_column(sa.String(200))

    certificate: Mapped[Certificate] = relationship(foreign_keys=[certificate_id],
                                                    lazy="selectin")
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id], lazy="selectin")


class ReviewPauseKind(LabelledEnum):
    """Time not counted in the 30 days (公证程序规则 2020 art. 64 [U number])."""

    MATERIALS = "materials"  # 补充证明材料 (with verification: six months at most)
    VERIFICATION = "verification"  # 核实有关情况
    FORCE_MAJEURE = "force_majeure"  # 不可抗力 (no cap)


labels(ReviewPauseKind, {ReviewPauseKind.MATERIALS: _l("Supplementing materials"),
                         ReviewPauseKind.VERIFICATION: _l("Verification"),
                         ReviewPauseKind.FORCE_MAJEURE: _l("Force majeure")})


class ReviewPause(Base):
    """A stretch of time the review waited, and why; appended, closed by its end date."""

    __tablename__ = "review_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate_reviews.id"),
                                           nullable=False, index=True)
    kind: Mapped[ReviewPauseKind] = mapped_column(enum_column(ReviewPauseKind), nullable=False)
    started_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False)


class Delivery(TimestampMixin, Base):
    """送达 beyond the DELIVER step's method and recipient: mail tracking, signed receipt."""

    __tablename__ = "certificate_deliveries"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    delivered_on: Mapped[date] = mapped_column(sa.Date, nullable=False)
    mail_tracking: Mapped[str | None] = mapped_column(sa.String(64))
    receipt_path: Mapped[str | None] = mapped_column(sa.String(255))
    receipt_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    receipt_filename: Mapped[str | None] = mapped_column(sa.String(255))


class ForeignUse(TimestampMixin, Base):
    """Use abroad or in Taiwan: the route (Apostille / consular) and its steps with dates."""

    __tablename__ = "certificate_foreign_uses"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    country: Mapped[str] = mapped_column(sa.String(100), nullable=False)
    route: Mapped[str] = mapped_column(sa.String(32), nullable=False)  # apostille/consular/taiwan
    submitted_on: Mapped[date | None] = mapped_column(sa.Date)  # to the 外办 / MFA
    done_on: Mapped[date | None] = mapped_column(sa.Date)  # Apostille issued / legalized
    embassy_on: Mapped[date | None] = mapped_column(sa.Date)  # consular: the embassy step
    returned_on: Mapped[date | None] = mapped_column(sa.Date)  # back to the party
    # Taiwan (两岸公证书使用查证协议): the 副本 sent to the provincial association.
    duplicate_sent_on: Mapped[date | None] = mapped_column(sa.Date)
    duplicate_reference: Mapped[str | None] = mapped_column(sa.String(64))
    note: Mapped[str | None] = mapped_column(sa.Text)


class ArchiveFile(TimestampMixin, Base):
    """归档 beyond case.archive_number: retention class, confidentiality (art. 58-60)."""

    __tablename__ = "archive_files"

    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    retention: Mapped[Retention] = mapped_column(enum_column(Retention), nullable=False)
    is_confidential: Mapped[bool] = mapped_column(default=False, nullable=False)
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    archived_on: Mapped[date] = mapped_column(sa.Date, nullable=False)


class VerificationAddress(Base):
    """The public verification address this office's certificates carry, as recorded here.

    The first issue records the configured PUBLIC_BASE_URL; a later issue is refused while the
    configuration says otherwise, so a copy of the database run elsewhere, or a changed
    setting, never prints a link that another installation would answer. A move to a new
    address is a new row, recorded by the administrator.
    """

    __tablename__ = "verification_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)


class CharacterReading(Base):
    """How this office reads a Chinese character that the Pinyin dictionary does not know (a
    生僻字 such as 𠮷, read jí): recorded once by the administrator, used wherever a name is
    written in Hanyu Pinyin on a page for abroad. A change is a new row; the newest wins."""

    __tablename__ = "character_readings"

    id: Mapped[int] = mapped_column(primary_key=True)
    char: Mapped[str] = mapped_column(sa.String(4), nullable=False, index=True)
    reading: Mapped[str] = mapped_column(sa.String(16), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), nullable=False)
